"""The digest: three capped sections and headline figures, for one period and set of accounts.

:func:`build_digest` is pure (``now`` and ``since`` are arguments); :meth:`Digest.to_dict`
gives a JSON-ready object the CLI prints with ``--json`` and the Discord side can render
(the types: :mod:`engagement._digest_types`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from engagement._digest_types import Digest, Figures, PeriodCounts, Section
from engagement.models import ActionRecord
from engagement.triage import (
    Context,
    CreatorEntry,
    Item,
    RankedAnswer,
    RankedThank,
    ThankEntry,
    TriageParams,
    answer_order,
    build_context,
    creator_candidates,
    explain_answer,
    explain_thank,
    handled_state,
    period_phrase,
    rank_answer,
    rank_thank,
    thank_candidates,
    thank_order,
    thanked_authors,
    to_engage,
)

__all__ = [
    "Digest",
    "Figures",
    "PeriodCounts",
    "Section",
    "ShownAnswers",
    "answers_shown",
    "assemble_digest",
    "build_digest",
    "thank_section",
]


def _count(items: Iterable[Item], start: datetime, end: datetime) -> Counter[tuple[str, str]]:
    return Counter((i.platform, i.kind) for i in items if start <= i.created_at < end)


def _fold(counts: Mapping[tuple[str, str], int], index: int) -> dict[str, int]:
    out: Counter[str] = Counter()
    for key, n in counts.items():
        out[key[index]] += n
    return dict(sorted(out.items()))


def thank_section(
    ranked: Sequence[RankedThank],
    ctx: Context,
    *,
    now: datetime,
    since: datetime,
    params: TriageParams,
) -> Section[ThankEntry]:
    """The to-thank section: the first ``section_cap`` people explained, all counted.

    ``ranked`` may be in any order (:func:`~engagement.triage.rank_thank` with
    ``ordered=False``): the first are picked by :func:`~engagement.triage.thank_order`.
    """
    when = period_phrase(now - since)
    first = heapq.nsmallest(params.section_cap, ranked, key=thank_order)
    return Section(tuple(explain_thank(r, ctx, params, when) for r in first), len(ranked))


class ShownAnswers(NamedTuple):
    """Ranked comments, with the ones a digest explains picked out.

    Attributes:
        ranked: Every ranked comment, in any order (counted in the figures).
        first: The first ``section_cap`` of them, best first.
        breaches: The first ``section_cap`` past the breach threshold, best first.
    """

    ranked: Sequence[RankedAnswer]
    first: list[RankedAnswer]
    breaches: list[RankedAnswer]


def answers_shown(answer: Sequence[RankedAnswer], params: TriageParams) -> ShownAnswers:
    """The ranked comments a digest explains: the first ``section_cap``, and the first breaches.

    ``answer`` may be in any order (:func:`~engagement.triage.rank_answer` with
    ``ordered=False``): the first are picked by :func:`~engagement.triage.answer_order`.
    """
    breach_label = f">{params.sla_breach_hours:g}h"
    cap = params.section_cap
    breaches = (e for e in answer if e.sla == breach_label)
    return ShownAnswers(
        answer,
        heapq.nsmallest(cap, answer, key=answer_order),
        heapq.nsmallest(cap, breaches, key=answer_order),
    )


def build_digest(
    items: Sequence[Item],
    actions: Iterable[ActionRecord],
    *,
    now: datetime,
    since: datetime,
    params: TriageParams | None = None,
    brand_accounts: Collection[tuple[str, str]] = (),
    counts: PeriodCounts | None = None,
) -> Digest:
    """Build the digest of the period ``[since, now]`` from the interactions themselves.

    Args:
        items: Interactions of the history window (``params.history_days``; the period and
            the previous one must be inside it for counts computed from items).
        actions: The team's recorded actions on them.
        now: End of the period (UTC).
        since: Start of the period (UTC).
        params: Triage weights and thresholds.
        brand_accounts: ``(platform, account id)`` covered; empty means every account.
        counts: Interactions per platform and kind (e.g. from a SQL ``GROUP BY``); computed
            from ``items`` when omitted.

    Raises:
        ValueError: When ``since`` is not before ``now``.
    """
    if since >= now:
        raise ValueError("the period must start before it ends")
    params = params or TriageParams()
    state = handled_state(actions, now)
    ctx = build_context(items, params, now, brand_accounts)
    thanked = thanked_authors(state, items, since, now)
    if counts is None:
        counts = PeriodCounts(
            _count(items, since, now), _count(items, since - (now - since), since)
        )
    candidates = thank_candidates(items, ctx, since, now)
    thank = rank_thank(candidates, ctx, params, now, thanked, ordered=False)
    return assemble_digest(
        answer=answers_shown(rank_answer(items, state, ctx, params, now, ordered=False), params),
        thank=thank_section(thank, ctx, now=now, since=since, params=params),
        creators=to_engage(creator_candidates(items, state, ctx, params, now), ctx, params, now),
        counts=counts,
        now=now,
        since=since,
        params=params,
        ctx=ctx,
        brand_accounts=brand_accounts,
    )


def assemble_digest(
    *,
    answer: ShownAnswers,
    thank: Section[ThankEntry],
    creators: Sequence[CreatorEntry],
    counts: PeriodCounts,
    now: datetime,
    since: datetime,
    params: TriageParams,
    ctx: Context,
    brand_accounts: Collection[tuple[str, str]] = (),
) -> Digest:
    """Cap the ranked sections and add the headline figures (the last step of a digest).

    Only the comments ``answer`` shows (:func:`answers_shown`: the first ``section_cap``, and
    as many breaches) are explained; all of them are counted.
    """
    ranked = answer.ranked
    breach_label = f">{params.sla_breach_hours:g}h"
    figures = Figures(
        by_kind=_fold(counts.current, 1),
        by_kind_previous=_fold(counts.previous, 1),
        by_platform=_fold(counts.current, 0),
        by_platform_previous=_fold(counts.previous, 0),
        to_answer=len(ranked),
        open_questions=sum(1 for e in ranked if e.what == "question"),
        oldest_waiting=max((e.waiting for e in ranked), default=None),
        sla_flagged=sum(1 for e in ranked if e.sla is not None),
        breaches=sum(1 for e in ranked if e.sla == breach_label),
    )
    cap = params.section_cap
    return Digest(
        since=since,
        until=now,
        accounts=tuple(sorted(brand_accounts)),
        answer=Section(tuple(explain_answer(e, ctx, params) for e in answer.first), len(ranked)),
        thank=thank,
        creators=Section(tuple(creators[:cap]), len(creators)),
        figures=figures,
        breaches=tuple(explain_answer(e, ctx, params) for e in answer.breaches),
    )
