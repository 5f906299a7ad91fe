"""The X mentions poller: one page per cycle, one unit of work per page, frugal and careful.

Each cycle reads the committed cursor and the month's spend, asks for at most what the budget
allows, stores the page, its cost and the new cursor in one transaction, and only then moves
on. Rate limits, depleted credits and a reached budget pause the stream without losing a post;
dead credentials stop it with one clear alert.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.polling import PollerStoppedError
from bot.x._notices import Notices
from engagement.models import Account, Cursor, Platform
from engagement.ports import Alerts, PollOutcome
from storage import Database
from watchers.x import (
    MENTIONS_ENDPOINT,
    BudgetPolicy,
    BudgetState,
    BudgetStatus,
    MentionsBatch,
    MentionsCursor,
    XAuthError,
    XCreditsDepletedError,
    XMentionsWatcher,
    XRateLimitedError,
    month_start,
    next_month_start,
)
from watchers.x._auth import Clock

if TYPE_CHECKING:
    from bot.x._publisher import XPublisher

log = logging.getLogger(__name__)

MENTIONS_STREAM = "mentions"
RATE_LIMIT_STREAM = "rate-limit:mentions"
BUDGET_RECHECK = timedelta(hours=1)
MIN_PAGE = 5


class XMentionsPoller:
    """Polls one brand account's X mentions (implements :class:`bot.polling.Poller`).

    Args:
        watcher: The mentions watcher (its client carries auth and rate-limit memory).
        db: The database.
        alerts: Where lasting states are reported (once each).
        policy: The monthly budget policy.
        handle: The brand's X username (for the accounts table and messages).
        base_interval_s: Seconds between polls when nothing special happens.
        clock: Current UTC time (the sandbox's in tests).
        probe_interval_s: Seconds between probes while credits are depleted.
    """

    def __init__(
        self,
        watcher: XMentionsWatcher,
        db: Database,
        alerts: Alerts,
        *,
        policy: BudgetPolicy,
        handle: str,
        base_interval_s: float,
        clock: Clock,
        probe_interval_s: float = 900.0,
    ) -> None:
        self.watcher = watcher
        self.db = db
        self.alerts = alerts
        self.policy = policy
        self.handle = handle
        self.base_interval_s = base_interval_s
        self.clock = clock
        self.probe_interval_s = probe_interval_s
        self.notices = Notices(db, watcher.user_id)
        self.last_budget: BudgetState | None = None
        self._next_token: str | None = None
        self._restored = False
        self._wait_until: datetime | None = None
        self._sweeping = False
        self._quiet_cycles = 0
        self._saved_reset: datetime | None = None
        #: Closes the connection this poller reads through (set by :class:`XConnection`).
        self.on_close: Callable[[], Awaitable[None]] | None = None
        #: Builds the publisher sharing this poller's identity (set by :class:`XConnection`).
        self.publisher_factory: Callable[[], XPublisher] | None = None

    @property
    def account_id(self) -> str:
        """The brand's X user id."""
        return self.watcher.user_id

    @property
    def name(self) -> str:
        """``x:<username>``."""
        return f"x:{self.handle or self.account_id}"

    async def aclose(self) -> None:
        """Close the connection (session) behind this poller."""
        if self.on_close is not None:
            await self.on_close()

    async def budget(self, now: datetime) -> BudgetState:
        """The month's spend against the cap (a reached cap when not even a small page fits)."""
        async with self.db.unit_of_work() as uow:
            spent = await uow.api_usage.total_since(Platform.X, month_start(now))
        return self.policy.state(spent, now, min_call_usd=self.watcher.worst_cost(MIN_PAGE))

    async def poll_once(self) -> PollOutcome:
        """Fetch and store one page of mentions (or explain why not now)."""
        now = self.clock()
        await self._restore(now)
        blocked = self.watcher.client.blocked_until(MENTIONS_ENDPOINT)
        if blocked is not None:
            # Foreseen (x-rate-limit-remaining: 0) or remembered: nothing is sent before it.
            await self._save_reset(blocked, now)
            self._wait_until = blocked
            return self._outcome(now, 0, note=f"rate limited until {blocked.isoformat()}")
        async with self.db.unit_of_work() as uow:
            stored = await uow.cursors.get(Platform.X, self.account_id, MENTIONS_STREAM)
            spent = await uow.api_usage.total_since(Platform.X, month_start(now))
        cursor = MentionsCursor.decode(stored.value if stored else None)
        budget = self.policy.state(spent, now, min_call_usd=self.watcher.worst_cost(MIN_PAGE))
        self.last_budget = budget
        if budget.status is BudgetStatus.REACHED:
            return await self._budget_reached(now, budget)
        size = self.policy.affordable_max_results(
            budget, self.watcher.prices.mentions_worst_per_item()
        )
        token = self._next_token if cursor.sweeping else None
        try:
            batch = await self.watcher.fetch(
                cursor, now=now, max_results=size or MIN_PAGE, pagination_token=token
            )
        except XRateLimitedError as exc:
            return await self._rate_limited(now, exc)
        except XCreditsDepletedError as exc:
            return await self._credits_depleted(now, exc)
        except XAuthError as exc:
            await self._stop(now, exc)
            raise PollerStoppedError(str(exc)) from exc
        if self.notices.credits_paused:
            await self.notices.set_credits_paused(False, now)
            await self.alerts.platform_alert(
                Platform.X, self.account_id, "X credits are available again: watching resumed."
            )
        return await self._store(now, batch)

    def next_delay(self, outcome: PollOutcome) -> float:
        """Seconds until the next cycle: at once mid-sweep, later when quiet or near the cap."""
        now = self.clock()
        if self._wait_until is not None:
            wait = (self._wait_until - now).total_seconds()
            self._wait_until = None
            return max(1.0, wait + 1.0)
        if self._sweeping:
            return 0.0
        self._quiet_cycles = 0 if outcome.inserted else self._quiet_cycles + 1
        activity = 0.5 if outcome.inserted else min(4.0, 1.0 + self._quiet_cycles / 5)
        budget_factor = self.policy.interval_factor(self.last_budget) if self.last_budget else 1.0
        return self.base_interval_s * activity * budget_factor

    async def _restore(self, now: datetime) -> None:
        if self._restored:
            return
        async with self.db.unit_of_work() as uow:
            saved = await uow.cursors.get(Platform.X, self.account_id, RATE_LIMIT_STREAM)
            await uow.accounts.upsert(Account(Platform.X, self.account_id, self.handle))
            await uow.commit()
        await self.notices.load()
        if saved is not None and saved.value:
            reset = datetime.fromisoformat(saved.value)
            if reset > now:
                self.watcher.client.remember_reset(MENTIONS_ENDPOINT, reset)
                self._saved_reset = reset
        self._restored = True

    async def _store(self, now: datetime, batch: MentionsBatch) -> PollOutcome:
        page = batch.page
        resources = page.posts + page.included_posts + page.users
        cursor = Cursor(Platform.X, self.account_id, MENTIONS_STREAM, batch.cursor.encode(), now)
        try:
            async with self.db.unit_of_work() as uow:
                result = await uow.ingest(batch.records, cursor)
                await uow.api_usage.record(
                    Platform.X, MENTIONS_ENDPOINT, resources, batch.cost_usd, now
                )
                await uow.commit()
        except Exception:
            # The read was billed even if storing failed: keep the spend honest, then retry.
            await self._record_cost_only(now, resources, batch.cost_usd)
            raise
        self._sweeping = batch.cursor.sweeping
        self._next_token = batch.next_token if batch.cursor.sweeping else None
        note = f"{len(page.errors)} partial error(s) from X" if page.errors else None
        return PollOutcome(
            platform=Platform.X,
            account_id=self.account_id,
            fetched=len(batch.records),
            inserted=result.inserted,
            new_items=tuple(result.new_records),
            api_calls=1,
            finished_at=now,
            note=note,
        )

    async def _record_cost_only(self, now: datetime, resources: int, cost: float) -> None:
        try:
            async with self.db.unit_of_work() as uow:
                await uow.api_usage.record(Platform.X, MENTIONS_ENDPOINT, resources, cost, now)
                await uow.commit()
        except Exception:
            log.exception("could not record the cost of an X read")

    async def _budget_reached(self, now: datetime, budget: BudgetState) -> PollOutcome:
        month = budget.month_start.strftime("%Y-%m")
        if self.notices.budget_month != month:
            await self.notices.set_budget_month(month, now)
            await self.alerts.platform_alert(
                Platform.X,
                self.account_id,
                f"X monthly budget reached (${budget.spent_usd:.2f} of ${budget.cap_usd:.2f}): "
                "mentions are no longer read until next month or a higher "
                "ENGAGEBOT_X_MONTHLY_BUDGET_USD.",
            )
        self._wait_until = min(next_month_start(now), now + BUDGET_RECHECK)
        return self._outcome(now, 0, note="budget reached")

    async def _save_reset(self, reset: datetime, now: datetime) -> None:
        if self._saved_reset == reset:
            return
        value = reset.isoformat()
        async with self.db.unit_of_work() as uow:
            await uow.cursors.set(
                Cursor(Platform.X, self.account_id, RATE_LIMIT_STREAM, value, now)
            )
            await uow.commit()
        self._saved_reset = reset

    async def _rate_limited(self, now: datetime, exc: XRateLimitedError) -> PollOutcome:
        await self._save_reset(exc.retry_at, now)
        self._wait_until = exc.retry_at
        log.warning("%s: rate limited until %s", self.name, exc.retry_at.isoformat())
        return self._outcome(now, 1, note=f"rate limited until {exc.retry_at.isoformat()}")

    async def _credits_depleted(self, now: datetime, exc: XCreditsDepletedError) -> PollOutcome:
        if not self.notices.credits_paused:
            await self.notices.set_credits_paused(True, now)
            await self.alerts.platform_alert(
                Platform.X,
                self.account_id,
                "X API credits are depleted: watching X is paused and resumes by itself once "
                "credits are topped up.",
            )
        log.warning("%s: %s", self.name, exc)
        self._wait_until = now + timedelta(seconds=self.probe_interval_s)
        return self._outcome(now, 1, note="credits depleted")

    async def _stop(self, now: datetime, exc: XAuthError) -> None:
        message = (
            f"X credentials were refused ({exc}); watching X stopped. "
            "Run `engagebot x login` to connect the account again."
        )
        async with self.db.unit_of_work() as uow:
            await uow.accounts.set_status(Platform.X, self.account_id, False, message)
            await uow.commit()
        await self.alerts.platform_alert(Platform.X, self.account_id, message)

    def _outcome(self, now: datetime, calls: int, *, note: str) -> PollOutcome:
        return PollOutcome(Platform.X, self.account_id, 0, 0, (), calls, now, note)
