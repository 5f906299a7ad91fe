"""Where each item's card is shown, so every copy is updated in place when anyone acts."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

import discord

from cogs.buttons import card_view
from cogs.ports import InboxService, ItemKey, ItemState
from cogs.render import card_embed
from engagement.models import Platform

log = logging.getLogger(__name__)

Location = tuple[int, int]
"""``(channel_id, message_id)`` of a card message."""


class LocationStore(Protocol):
    """Persists card locations so cards posted before a restart are still refreshed."""

    def load(self) -> dict[ItemKey, set[Location]]:
        """Every known location."""
        ...

    def save(self, locations: dict[ItemKey, set[Location]]) -> None:
        """Replace the stored locations."""
        ...


class CardBoard:
    """Tracks card messages and re-renders them from the service's current state."""

    def __init__(
        self, client: discord.Client, service: InboxService, store: LocationStore | None = None
    ) -> None:
        self._client = client
        self._service = service
        self._store = store
        self._locations: dict[ItemKey, set[Location]] = store.load() if store else {}
        self._shown: dict[ItemKey, ItemState] = {}

    def track(
        self, key: ItemKey, channel_id: int, message_id: int, state: ItemState | None = None
    ) -> None:
        """Remember that ``key``'s card is shown in that message (rendered with ``state``)."""
        if state is not None:
            self._shown[key] = state
        self._locations.setdefault(key, set()).add((channel_id, message_id))
        if self._store is not None:
            self._store.save(self._locations)

    def locations(self, key: ItemKey) -> set[Location]:
        """Where ``key``'s card is shown."""
        return set(self._locations.get(key, set()))

    def shown(self, key: ItemKey, state: ItemState) -> None:
        """Remember the state a card was last rendered with."""
        self._shown[key] = state

    async def refresh(
        self,
        keys: Iterable[ItemKey],
        now: datetime,
        *,
        skip: Location | None = None,
        only_changed: bool = False,
    ) -> int:
        """Re-render the tracked cards of ``keys``; return how many messages were edited.

        Args:
            keys: The items to refresh.
            now: The current time.
            skip: A message already updated by the caller.
            only_changed: Only edit cards whose state changed since they were last rendered
                (after a poll cycle, so unchanged cards cost no request).
        """
        edited = 0
        for key in keys:
            where = self._locations.get(key)
            if not where:
                continue
            card = await self._service.card(key, now)
            if card is None:
                continue
            if only_changed and self._shown.get(key, ItemState()) == card.state:
                continue
            self._shown[key] = card.state
            for channel_id, message_id in sorted(where):
                if (channel_id, message_id) == skip:
                    continue
                channel = self._client.get_partial_messageable(channel_id)
                try:
                    await channel.get_partial_message(message_id).edit(
                        embed=card_embed(card), view=card_view(card)
                    )
                    edited += 1
                except discord.NotFound:
                    where.discard((channel_id, message_id))
                except discord.HTTPException as exc:
                    log.warning("could not refresh card %s: %s", message_id, exc)
        return edited

    def tracked_keys(self, platform: Platform | None = None) -> list[ItemKey]:
        """Every item with at least one card (optionally on one platform)."""
        return [k for k in self._locations if platform is None or k[0] is platform]


__all__ = ["CardBoard", "Location", "LocationStore"]
