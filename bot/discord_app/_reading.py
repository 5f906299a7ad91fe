"""The reading half of the team inbox: digest, ``/stats``, ``/inbox``, cards, alerts, lookups.

The digest is the one ``engagebot digest`` prints (:func:`storage._triage_digest.load_digest`,
which scores pending interactions first), mapped to cards. ``/inbox`` filters, counts and
pages in SQL; only the cards of the page are triaged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.discord_app import _cards, _resolve
from bot.discord_app._config import ConfigStore
from cogs._ids import CUSTOM_ID_MAX, hash_ref, split_hash_ref
from cogs.ports import (
    Card,
    DigestPage,
    Figure,
    InboxPage,
    InboxQuery,
    ItemKey,
    ItemState,
    ItemStatus,
    Section,
    TeamConfig,
)
from cogs.state import state_from_actions
from engagement.classifiers import TextClassifier
from engagement.digest import Digest
from engagement.models import InteractionRecord, Platform
from engagement.triage import TriageParams, item_from_record, period_phrase, to_answer
from storage import Database, UnitOfWork
from storage import _inbox as q
from storage._triage_digest import load_digest
from storage._triage_queries import score_pending

Key = tuple[str, str]
# A reference is hashed only when its compact form does not fit after the shortest prefix.
_HASHED_MIN_LENGTH = CUSTOM_ID_MAX - len("eb:done:b:")


class Reading:
    """Digest, stats, inbox pages, cards and urgent items, from the engine."""

    db: Database
    config_store: ConfigStore
    params: TriageParams
    classifier: TextClassifier
    period: timedelta
    budget: Callable[[datetime], Awaitable[str | None]] | None
    _breach_checked: datetime | None

    def triage_params(self, config: TeamConfig | None = None) -> TriageParams:
        """The engine's parameters with the team's ``/config`` overrides applied."""
        config = config or self.config_store.load()
        return replace(
            self.params,
            large_account_followers=config.large_account_followers,
            topics=config.topics or self.params.topics,
        )

    async def _engine_digest(self, uow: UnitOfWork, now: datetime, params: TriageParams) -> Digest:
        digest = await load_digest(
            uow, now=now, since=now - self.period, params=params, classifier=self.classifier
        )
        await uow.commit()  # keeps the signals scored on the way
        return digest

    async def digest(self, now: datetime) -> DigestPage:
        """The digest of the period ending ``now``: the engine's three sections as cards."""
        config = self.config_store.load()
        params = self.triage_params(config)
        async with self.db.unit_of_work() as uow:
            digest = await self._engine_digest(uow, now, params)
            keys = _cards.shown_keys(digest)
            records = await q.records_for(uow, keys)
            actions = await q.actions_for(uow, keys)
            older = await q.open_answer_before(uow, now - timedelta(days=params.history_days))
        states = {k: state_from_actions(v, now) for k, v in actions.items()}
        local = now.astimezone(ZoneInfo(config.timezone))
        return DigestPage(
            title=f"Engagement digest · {local:%A %d %B %Y}",
            period_key=local.date().isoformat(),
            generated_at=now,
            figures=_cards.figures(digest, self._period_words(), older),
            breaches=_cards.breach_lines(digest),
            budget=await self.budget(now) if self.budget is not None else None,
            cards=tuple(_cards.digest_cards(digest, records, states, now)),
            section_totals={
                Section.ANSWER: digest.answer.total,
                Section.THANK: digest.thank.total,
                Section.CREATORS: digest.creators.total,
            },
        )

    def _period_words(self) -> str:
        return "day" if self.period == timedelta(days=1) else period_phrase(self.period)

    async def stats(self, now: datetime) -> tuple[Figure, ...]:
        """This period's headline figures (the digest's, without its cards)."""
        params = self.triage_params()
        async with self.db.unit_of_work() as uow:
            digest = await self._engine_digest(uow, now, params)
            older = await q.open_answer_before(uow, now - timedelta(days=params.history_days))
        return _cards.figures(digest, self._period_words(), older)

    async def _cards(
        self,
        uow: UnitOfWork,
        records: Sequence[InteractionRecord],
        states: dict[Key, ItemState],
        now: datetime,
        params: TriageParams,
    ) -> list[Card]:
        keys = [(r.platform.value, r.external_id) for r in records]
        items = await q.items_for(uow, keys)
        start = now - timedelta(days=params.history_days)
        engagement = await q.author_engagement(
            uow, {(r.platform.value, r.author.platform_id) for r in records}, start
        )
        brand = {(r.platform.value, r.account_id) for r in records}
        ctx = _cards.light_context(brand, engagement, start)
        ordered = [items.get(k) or item_from_record(r) for k, r in zip(keys, records, strict=True)]
        scored = _cards.with_signals(ordered, self.classifier)
        return [
            _cards.item_card(item, record, states.get(key, ItemState()), ctx, params, now)
            for item, record, key in zip(scored, records, keys, strict=True)
        ]

    async def card(self, key: ItemKey, now: datetime) -> Card | None:
        """The current card of one item."""
        skey = (key[0].value, key[1])
        async with self.db.unit_of_work() as uow:
            records = await q.records_for(uow, [skey])
            if skey not in records:
                return None
            actions = await q.actions_for(uow, [skey])
            state = state_from_actions(actions.get(skey, ()), now)
            cards = await self._cards(
                uow, [records[skey]], {skey: state}, now, self.triage_params()
            )
        return cards[0]

    async def inbox(self, query: InboxQuery, now: datetime) -> InboxPage:
        """Matching items, newest first; filtered, counted and paged in SQL."""
        params = self.triage_params()
        scope = q.InboxScope(
            now - timedelta(days=params.history_days),
            query.platform.value if query.platform else None,
            query.kind,
        )
        offset, limit = query.page * query.page_size, query.page_size
        async with self.db.unit_of_work() as uow:
            if query.status is not None and query.status.is_closed:
                states: dict[Key, ItemState] = {}
                records, total = await q.inbox_page(
                    uow, scope, closed_kind=_CLOSED_BY[query.status], offset=offset, limit=limit
                )
            else:
                pending = await q.pending_states(uow, scope)
                states = {k: state_from_actions(v, now) for k, v in pending.items()}
                wanted = {query.status} if query.status else {ItemStatus.OPEN, ItemStatus.CLAIMED}
                others = [k for k, s in states.items() if s.status not in wanted]
                if ItemStatus.OPEN in wanted:  # every open item but those in another state
                    records, total = await q.inbox_page(
                        uow, scope, exclude=others, offset=offset, limit=limit
                    )
                else:  # claimed or snoozed: only items with such actions
                    only = [k for k, s in states.items() if s.status in wanted]
                    records, total = await q.inbox_page(
                        uow, scope, only=only, offset=offset, limit=limit
                    )
            if query.status is not None and query.status.is_closed:
                found = await q.actions_for(
                    uow, [(r.platform.value, r.external_id) for r in records]
                )
                states = {k: state_from_actions(v, now) for k, v in found.items()}
            cards = await self._cards(uow, records, states, now, params)
        return InboxPage(tuple(cards), total, query)

    async def resolve(self, reference: str) -> ItemKey | None:
        """Find a stored item from a URL, AT-URI, post id or hashed reference."""
        async with self.db.unit_of_work() as uow:
            if reference.startswith("#"):
                return await _resolve_hash(uow, reference)
            for key in _resolve.candidates(reference):
                if await uow.interactions.get(*key) is not None:
                    return key
            suffix = _resolve.bluesky_post_suffix(reference)
            if suffix is not None:
                found = await q.find_by_suffix(uow, Platform.BLUESKY.value, suffix)
                if found is not None:
                    return (Platform.BLUESKY, found)
        return None

    async def urgent(self, items: Sequence[InteractionRecord], now: datetime) -> tuple[Card, ...]:
        """What cannot wait for the digest (alerts).

        Questions and complaints from large accounts among the new items, and open comments
        that crossed the breach threshold since the last check. Called after each poll
        cycle with its new items, so it is also where new interactions get their text
        signals stored (the digest then finds them scored).
        """
        params = self.triage_params()
        breach = timedelta(hours=params.sla_breach_hours)
        since = self._breach_checked or now - timedelta(hours=1)
        self._breach_checked = now
        async with self.db.unit_of_work() as uow:
            await score_pending(uow, self.classifier)
            await uow.commit()
            keys = [(r.platform.value, r.external_id) for r in items]
            stored = await q.items_for(uow, keys)
            crossed = await q.answer_items_between(uow, since - breach, now - breach)
            fresh = [stored.get(k) or item_from_record(r) for k, r in zip(keys, items, strict=True)]
            candidates = _cards.with_signals([*fresh, *crossed], self.classifier)
            ctx = _cards.light_context(
                {(i.platform, i.account_id) for i in candidates},
                await q.author_engagement(
                    uow,
                    {i.author_key for i in candidates},
                    now - timedelta(days=params.history_days),
                ),
                now - timedelta(days=params.history_days),
            )
            entries = [
                e
                for e in to_answer(candidates, _cards.NOTHING_HANDLED, ctx, params, now)
                if e.sla == f">{params.sla_breach_hours:g}h"
                or (
                    e.what in {"question", "complaint"}
                    and (e.item.followers or 0) >= params.large_account_followers
                )
            ]
            urgent_keys = [e.item.key for e in entries]
            records = {(r.platform.value, r.external_id): r for r in items}
            records.update(await q.records_for(uow, [k for k in urgent_keys if k not in records]))
            actions = await q.actions_for(uow, urgent_keys)
        cards = []
        for e in entries:
            state = state_from_actions(actions.get(e.item.key, ()), now)
            if not state.status.is_closed and e.item.key in records:
                cards.append(_cards.answer_card(e, records[e.item.key], state))
        return tuple(cards)


async def _resolve_hash(uow: UnitOfWork, reference: str) -> ItemKey | None:
    """The item a hashed reference names.

    A reference with its creation second is an indexed lookup of that second's few items
    (interactions are insert-only, so the second never changes); an old one without it is
    compared with the ids long enough to have been hashed (a scan, for cards posted before).
    """
    parts = split_hash_ref(reference)
    if parts is None:
        return None
    digest, second = parts
    if second is not None:
        start = datetime.fromtimestamp(second, UTC)
        # No platform filter: the creation-time index is the one to use.
        for record in await uow.interactions.list_between(start, start + timedelta(seconds=1)):
            if hash_ref(record.external_id) == digest:
                return record.key
        return None
    for platform, external_id in await q.long_ids(uow, _HASHED_MIN_LENGTH):
        if hash_ref(external_id) == digest:
            return (Platform(platform), external_id)
    return None


_CLOSED_BY = {
    ItemStatus.ANSWERED: "answered",
    ItemStatus.THANKED: "thanked",
    ItemStatus.DONE: "done",
    ItemStatus.DISMISSED: "dismissed",
}
