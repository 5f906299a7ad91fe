"""The :class:`~cogs.ports.InboxService` over storage, drafting and the publishers."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.discord_app import _resolve
from bot.discord_app._config import ConfigStore, apply_changes
from bot.discord_app._sections import Thresholds, intent_of, is_urgent, language_of, make_card
from bot.discord_app._sections import figures as headline_figures
from cogs._ids import hash_ref
from cogs.ports import (
    Card,
    DigestPage,
    Figure,
    InboxPage,
    InboxQuery,
    ItemKey,
    ItemState,
    ItemStatus,
    Outcome,
    Section,
    TeamConfig,
)
from cogs.state import claim_generation, state_from_actions
from engagement.drafting import DraftProvider, DraftRequest, Tone, Voice, length, limit_for
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor, Publisher, WriteKind, WriteRefusedError
from storage import Database, UnitOfWork

log = logging.getLogger(__name__)

ActionsByKey = dict[tuple[str, str], list[ActionRecord]]


class TeamInbox:
    """The team's to-do list: what to answer, thank or engage, and what the team did.

    Args:
        db: The database.
        publisher: Posts as the brand (refuses platforms that are not connected), or
            ``None`` when nothing may be posted (read-only setups).
        drafter: Where drafts come from (templates, or a model with a template fallback).
        config: The team configuration store.
        voice: The brand's voice for drafts.
        creator_followers: Followers from which an author counts as a creator.
        lookback: How far back open items are looked for.
        section_cap: Cards per digest section.
        budget: One line on the X budget for the digest, if X is connected.
    """

    def __init__(
        self,
        db: Database,
        publisher: Publisher | None,
        drafter: DraftProvider,
        config: ConfigStore,
        *,
        voice: Voice | None = None,
        creator_followers: int = 2_000,
        lookback: timedelta = timedelta(days=7),
        section_cap: int = 10,
        budget: Callable[[datetime], Awaitable[str | None]] | None = None,
    ) -> None:
        self.db = db
        self.publisher = publisher
        self.drafter = drafter
        self.config_store = config
        self.voice = voice or Voice()
        self.creator_followers = creator_followers
        self.lookback = lookback
        self.section_cap = section_cap
        self.budget = budget
        self._locks: dict[ItemKey, asyncio.Lock] = defaultdict(asyncio.Lock)

    # -- reading ---------------------------------------------------------------------------

    def _thresholds(self, config: TeamConfig) -> Thresholds:
        return Thresholds(config.large_account_followers, self.creator_followers)

    async def _window(
        self, uow: UnitOfWork, start: datetime, end: datetime
    ) -> tuple[list[InteractionRecord], ActionsByKey]:
        records = await uow.interactions.list_between(start, end)
        actions: ActionsByKey = defaultdict(list)
        for action in await uow.actions.list_between(start, end + timedelta(days=365)):
            if action.platform is not None and action.interaction_id is not None:
                actions[(action.platform.value, action.interaction_id)].append(action)
        return records, actions

    def _cards(
        self, records: Sequence[InteractionRecord], actions: ActionsByKey, now: datetime
    ) -> list[Card]:
        thresholds = self._thresholds(self.config_store.load())
        cards = []
        for item in records:
            state = state_from_actions(
                actions.get((item.platform.value, item.external_id), ()), now
            )
            card = make_card(item, state, now, thresholds)
            if card is not None:
                cards.append(card)
        return cards

    async def digest(self, now: datetime) -> DigestPage:
        """The digest: open items of the look-back window, most urgent first, capped."""
        config = self.config_store.load()
        async with self.db.unit_of_work() as uow:
            records, actions = await self._window(uow, now - self.lookback, now)
            previous = await uow.interactions.list_between(
                now - timedelta(days=2), now - timedelta(days=1)
            )
        cards = [
            c
            for c in self._cards(records, actions, now)
            if c.state.status in {ItemStatus.OPEN, ItemStatus.CLAIMED}
        ]
        cards.sort(key=_priority)
        shown: list[Card] = []
        totals: dict[Section, int] = {}
        for section in Section:
            of_section = [c for c in cards if c.section is section]
            totals[section] = len(of_section)
            shown.extend(of_section[: self.section_cap])
        today = [r for r in records if r.created_at >= now - timedelta(days=1)]
        figures = headline_figures(today, previous, actions, totals[Section.ANSWER])
        breaches = tuple(
            f"{c.item.platform.value} @{c.item.author.handle} waiting {c.breach}"
            for c in shown
            if c.breach
        )
        local = now.astimezone(ZoneInfo(config.timezone))
        return DigestPage(
            title=f"Engagement digest · {local:%A %d %B %Y}",
            period_key=local.date().isoformat(),
            generated_at=now,
            figures=figures,
            breaches=breaches[:10],
            budget=await self.budget(now) if self.budget is not None else None,
            cards=tuple(shown),
            section_totals=totals,
        )

    async def card(self, key: ItemKey, now: datetime) -> Card | None:
        """The current card of one item."""
        async with self.db.unit_of_work() as uow:
            item = await uow.interactions.get(*key)
            if item is None:
                return None
            actions = await uow.actions.for_interaction(*key)
        state = state_from_actions(actions, now)
        thresholds = self._thresholds(self.config_store.load())
        card = make_card(item, state, now, thresholds)
        if card is None:  # a like, say: still show it, as something to thank
            card = Card(item, Section.THANK, (), now - item.created_at, state)
        return card

    async def inbox(self, query: InboxQuery, now: datetime) -> InboxPage:
        """Matching items, newest first."""
        async with self.db.unit_of_work() as uow:
            records, actions = await self._window(uow, now - self.lookback, now)
        cards = self._cards(records, actions, now)
        wanted = {query.status} if query.status else {ItemStatus.OPEN, ItemStatus.CLAIMED}
        selected = [
            c
            for c in reversed(cards)
            if c.state.status in wanted
            and (query.platform is None or c.item.platform is query.platform)
            and (query.kind is None or c.item.kind == query.kind)
        ]
        start = query.page * query.page_size
        return InboxPage(tuple(selected[start : start + query.page_size]), len(selected), query)

    async def resolve(self, reference: str) -> ItemKey | None:
        """Find a stored item from a URL, AT-URI, post id or hashed reference."""
        async with self.db.unit_of_work() as uow:
            if reference.startswith("#"):
                for platform in Platform:
                    for external_id in await uow.interactions.external_ids(platform):
                        if hash_ref(external_id) == reference:
                            return (platform, external_id)
                return None
            for key in _resolve.candidates(reference):
                if await uow.interactions.get(*key) is not None:
                    return key
            suffix = _resolve.bluesky_post_suffix(reference)
            if suffix is not None:
                for external_id in await uow.interactions.external_ids(Platform.BLUESKY):
                    if external_id.endswith(suffix):
                        return (Platform.BLUESKY, external_id)
        return None

    async def stats(self, now: datetime) -> tuple[Figure, ...]:
        """The digest's headline figures for the last 24 hours."""
        return (await self.digest(now)).figures

    async def urgent(self, items: Sequence[InteractionRecord], now: datetime) -> tuple[Card, ...]:
        """Questions and complaints from large accounts among new items."""
        thresholds = self._thresholds(self.config_store.load())
        cards = []
        for item in items:
            if is_urgent(item, thresholds):
                card = make_card(item, ItemState(), now, thresholds)
                if card is not None:
                    cards.append(card)
        return tuple(cards)

    # -- drafting and limits ---------------------------------------------------------------

    def text_limit(self, platform: Platform) -> int:
        """The platform's post limit."""
        return limit_for(platform)

    def measure(self, platform: Platform, text: str) -> int:
        """Length the platform's way."""
        return length(text, platform)

    async def drafts(self, key: ItemKey, count: int) -> list[str]:
        """Drafts for the item, best first."""
        async with self.db.unit_of_work() as uow:
            item = await uow.interactions.get(*key)
        if item is None:
            return []
        config = self.config_store.load()
        request = DraftRequest(
            item_id=item.external_id,
            text=item.text,
            intent=intent_of(item),
            platform=item.platform,
            language=language_of(item),
            author_name=item.author.display_name,
            author_handle=item.author.handle,
            voice=_voice(self.voice, config),
            parent_text=item.subject_text,
        )
        drafts = await self.drafter.drafts(request)
        return [d.text for d in drafts if d.text][:count]

    # -- acting ----------------------------------------------------------------------------

    async def _record(self, action: ActionRecord) -> tuple[ActionRecord, bool]:
        async with self.db.unit_of_work() as uow:
            stored, created = await uow.actions.begin(action)
            await uow.commit()
        return stored, created

    async def _state(self, key: ItemKey, now: datetime) -> tuple[ItemState, list[ActionRecord]]:
        async with self.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(*key)
        return state_from_actions(actions, now), actions

    async def _outcome(self, key: ItemKey, ok: bool, message: str, now: datetime) -> Outcome:
        return Outcome(ok, message, await self.card(key, now))

    async def claim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Claim an item; concurrent claims race on one key, so one wins."""
        state, actions = await self._state(key, now)
        refusal = _busy(state, actor)
        if refusal is not None:
            return await self._outcome(key, state.by_id == actor.id, refusal, now)
        generation = claim_generation(actions)
        stored, _ = await self._record(
            _action(key, ActionKind.CLAIMED, actor, now, f"claim:{generation}")
        )
        if stored.actor_id != actor.id:
            return await self._outcome(key, False, f"{stored.actor_name} claimed it first.", now)
        return await self._outcome(key, True, "Claimed: it is yours.", now)

    async def unclaim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Release the presser's claim."""
        state, actions = await self._state(key, now)
        if state.status is not ItemStatus.CLAIMED or state.by_id != actor.id:
            return await self._outcome(key, False, "You do not hold a claim on this item.", now)
        generation = claim_generation(actions)
        await self._record(_action(key, ActionKind.UNCLAIMED, actor, now, f"unclaim:{generation}"))
        return await self._outcome(key, True, "Released.", now)

    async def mark(self, key: ItemKey, status: ItemStatus, actor: Actor, now: datetime) -> Outcome:
        """Close the item as done or dismissed."""
        kinds = {ItemStatus.DONE: ActionKind.DONE, ItemStatus.DISMISSED: ActionKind.DISMISSED}
        if status not in kinds:
            raise ValueError(f"cannot mark an item {status.value}")
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        await self._record(_action(key, kinds[status], actor, now, "close"))
        return await self._outcome(key, True, f"Marked {status.value}.", now)

    async def snooze(self, key: ItemKey, until: datetime, actor: Actor, now: datetime) -> Outcome:
        """Hide the item until ``until``."""
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        action = _action(key, ActionKind.SNOOZED, actor, now, f"snooze:{until.isoformat()}")
        await self._record(replace(action, snooze_until=until))
        return await self._outcome(key, True, f"Snoozed until <t:{int(until.timestamp())}:f>.", now)

    async def reply(self, key: ItemKey, text: str, actor: Actor, now: datetime) -> Outcome:
        """Post a reply as the brand, once (per-item lock, state check, publisher idempotency)."""
        async with self._locks[key]:
            state, _ = await self._state(key, now)
            if state.status is ItemStatus.ANSWERED:
                same = (state.text or "").strip() == text.strip()
                message = (
                    "Already posted (one reply only)."
                    if same
                    else f"Already answered by {state.by_name}; nothing posted."
                )
                return await self._outcome(key, same, message, now)
            refusal = _busy(state, actor, allow_own_claim=True)
            if refusal is not None:
                return await self._outcome(key, False, refusal, now)
            size, limit = length(text, key[0]), limit_for(key[0])
            if not text.strip() or size > limit:
                return await self._outcome(key, False, f"Not posted: {size}/{limit}.", now)
            publisher = self.publisher
            async with self.db.unit_of_work() as uow:
                item = await uow.interactions.get(*key)
            if item is None:
                return Outcome(False, "This item is no longer known to the bot.")
            if publisher is None:
                return await self._outcome(key, False, f"{key[0].value} is not connected.", now)
            try:
                record = await publisher.reply(item, text, actor)
            except WriteRefusedError as exc:
                hint = f" {exc.suggestion}" if exc.suggestion else ""
                return await self._outcome(key, False, f"Not posted: {exc}.{hint}", now)
            if record.status is ActionStatus.FAILED:
                return await self._outcome(key, False, f"Posting failed: {record.error}", now)
            if record.status is ActionStatus.PENDING:
                message = "A previous attempt may have posted this; check the thread."
                return await self._outcome(key, False, message, now)
            return await self._outcome(key, True, f"Posted on {key[0].value}.", now)

    async def thank(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Like (or, for a quote, repost) the item, then record it as thanked."""
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        async with self.db.unit_of_work() as uow:
            item = await uow.interactions.get(*key)
        if item is None:
            return Outcome(False, "This item is no longer known to the bot.")
        kind = item.known_kind
        write = WriteKind.REPOST if kind is InteractionKind.QUOTE else WriteKind.LIKE
        publisher = self.publisher
        done = "Thanked."
        if kind is not None and kind.has_text:
            if publisher is None:
                return await self._outcome(key, False, f"{key[0].value} is not connected.", now)
            try:
                record = await publisher.act(item, write, actor)
            except WriteRefusedError as exc:
                return await self._outcome(key, False, f"Not done: {exc}.", now)
            if record.status is ActionStatus.FAILED:
                return await self._outcome(key, False, f"Failed: {record.error}", now)
            done = f"Thanked with a {write.value}."
        await self._record(_action(key, ActionKind.THANKED, actor, now, "close"))
        return await self._outcome(key, True, done, now)

    # -- digests and configuration ---------------------------------------------------------

    async def claim_digest(self, period_key: str, destination: str, now: datetime) -> bool:
        """Reserve a period's digest for a destination (true only once)."""
        async with self.db.unit_of_work() as uow:
            claimed = await uow.digests.claim(period_key, destination, now)
            await uow.commit()
        return claimed

    async def digest_posted(
        self, period_key: str, destination: str, message_ids: list[str], now: datetime
    ) -> None:
        """Record the posted digest's messages."""
        async with self.db.unit_of_work() as uow:
            await uow.digests.mark_posted(period_key, destination, message_ids, {}, now)
            await uow.commit()

    async def get_config(self) -> TeamConfig:
        """The configuration in force."""
        return self.config_store.load()

    async def set_config(self, changes: dict[str, str], actor: Actor, now: datetime) -> TeamConfig:
        """Validate, persist and log a configuration change."""
        config = apply_changes(self.config_store.load(), changes)
        self.config_store.save(config)
        log.info("configuration changed by %s (%s): %s", actor.name, actor.id, sorted(changes))
        return config


def _voice(voice: Voice, config: TeamConfig) -> Voice:
    return replace(voice, tone=Tone(config.voice_tone))


def _priority(card: Card) -> tuple[int, float]:
    return (-len(card.reasons), -card.waiting.total_seconds())


def _busy(state: ItemState, actor: Actor, *, allow_own_claim: bool = False) -> str | None:
    if state.status.is_closed:
        return f"Already {state.status.value} by {state.by_name}."
    if state.status is ItemStatus.CLAIMED:
        if state.by_id == actor.id:
            return None if allow_own_claim else "You already claimed it."
        return f"{state.by_name} is handling this one."
    return None


def _action(key: ItemKey, kind: ActionKind, actor: Actor, now: datetime, tag: str) -> ActionRecord:
    platform, external_id = key
    digest = hashlib.sha256(f"{platform.value}:{external_id}".encode()).hexdigest()[:24]
    return ActionRecord(
        idempotency_key=f"discord:{kind.value}:{digest}:{tag}"[:255],
        kind=kind,
        status=ActionStatus.CONFIRMED,
        actor_id=actor.id,
        actor_name=actor.name,
        created_at=now,
        platform=platform,
        interaction_id=external_id,
        completed_at=now,
    )
