"""One Bluesky account polled cycle by cycle: fetch with the watcher, store in one transaction."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from bot.bluesky._answered import STREAM as ANSWERED_STREAM
from bot.bluesky._answered import decode_mark, encode_mark, record_answers
from bot.polling import PollerStoppedError
from bot.publishing import Clock, utc_now
from engagement.models import Account, Cursor, Platform
from engagement.ports import Alerts, PollOutcome
from storage import Database
from watchers.bluesky import (
    BlueskyWatcher,
    BrandReply,
    FeedUnavailableError,
    RateLimitedError,
    SessionDeadError,
    WatchState,
    brand_replies,
)

log = logging.getLogger(__name__)

STREAM = "notifications"
_MAX_RATE_LIMIT_WAIT = timedelta(minutes=15)
_RECENT = 5_000


class BlueskyPoller:
    """The :class:`bot.polling.Poller` of one Bluesky account.

    Each cycle: read the stored position, let the watcher fetch and normalize what is new,
    then store the records and the new position in one unit of work. Nothing is stored if
    the cycle fails, so the next one resumes from the last committed position.

    Args:
        db: The database.
        watcher: The account's watcher (its session is the account's client).
        alerts: Where a dead account is reported (once).
        interval_s: Seconds between two cycles when caught up.
        answered_check_s: Seconds between two reads of the brand's own replies (0: never).
        clock: The current time (UTC).
    """

    def __init__(
        self,
        db: Database,
        watcher: BlueskyWatcher,
        alerts: Alerts,
        *,
        interval_s: float = 30.0,
        answered_check_s: float = 600.0,
        clock: Clock = utc_now,
    ) -> None:
        self._db = db
        self.watcher = watcher
        self.session = watcher.session
        self._alerts = alerts
        self.interval_s = interval_s
        self.answered_check_s = answered_check_s
        self._clock = clock
        self._registered = False
        self._retry_at: datetime | None = None
        self._more = False
        self._last_answered_check: datetime | None = None
        self._feed_supported = True
        self._stopped: str | None = None
        self._recent: OrderedDict[str, None] = OrderedDict()  # URIs known to be stored

    @property
    def name(self) -> str:
        """``bluesky:<handle>``."""
        return f"bluesky:{self.session.handle}"

    async def poll_once(self) -> PollOutcome:
        """Run one cycle (see the class docstring).

        Raises:
            PollerStoppedError: The account's credentials are dead (alerted once).
        """
        if self._stopped is not None:
            raise PollerStoppedError(self._stopped)
        now = self._clock()
        before = self.session.request.total
        try:
            return await self._cycle(now, before)
        except RateLimitedError as exc:
            self._retry_at = exc.retry_at
            log.warning("%s: %s", self.name, exc)
            return self._outcome(now, before, note=f"rate limited until {exc.retry_at:%H:%M:%S}")
        except SessionDeadError as exc:
            await self._stop(str(exc))
            raise PollerStoppedError(str(exc)) from exc

    async def _cycle(self, now: datetime, before: int) -> PollOutcome:
        await self._register(now)
        did = self.session.did
        async with self._db.unit_of_work() as uow:
            stored = await uow.cursors.get(Platform.BLUESKY, did, STREAM)
        state = WatchState.decode(stored.value if stored else None)
        result = await self.watcher.fetch(state, now, self._known)
        replies, mark = await self._own_replies(now, bool(result.records))
        async with self._db.unit_of_work() as uow:
            cursor = Cursor(Platform.BLUESKY, did, STREAM, result.state.encode(), now)
            ingested = await uow.ingest(result.records, cursor)
            if mark is not None:
                answered_cursor = Cursor(Platform.BLUESKY, did, ANSWERED_STREAM, mark, now)
                await uow.cursors.set(answered_cursor)
                await record_answers(uow, replies, now)
            await uow.commit()
        self._remember(r.external_id for r in result.records)
        self._more = result.more
        if result.skipped:
            log.warning("%s: %d malformed notification(s) skipped", self.name, result.skipped)
        return PollOutcome(
            platform=Platform.BLUESKY,
            account_id=did,
            fetched=result.fetched,
            inserted=ingested.inserted,
            new_items=ingested.new_records,
            api_calls=self.session.request.total - before,
            finished_at=self._clock(),
            note="catching up" if result.more else None,
        )

    def next_delay(self, outcome: PollOutcome) -> float:
        """Wait until a rate limit resets, go on at once while catching up, else the interval."""
        if self._retry_at is not None:
            wait = self._retry_at - self._clock()
            self._retry_at = None
            return min(max(wait, timedelta(seconds=1)), _MAX_RATE_LIMIT_WAIT).total_seconds()
        if self._more:
            return 0.0
        return self.interval_s

    async def _register(self, now: datetime) -> None:
        if self._registered:
            return
        await self.session.start()
        async with self._db.unit_of_work() as uow:
            await uow.accounts.upsert(
                Account(Platform.BLUESKY, self.session.did, self.session.session_handle)
            )
            await uow.commit()
        self._registered = True

    async def _known(self, uris: Sequence[str]) -> set[str]:
        """Which of ``uris`` are stored: the recent ones from memory, the rest from the DB."""
        unsure = [uri for uri in uris if uri not in self._recent]
        if not unsure:
            return set(uris)
        async with self._db.unit_of_work() as uow:
            stored = set(unsure) & await uow.interactions.external_ids(Platform.BLUESKY)
        self._remember(stored)
        return (set(uris) - set(unsure)) | stored

    def _remember(self, uris: Iterable[str]) -> None:
        for uri in uris:
            self._recent[uri] = None
            self._recent.move_to_end(uri)
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    async def _own_replies(self, now: datetime, busy: bool) -> tuple[list[BrandReply], str | None]:
        """Read the brand's replies when due: on the slow timer, or after a busy cycle."""
        if not self.answered_check_s or not self._feed_supported:
            return [], None
        last = self._last_answered_check
        due = last is None or now - last >= timedelta(seconds=self.answered_check_s)
        if busy and last is not None and now - last >= timedelta(seconds=self.interval_s * 2):
            due = True
        if not due:
            return [], None
        async with self._db.unit_of_work() as uow:
            stored = await uow.cursors.get(Platform.BLUESKY, self.session.did, ANSWERED_STREAM)
        try:
            replies, newest = await brand_replies(self.session, decode_mark(stored), now)
        except FeedUnavailableError as exc:
            log.warning("%s: %s; answers made outside the bot are not detected", self.name, exc)
            self._feed_supported = False
            return [], None
        self._last_answered_check = now
        return replies, encode_mark(newest) if newest is not None else None

    async def aclose(self) -> None:
        """Close the account's HTTP connections."""
        await self.session.close()

    def _outcome(self, now: datetime, before: int, note: str) -> PollOutcome:
        return PollOutcome(
            platform=Platform.BLUESKY,
            account_id=self._account_id(),
            fetched=0,
            inserted=0,
            new_items=(),
            api_calls=self.session.request.total - before,
            finished_at=now,
            note=note,
        )

    def _account_id(self) -> str:
        return self.session.known_did or self.session.handle

    async def _stop(self, message: str) -> None:
        self._stopped = message
        log.error("%s: %s", self.name, message)
        await self._alerts.platform_alert(Platform.BLUESKY, self._account_id(), message)
        async with self._db.unit_of_work() as uow:
            try:
                await uow.accounts.set_status(Platform.BLUESKY, self._account_id(), False, message)
            except LookupError:
                return
            await uow.commit()
