"""Fetch what is new in one account's notifications and normalize it; never persists.

One :meth:`BlueskyWatcher.fetch` is one poll cycle's network part: pages of 100 from the newest
down to the stored watermark, each item validated on its own, then one hydration round in
batches of 25. The caller stores the records and the returned state in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from atproto_client import models

from engagement.models import InteractionRecord
from watchers.bluesky._normalize import Notice, parse_notice, subject_of, to_record
from watchers.bluesky._state import Mark, WatchState
from watchers.bluesky._xrpc import items_of
from watchers.bluesky.hydrator import Hydrator
from watchers.bluesky.session import BlueskySession

log = logging.getLogger(__name__)

LIST_NOTIFICATIONS = "app.bsky.notification.listNotifications"

KnownCheck = Callable[[Sequence[str]], Awaitable[set[str]]]
"""Given notification URIs, return those already stored."""


@dataclass(frozen=True, slots=True)
class WatchResult:
    """What one fetch produced.

    Attributes:
        records: New interactions, normalized and hydrated, oldest first.
        state: The stream position to store with them.
        fetched: Notifications received (valid or not).
        skipped: Malformed notifications skipped.
        pages: ``listNotifications`` pages read.
        more: A catch-up is unfinished; poll again soon.
    """

    records: tuple[InteractionRecord, ...]
    state: WatchState
    fetched: int
    skipped: int
    pages: int
    more: bool


class BlueskyWatcher:
    """Reads one Bluesky account's notifications.

    Args:
        session: The account's authenticated client.
        hydrator: Post and profile look-ups (may be shared between accounts).
        page_size: Notifications per page (1–100).
        max_pages: Pages read in one cycle before the catch-up continues next cycle.
        grace: Items up to this much older than the watermark are checked against storage,
            in case Bluesky indexed them late.
    """

    def __init__(
        self,
        session: BlueskySession,
        hydrator: Hydrator,
        *,
        page_size: int = 100,
        max_pages: int = 20,
        grace: timedelta = timedelta(minutes=10),
    ) -> None:
        self.session = session
        self.hydrator = hydrator
        self.page_size = page_size
        self.max_pages = max_pages
        self.grace = grace

    async def fetch(self, state: WatchState, now: datetime, known: KnownCheck) -> WatchResult:
        """Fetch, validate, hydrate and normalize what is new since ``state``.

        Args:
            state: The stored stream position.
            now: The current time (UTC).
            known: Tells which notification URIs are already stored.

        Returns:
            The new records and the position to store with them.
        """
        target = state.watermark
        cursor = state.resume
        top = state.top
        notices: list[Notice] = []
        fetched = skipped = pages = 0
        while True:
            params = models.AppBskyNotificationListNotifications.Params(
                limit=self.page_size, cursor=cursor
            )
            content = await self.session.query(LIST_NOTIFICATIONS, params, now)
            raw_items = items_of(content, "notifications", LIST_NOTIFICATIONS)
            pages += 1
            fetched += len(raw_items)
            page = [n for n in map(parse_notice, raw_items) if n is not None]
            skipped += len(raw_items) - len(page)
            notices.extend(page)
            if page:
                newest = max(Mark(*n.key) for n in page)
                top = newest if top is None or newest > top else top
            reached = target is not None and any(Mark(*n.key) <= target for n in page)
            next_cursor = content.get("cursor")
            finished = reached or not raw_items or not isinstance(next_cursor, str)
            if finished or not next_cursor:
                finished = True
                break
            cursor = next_cursor
            if pages >= self.max_pages:
                break
        fresh = await self._fresh(notices, target, known)
        records = await self._normalize(fresh, now)
        if finished:
            new_state = WatchState(watermark=_max(target, top))
        else:
            new_state = WatchState(watermark=target, resume=cursor, top=top)
        return WatchResult(
            records=tuple(records),
            state=new_state,
            fetched=fetched,
            skipped=skipped,
            pages=pages,
            more=not finished,
        )

    async def _fresh(
        self, notices: list[Notice], target: Mark | None, known: KnownCheck
    ) -> list[Notice]:
        unique = {n.uri: n for n in notices}
        if target is None:
            return list(unique.values())
        fresh = [n for n in unique.values() if Mark(*n.key) > target]
        floor = target.indexed_at - self.grace
        boundary = [n for n in unique.values() if floor <= n.indexed_at and Mark(*n.key) <= target]
        if boundary:
            stored = await known([n.uri for n in boundary])
            late = [n for n in boundary if n.uri not in stored]
            for notice in late:
                log.info("bluesky: late-indexed notification %s picked up", notice.uri)
            fresh.extend(late)
        return fresh

    async def _normalize(self, notices: list[Notice], now: datetime) -> list[InteractionRecord]:
        if not notices:
            return []
        hydration = await self.hydrator.hydrate(self.session, notices, now)
        account = self.session.did
        records = []
        for notice in sorted(notices, key=lambda n: n.key):
            subject = subject_of(notice)
            post = hydration.posts.get(subject.id) if subject else None
            records.append(
                to_record(
                    notice,
                    account,
                    author=hydration.profiles.get(notice.author.platform_id),
                    subject_text=post.text if post else None,
                )
            )
        return records


def _max(a: Mark | None, b: Mark | None) -> Mark | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)
