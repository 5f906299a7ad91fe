"""The digest read path, built to scale: each section fetches only the rows it can use.

- people: per-person engagement and thank-worthy counts with profiles, in one pass
  (:mod:`storage._triage_people`);
- context: brand accounts, brand replies, repeated texts and spam cues, aggregated in SQL
  (:mod:`storage._triage_context`);
- to-answer: text interactions whose stored signals say they may need a reply (or have no
  signals yet), never the brand's own;
- to-thank: one aggregated row per person; only the entries shown are completed with their
  interactions (:mod:`storage._triage_thank`);
- creators: the interactions of authors above the creator threshold only.

The engine's pure functions then rank, explain and cap, exactly as on in-memory items
(:func:`engagement.digest.build_digest`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.classifiers import TextClassifier
from engagement.digest import Digest, answers_shown, assemble_digest
from engagement.triage import (
    Context,
    Item,
    TriageParams,
    creator_candidates,
    handled_state,
    rank_answer,
    to_engage,
)
from storage._dialect import dialect_name
from storage._ingest import gc_paused
from storage._triage_answer import load_answer_items, with_whole_items
from storage._triage_context import load_context
from storage._triage_counts import period_counts
from storage._triage_people import load_people
from storage._triage_queries import (
    _A,
    _I,
    _item_select,
    _items,
    _session,
    keys_in,
    load_actions,
    scan_created_at,
    scoped,
    score_pending,
)
from storage._triage_thank import load_thank
from storage._uow import UnitOfWork

__all__ = ["load_digest"]

_TEXT_KINDS = ("mention", "reply", "quote")
_CHUNK = 400


async def _creator_items(
    session: AsyncSession,
    sqlite: bool,
    history: datetime,
    now: datetime,
    params: TriageParams,
    accounts: Collection[tuple[str, str]],
) -> list[Item]:
    """Every interaction of the window by an author above the creator threshold."""
    creators = sorted(
        (str(p), str(a))
        for p, a in await session.execute(
            select(_A.c.platform, _A.c.platform_id).where(
                _A.c.followers_count >= params.creator_min_followers
            )
        )
    )
    created = scan_created_at(sqlite)
    out: list[Item] = []
    for start in range(0, len(creators), _CHUNK):
        stmt = _item_select(sqlite).where(
            keys_in(_I.c.platform, _I.c.author_id, creators[start : start + _CHUNK]),
            created >= history,
            created <= now,
            _I.c.author_id != _I.c.account_id,
        )
        out += await _items(session, scoped(stmt, accounts))
    return out


def _known(
    ctx: Context, accounts: Collection[tuple[str, str]], since: datetime, now: datetime
) -> Collection[tuple[str, str]]:
    """Every ``(platform, account id)`` of the counted periods, when they are all known.

    Scoped to some accounts, those are all there is; otherwise the context holds the
    accounts of the history window, which must then cover the previous period too.
    """
    if accounts:
        return accounts
    return ctx.brand_authors if since - (now - since) >= ctx.history_start else ()


async def load_digest(
    uow: UnitOfWork,
    *,
    now: datetime,
    since: datetime,
    params: TriageParams | None = None,
    accounts: Collection[tuple[str, str]] = (),
    classifier: TextClassifier | None = None,
) -> Digest:
    """Read what the digest of ``[since, now]`` needs and build it.

    Args:
        uow: The unit of work to read in (and, with a classifier, to store new signals in;
            the caller commits).
        now: End of the period (UTC).
        since: Start of the period (UTC).
        params: Triage parameters.
        accounts: ``(platform, account id)`` to cover; empty means every account.
        classifier: When given, interactions without stored signals are scored first.

    Raises:
        ValueError: When ``since`` is not before ``now``.
    """
    if since >= now:
        raise ValueError("the period must start before it ends")
    params = params or TriageParams()
    if classifier is not None:
        await score_pending(uow, classifier)
    with gc_paused():  # until the digest's intermediate rows are freed, too
        return await _build(uow, now=now, since=since, params=params, accounts=accounts)


async def _build(
    uow: UnitOfWork,
    *,
    now: datetime,
    since: datetime,
    params: TriageParams,
    accounts: Collection[tuple[str, str]],
) -> Digest:
    session = _session(uow)
    sqlite = dialect_name(session) == "sqlite"
    history = min(since, now - timedelta(days=params.history_days))
    people = await load_people(
        session, sqlite, history=history, since=since, now=now, accounts=accounts
    )
    ctx = await load_context(session, sqlite, history, accounts, people.engagement)
    state = handled_state(await load_actions(uow, since=history), now)
    answer_items = await load_answer_items(session, sqlite, history, accounts, people.thanks)
    creator_items = await _creator_items(session, sqlite, history, now, params, accounts)
    thank = await load_thank(
        session, sqlite, ctx, people.thanks,
        since=since, now=now, params=params, accounts=accounts,
    )  # fmt: skip
    return assemble_digest(
        answer=await with_whole_items(
            session,
            sqlite,
            answers_shown(
                rank_answer(answer_items, state, ctx, params, now, ordered=False), params
            ),
        ),
        thank=thank,
        creators=to_engage(
            creator_candidates(creator_items, state, ctx, params, now), ctx, params, now
        ),
        counts=await period_counts(
            uow,
            now=now,
            since=since,
            accounts=accounts,
            known=_known(ctx, accounts, since, now),
        ),
        now=now,
        since=since,
        params=params,
        ctx=ctx,
        brand_accounts=accounts,
    )
