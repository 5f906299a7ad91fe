"""The digest read path, built to scale: each section fetches only the rows it can use.

- to-answer: text interactions whose stored signals say they may need a reply (or have no
  signals yet), never the brand's own;
- to-thank: one aggregated row per person (counts per kind, newest id, profile) from a
  ``GROUP BY``; only the entries shown are completed with their newest interaction;
- creators: the interactions of authors above the creator threshold only;
- context: brand replies, per-author engagement and repeated texts, all aggregated in SQL.

The engine's pure functions then rank, explain and cap, exactly as on in-memory items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.classifiers import TextClassifier
from engagement.digest import Digest, assemble_digest
from engagement.models import ActionKind, ActionStatus
from engagement.triage import (
    Context,
    Item,
    ThankCandidate,
    ThankEntry,
    TriageParams,
    creator_candidates,
    handled_state,
    to_answer,
    to_engage,
    to_thank,
)
from storage._dialect import dialect_name
from storage._tables import ActionRow
from storage._triage_queries import (
    _A,
    _I,
    SIGNALS,
    _account_filter,
    _dt,
    _item,
    _item_select,
    _items,
    _parse,
    _session,
    load_actions,
    period_counts,
    scan_created_at,
    score_pending,
)
from storage._uow import UnitOfWork

__all__ = ["load_digest"]

_TEXT_KINDS = ("mention", "reply", "quote")
_THANK_KINDS = ("repost", "quote", "like", "follow", "mention", "reply")


def _scope(stmt: Any, accounts: Collection[tuple[str, str]]) -> Any:
    account_filter = _account_filter(accounts)
    return stmt if account_filter is None else stmt.where(account_filter)


async def _context(
    session: AsyncSession,
    history: datetime,
    accounts: Collection[tuple[str, str]],
) -> Context:
    window = scan_created_at(dialect_name(session) == "sqlite") >= history
    brand = {
        (str(p), str(a))
        for p, a in await session.execute(
            _scope(select(_I.c.platform, _I.c.account_id).where(window).distinct(), accounts)
        )
    } | {(str(p), str(a)) for p, a in accounts}
    own = _I.c.author_id == _I.c.account_id
    answered: set[tuple[str, str]] = set()
    for platform, parent, root in await session.execute(
        select(_I.c.platform, _I.c.parent_id, _I.c.root_id).where(window, own)
    ):
        answered.update((platform, ref) for ref in (parent, root) if ref)
    engagement: Counter[tuple[str, str]] = Counter()
    rows = await session.execute(
        _scope(
            select(_I.c.platform, _I.c.author_id, func.count())
            .where(window, not_(own))
            .group_by(_I.c.platform, _I.c.author_id)
            .having(func.count() > 1),
            accounts,
        )
    )
    engagement.update({(p, a): int(n) for p, a, n in rows})
    repeats: Counter[tuple[str, str, str]] = Counter()
    text_key = func.lower(func.trim(_I.c.text))
    rows = await session.execute(
        _scope(
            select(_I.c.platform, _I.c.author_id, text_key, func.count())
            .where(window, _I.c.kind.in_(_TEXT_KINDS), _I.c.text != "")
            .group_by(_I.c.platform, _I.c.author_id, text_key)
            .having(func.count() >= 3),
            accounts,
        )
    )
    repeats.update({(p, a, t): int(n) for p, a, t, n in rows})
    cues: dict[tuple[str, str], tuple[str, ...]] = {}
    rows = await session.execute(
        _scope(
            select(_I.c.platform, _I.c.author_id, SIGNALS.c.spam_cues)
            .join(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
            .where(window, SIGNALS.c.spam_cues != "")
            .distinct(),
            accounts,
        )
    )
    for p, a, found in rows:
        key = (str(p), str(a))
        cues[key] = tuple(dict.fromkeys((*cues.get(key, ()), *str(found).split("|"))))
    return Context(frozenset(brand), frozenset(answered), engagement, repeats, history, cues)


async def _answer_items(
    session: AsyncSession, sqlite: bool, history: datetime, accounts: Collection[tuple[str, str]]
) -> list[Item]:
    s = SIGNALS.c
    flagged = or_(s.interaction_id.is_(None), s.needs_reply, s.question, s.request, s.complaint)
    stmt = _item_select(sqlite).where(
        scan_created_at(sqlite) >= history,
        _I.c.kind.in_(_TEXT_KINDS),
        _I.c.author_id != _I.c.account_id,
        flagged,
    )
    return await _items(session, _scope(stmt, accounts))


async def _creator_items(
    session: AsyncSession,
    sqlite: bool,
    history: datetime,
    params: TriageParams,
    accounts: Collection[tuple[str, str]],
) -> list[Item]:
    """Every interaction of the window by an author above the creator threshold."""
    creators = {
        (str(p), str(a))
        for p, a in await session.execute(
            select(_A.c.platform, _A.c.platform_id).where(
                _A.c.followers_count >= params.creator_min_followers
            )
        )
    }
    ids = sorted({a for _, a in creators})
    out: list[Item] = []
    for start in range(0, len(ids), 500):
        stmt = _item_select(sqlite).where(
            _I.c.author_id.in_(ids[start : start + 500]),
            scan_created_at(sqlite) >= history,
            _I.c.author_id != _I.c.account_id,
        )
        out += [
            i for i in await _items(session, _scope(stmt, accounts)) if i.author_key in creators
        ]
    return out


async def _thank_candidates(
    session: AsyncSession,
    sqlite: bool,
    since: datetime,
    now: datetime,
    params: TriageParams,
    accounts: Collection[tuple[str, str]],
) -> list[ThankCandidate]:
    """One aggregated row per person, with their profile; ``latest`` is a light stand-in.

    The stand-in item holds the author's profile and the newest time; :func:`_hydrate`
    replaces it with the real interaction for the few entries shown.
    """
    s = SIGNALS.c
    kind = _I.c.kind
    period = and_(
        scan_created_at(sqlite) >= since,
        scan_created_at(sqlite) <= now,
        _I.c.author_id != _I.c.account_id,
    )
    # Praise (a positive plain mention or reply) needs the signals: a small query of its own.
    praise_stmt = (
        select(
            _I.c.platform,
            _I.c.author_id,
            func.count(),
            func.max(_I.c.id),
            _dt(func.max(_I.c.created_at), sqlite),
        )
        .join(SIGNALS, SIGNALS.c.interaction_id == _I.c.id)
        .where(
            period,
            kind.in_(("mention", "reply")),
            s.sentiment == 2,
            not_(s.question),
            not_(s.complaint),
            not_(s.request),
        )
        .group_by(_I.c.platform, _I.c.author_id)
    )
    praise = {
        (str(p), str(a)): (int(c), int(m), last)
        for p, a, c, m, last in await session.execute(_scope(praise_stmt, accounts))
    }

    def n(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    # Aggregate the interactions first (covering index), then join the few author rows.
    groups = (
        select(
            _I.c.platform.label("platform"),
            _I.c.author_id.label("author_id"),
            n(kind == "repost").label("reposts"),
            n(kind == "quote").label("quotes"),
            n(kind == "like").label("likes"),
            func.max(case((kind == "follow", 1), else_=0)).label("follows"),
            func.max(_I.c.id).label("last_id"),
            func.max(_I.c.created_at).label("last_at"),
        )
        .where(period, kind.in_(("repost", "quote", "like", "follow")))
        .group_by(_I.c.platform, _I.c.author_id)
    )
    groups = _scope(groups, accounts).subquery()
    g = groups.c
    points = g.reposts * 3 + g.quotes * 4 + g.likes * 0.5 + g.follows * 2
    stmt = select(
        g.platform,
        g.author_id,
        g.reposts,
        g.quotes,
        g.likes,
        g.follows,
        g.last_id,
        _dt(g.last_at, sqlite),
        _A.c.handle,
        _A.c.followers_count,
        _A.c.follows_count,
        _A.c.posts_count,
        _dt(_A.c.account_created_at, sqlite),
        _A.c.avatar_url.is_not(None),
        _A.c.description,
        _A.c.verified,
        _A.c.first_followers_count,
        _dt(_A.c.first_seen_at, sqlite),
    ).join(_A, and_(_A.c.platform == g.platform, _A.c.platform_id == g.author_id))
    # A group qualifies on its own points, or with the most praise anyone gave (to_thank then
    # applies the exact threshold with each person's own praise).
    most_praise = max((count for count, _, _ in praise.values()), default=0)
    floor = params.thank_min_score - 3 * most_praise
    rows = list(await session.execute(stmt.where(points >= floor)))
    seen = {(str(r[0]), str(r[1])) for r in rows}
    missing = [key for key in praise if key not in seen]
    for start in range(0, len(missing), 500):
        rows += await _praise_only_rows(session, sqlite, missing[start : start + 500], praise)
    names = ("repost", "quote", "like", "follow")
    out: list[ThankCandidate] = []
    for r in rows:
        key = (str(r[0]), str(r[1]))
        counts = {name: int(v) for name, v in zip(names, r[2:6], strict=True) if v}
        last_id = int(r[6]) if r[6] is not None else 0
        if key in praise:
            counts["praise"] = praise[key][0]
            last_id = max(last_id, praise[key][1])
        stand_in = Item(
            r[0], str(last_id), "", "", r[1], r[8], "", r[9], r[10], r[11], _parse(r[12]),
            bool(r[13]), r[14] or "", bool(r[15]), r[16], _parse(r[17]), "",
            _parse(r[7]) or now, None, None, None, None,
        )  # fmt: skip
        out.append(ThankCandidate(stand_in, counts, ()))
    return out


async def _praise_only_rows(
    session: AsyncSession,
    sqlite: bool,
    keys: Collection[tuple[str, str]],
    praise: dict[tuple[str, str], tuple[int, int, Any]],
) -> list[Any]:
    """Rows shaped like the aggregate for people who only praised (no repost, like…)."""
    if not keys:
        return []
    authors = await session.execute(
        select(
            _A.c.platform,
            _A.c.platform_id,
            _A.c.handle,
            _A.c.followers_count,
            _A.c.follows_count,
            _A.c.posts_count,
            _dt(_A.c.account_created_at, sqlite),
            _A.c.avatar_url.is_not(None),
            _A.c.description,
            _A.c.verified,
            _A.c.first_followers_count,
            _dt(_A.c.first_seen_at, sqlite),
        ).where(tuple_(_A.c.platform, _A.c.platform_id).in_(list(keys)))
    )
    rows: list[Any] = []
    for a in authors:
        _, last_id, last_at = praise[(str(a[0]), str(a[1]))]
        rows.append((a[0], a[1], 0, 0, 0, 0, last_id, last_at, *a[2:]))
    return rows


async def _hydrate(
    session: AsyncSession,
    sqlite: bool,
    entries: Sequence[ThankEntry],
    since: datetime,
    now: datetime,
) -> list[ThankEntry]:
    """Replace the stand-in of each shown entry by its newest interaction and list its ids."""
    ids = [int(e.latest.external_id) for e in entries]
    if not ids:
        return []
    rows = await session.execute(_item_select(sqlite).add_columns(_I.c.id).where(_I.c.id.in_(ids)))
    latest = {int(row[-1]): _item(row) for row in rows}
    out: list[ThankEntry] = []
    for entry in entries:
        item = latest[int(entry.latest.external_id)]
        refs = await session.execute(
            select(_I.c.external_id)
            .where(
                _I.c.platform == entry.platform,
                _I.c.author_id == entry.author_id,
                _I.c.created_at >= since,
                _I.c.created_at <= now,
                _I.c.kind.in_(_THANK_KINDS),
            )
            .order_by(_I.c.created_at.desc())
        )
        out.append(entry.with_latest(item, tuple(str(r[0]) for r in refs)))
    return out


async def _thanked_authors(
    session: AsyncSession, since: datetime, now: datetime
) -> frozenset[tuple[str, str]]:
    rows = await session.execute(
        select(_I.c.platform, _I.c.author_id)
        .join(
            ActionRow,
            and_(ActionRow.platform == _I.c.platform, ActionRow.interaction_id == _I.c.external_id),
        )
        .where(
            ActionRow.kind == ActionKind.THANKED.value,
            ActionRow.status != ActionStatus.FAILED.value,
            ActionRow.created_at >= since,
            ActionRow.created_at <= now,
        )
    )
    return frozenset((str(p), str(a)) for p, a in rows)


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
    session = _session(uow)
    sqlite = dialect_name(session) == "sqlite"
    history = min(since, now - timedelta(days=params.history_days))
    ctx = await _context(session, history, accounts)
    state = handled_state(await load_actions(uow, since=history), now)
    answer_items = await _answer_items(session, sqlite, history, accounts)
    creator_items = await _creator_items(session, sqlite, history, params, accounts)
    thank_groups = await _thank_candidates(session, sqlite, since, now, params, accounts)
    thanked = await _thanked_authors(session, since, now)
    thank = to_thank(thank_groups, ctx, params, now, since, thanked)
    shown = await _hydrate(session, sqlite, thank[: params.section_cap], since, now)
    return assemble_digest(
        answer=to_answer(answer_items, state, ctx, params, now),
        thank=shown + thank[params.section_cap :],
        creators=to_engage(
            creator_candidates(creator_items, state, ctx, params, now), ctx, params, now
        ),
        counts=await period_counts(uow, now=now, since=since, accounts=accounts),
        now=now,
        since=since,
        params=params,
        brand_accounts=accounts,
    )
