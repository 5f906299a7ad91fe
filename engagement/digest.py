"""The digest: three capped sections and headline figures, for one period and set of accounts.

:func:`build_digest` is pure (``now`` and ``since`` are arguments); :meth:`Digest.to_dict`
gives a JSON-ready object the CLI prints with ``--json`` and the Discord side can render.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from engagement.models import ActionRecord
from engagement.triage import (
    AnswerEntry,
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
    format_wait,
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
    "answers_shown",
    "assemble_digest",
    "build_digest",
    "thank_section",
]

T = TypeVar("T", AnswerEntry, ThankEntry, CreatorEntry)
_EXCERPT = 280


class PeriodCounts(NamedTuple):
    """Interactions per ``(platform, kind)`` in the period and in the one before it."""

    current: Mapping[tuple[str, str], int]
    previous: Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Section(Generic[T]):
    """A capped digest section.

    Attributes:
        entries: The entries shown (at most the cap), best first.
        total: How many there were before the cap.
    """

    entries: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many were left out ("and N more")."""
        return self.total - len(self.entries)


@dataclass(frozen=True, slots=True)
class Figures:
    """Headline figures.

    Attributes:
        by_kind: Interactions per kind in the period.
        by_kind_previous: The same in the previous period.
        by_platform: Interactions per platform in the period.
        by_platform_previous: The same in the previous period.
        to_answer: Open comments that need a reply.
        open_questions: Of which questions.
        oldest_waiting: The longest wait among them.
        sla_flagged: Open items past a service-level flag (question > 1 h, any > 24 h).
        breaches: Open items past the breach threshold (72 h).
    """

    by_kind: dict[str, int]
    by_kind_previous: dict[str, int]
    by_platform: dict[str, int]
    by_platform_previous: dict[str, int]
    to_answer: int
    open_questions: int
    oldest_waiting: timedelta | None
    sla_flagged: int
    breaches: int

    @property
    def total(self) -> int:
        """Interactions in the period."""
        return sum(self.by_kind.values())

    @property
    def total_previous(self) -> int:
        """Interactions in the previous period."""
        return sum(self.by_kind_previous.values())


@dataclass(frozen=True, slots=True)
class Digest:
    """A digest for one period and set of accounts.

    Attributes:
        since: Start of the period (UTC).
        until: End of the period, the time it was built (UTC).
        accounts: ``(platform, account id)`` it covers (empty: every account).
        answer: Comments to answer.
        thank: People to thank.
        creators: Creators to engage.
        figures: Headline figures.
    """

    since: datetime
    until: datetime
    accounts: tuple[tuple[str, str], ...]
    answer: Section[AnswerEntry]
    thank: Section[ThankEntry]
    creators: Section[CreatorEntry]
    figures: Figures
    breaches: tuple[AnswerEntry, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (datetimes as ISO 8601, durations in seconds)."""
        f = self.figures
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "accounts": [list(a) for a in self.accounts],
            "figures": {
                "interactions": f.total,
                "interactions_previous": f.total_previous,
                "by_kind": f.by_kind,
                "by_kind_previous": f.by_kind_previous,
                "by_platform": f.by_platform,
                "by_platform_previous": f.by_platform_previous,
                "to_answer": f.to_answer,
                "open_questions": f.open_questions,
                "oldest_waiting_s": (
                    None if f.oldest_waiting is None else int(f.oldest_waiting.total_seconds())
                ),
                "oldest_waiting": None
                if f.oldest_waiting is None
                else format_wait(f.oldest_waiting),
                "sla_flagged": f.sla_flagged,
                "breaches": f.breaches,
            },
            "answer": _section(self.answer, _answer_dict),
            "thank": _section(self.thank, _thank_dict),
            "creators": _section(self.creators, _creator_dict),
        }


def _section(section: Section[T], convert: Any) -> dict[str, Any]:
    return {
        "total": section.total,
        "more": section.more,
        "entries": [convert(e) for e in section.entries],
    }


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "kind": item.kind,
        "account_id": item.account_id,
        "author_id": item.author_id,
        "handle": item.handle,
        "display_name": item.display_name,
        "followers": item.followers,
        "text": item.text[:_EXCERPT],
        "language": item.signals.language if item.signals else None,
        "created_at": item.created_at.isoformat(),
        "url": item.url,
    }


def _answer_dict(e: AnswerEntry) -> dict[str, Any]:
    return {
        **_item_dict(e.item),
        "what": e.what,
        "score": e.score,
        "reasons": list(e.reasons),
        "waiting_s": int(e.waiting.total_seconds()),
        "sla": e.sla,
    }


def _thank_dict(e: ThankEntry) -> dict[str, Any]:
    return {
        "platform": e.platform,
        "author_id": e.author_id,
        "handle": e.handle,
        "line": e.line,
        "counts": e.counts,
        "score": e.score,
        "reasons": list(e.reasons),
        "items": list(e.item_ids),
        "latest": _item_dict(e.latest),
    }


def _creator_dict(e: CreatorEntry) -> dict[str, Any]:
    return {
        "platform": e.platform,
        "author_id": e.author_id,
        "handle": e.handle,
        "followers": e.followers,
        "interactions": e.interactions,
        "action": e.action,
        "score": e.score,
        "reasons": list(e.reasons),
        "latest": _item_dict(e.latest),
    }


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


def answers_shown(
    answer: Sequence[RankedAnswer], params: TriageParams
) -> tuple[list[RankedAnswer], list[RankedAnswer]]:
    """The ranked comments a digest explains: the first ``section_cap``, and the first breaches.

    ``answer`` may be in any order (:func:`~engagement.triage.rank_answer` with
    ``ordered=False``): the first are picked by :func:`~engagement.triage.answer_order`.
    """
    breach_label = f">{params.sla_breach_hours:g}h"
    cap = params.section_cap
    breaches = (e for e in answer if e.sla == breach_label)
    return (
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
        answer=rank_answer(items, state, ctx, params, now, ordered=False),
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
    answer: Sequence[RankedAnswer],
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

    ``answer`` may be in any order; only the comments shown (the first ``section_cap``, and
    as many breaches) are explained.
    """
    breach_label = f">{params.sla_breach_hours:g}h"
    figures = Figures(
        by_kind=_fold(counts.current, 1),
        by_kind_previous=_fold(counts.previous, 1),
        by_platform=_fold(counts.current, 0),
        by_platform_previous=_fold(counts.previous, 0),
        to_answer=len(answer),
        open_questions=sum(1 for e in answer if e.what == "question"),
        oldest_waiting=max((e.waiting for e in answer), default=None),
        sla_flagged=sum(1 for e in answer if e.sla is not None),
        breaches=sum(1 for e in answer if e.sla == breach_label),
    )
    first, breaches = answers_shown(answer, params)
    cap = params.section_cap
    return Digest(
        since=since,
        until=now,
        accounts=tuple(sorted(brand_accounts)),
        answer=Section(tuple(explain_answer(e, ctx, params) for e in first), len(answer)),
        thank=thank,
        creators=Section(tuple(creators[:cap]), len(creators)),
        figures=figures,
        breaches=tuple(explain_answer(e, ctx, params) for e in breaches),
    )
