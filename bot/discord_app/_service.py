"""The :class:`~cogs.ports.InboxService` over storage, the engine, drafting and the publishers.

:class:`TeamInbox` puts together the reading half (:mod:`._reading`: digest, ``/stats``,
``/inbox``, cards, alerts), the acting half (:mod:`._acting`) and the digest claims
(:mod:`._digest_claim`); drafting, limits and configuration live here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.discord_app._acting import Acting
from bot.discord_app._config import ConfigStore, apply_changes
from bot.discord_app._digest_claim import DigestClaims
from bot.discord_app._reading import Reading
from cogs.ports import ItemKey, TeamConfig
from engagement.classifiers import TextClassifier, default_classifier
from engagement.drafting import (
    DraftProvider,
    DraftRequest,
    Intent,
    Tone,
    Voice,
    detect_language,
    infer_intent,
    length,
    limit_for,
    template_drafts,
)
from engagement.models import InteractionKind, InteractionRecord, Platform
from engagement.ports import Actor, Publisher
from engagement.triage import TriageParams
from storage import Database

log = logging.getLogger(__name__)

_URGENT_INTENTS = frozenset({Intent.QUESTION, Intent.COMPLAINT})


class TeamInbox(Reading, Acting, DigestClaims):
    """The team's to-do list: what to answer, thank or engage, and what the team did.

    Args:
        db: The database.
        publisher: Posts as the brand (refuses platforms that are not connected), or
            ``None`` when nothing may be posted (read-only setups).
        drafter: Where drafts come from (templates, or a model with a template fallback).
        config: The team configuration store.
        voice: The brand's voice for drafts.
        params: The engine's triage parameters (``/config`` overrides the large-account
            threshold and the topics).
        classifier: Scores interactions that have no stored text signals yet.
        period: The digest period (its figures compare it with the one before).
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
        params: TriageParams | None = None,
        classifier: TextClassifier | None = None,
        period: timedelta = timedelta(days=1),
        budget: Callable[[datetime], Awaitable[str | None]] | None = None,
    ) -> None:
        self.db = db
        self.publisher = publisher
        self.drafter = drafter
        self.config_store = config
        self.voice = voice or Voice()
        self.params = params or TriageParams()
        self.classifier = classifier or default_classifier()
        self.period = period
        self.budget = budget
        self._locks: dict[ItemKey, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._breach_checked: datetime | None = None

    # -- drafting and limits ---------------------------------------------------------------

    def text_limit(self, platform: Platform) -> int:
        """The platform's post limit."""
        return limit_for(platform)

    def measure(self, platform: Platform, text: str) -> int:
        """Length the platform's way."""
        return length(text, platform)

    async def drafts(self, key: ItemKey, count: int, *, templates_only: bool = False) -> list[str]:
        """Drafts for the item, best first (``templates_only``: never ask the model)."""
        async with self.db.unit_of_work() as uow:
            item = await uow.interactions.get(*key)
        if item is None:
            return []
        return await self.drafts_for(item, count, templates_only=templates_only)

    async def drafts_for(
        self, item: InteractionRecord, count: int, *, templates_only: bool = False
    ) -> list[str]:
        """Drafts for an item read already, best first (``templates_only``: never the model)."""
        config = self.config_store.load()
        request = DraftRequest(
            item_id=item.external_id,
            text=item.text,
            intent=intent_of(item),
            platform=item.platform,
            language=language_of(item),
            author_name=item.author.display_name,
            author_handle=item.author.handle,
            voice=replace(self.voice, tone=Tone(config.voice_tone)),
            parent_text=item.subject_text,
        )
        if templates_only:
            drafts = template_drafts(request)
        else:
            drafts = await self.drafter.drafts(request)
        return [d.text for d in drafts if d.text][:count]

    # -- configuration ---------------------------------------------------------------------

    async def get_config(self) -> TeamConfig:
        """The configuration in force."""
        return self.config_store.load()

    async def set_config(self, changes: dict[str, str], actor: Actor, now: datetime) -> TeamConfig:
        """Validate, persist and log a configuration change."""
        config = apply_changes(self.config_store.load(), changes)
        self.config_store.save(config)
        log.info("configuration changed by %s (%s): %s", actor.name, actor.id, sorted(changes))
        return config


def language_of(item: InteractionRecord) -> str:
    """The item's language: the platform's tag, else detected, else English."""
    return item.language or detect_language(item.text) or "en"


def intent_of(item: InteractionRecord) -> Intent:
    """What a reply to the item would do."""
    kind = item.known_kind
    if kind is InteractionKind.REPOST:
        return Intent.REPOST
    if kind is InteractionKind.FOLLOW:
        return Intent.FOLLOW
    intent = infer_intent(item.text, language_of(item)) if item.text else Intent.PRAISE
    if kind is InteractionKind.QUOTE and intent not in _URGENT_INTENTS:
        return Intent.QUOTE
    return intent
