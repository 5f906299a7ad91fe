"""In-process world state: the scenario on a clock, ground truth, counters and the fault queue."""

from __future__ import annotations

import bisect
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from engagement.models import Platform
from sandbox._clock import Clock
from sandbox._ids import format_datetime, snowflake
from sandbox.scenarios import Event, Scenario, ScheduledFault

__all__ = ["Fault", "GroundTruth", "RequestLogEntry", "World"]

#: Renders delivered interaction events of one platform as ground-truth entries.
GroundTruth = Callable[[list[Event]], list[dict[str, Any]]]

_LOG_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Fault:
    """One queued failure for the next request of an endpoint.

    With ``after`` the real handler runs first (the write happens) and only then is the
    answer replaced by the drop, error status or malformed body: an unclear outcome.
    """

    status: int | None = None
    delay_s: float | None = None
    malformed: bool = False
    drop: bool = False
    after: bool = False


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One request as the sandbox saw it (scenario time)."""

    endpoint: str
    method: str
    path: str
    status: int
    at: datetime

    def as_json(self) -> dict[str, Any]:
        """JSON form: ``endpoint``, ``method``, ``path``, ``status``, ``at`` and unix ``t``."""
        return {
            "endpoint": self.endpoint,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "at": format_datetime(self.at),
            "t": self.at.timestamp(),
        }


class World:
    """Everything the simulators share: scenario, clock, ground truth and accounting.

    Args:
        scenario: The traffic to play.
        clock: Scenario time source.
        epoch: The instant event offsets count from.
        auth_clock: Time source for token expiry and rate-limit windows (default: ``clock``).
            Clients compare token ``exp`` with real time, so a sped-up clock must not drive it.
    """

    def __init__(
        self,
        scenario: Scenario,
        clock: Clock,
        epoch: datetime,
        auth_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.scenario = scenario
        self.clock = clock
        self.epoch = epoch
        self.auth_now: Callable[[], datetime] = auth_clock or clock.now
        self.requests: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.sessions_created = 0
        self.written: list[dict[str, Any]] = []
        self.x_cost_usd = 0.0
        self.x_credits_usd: float | None = None
        self.request_log: deque[RequestLogEntry] = deque(maxlen=_LOG_LIMIT)
        self.faults: dict[str, deque[Fault]] = {}
        self.ground_truth: dict[str, GroundTruth] = {"x": self._x_ground_truth}
        self.extensions: dict[str, Callable[[], Any]] = {}
        self._offsets = [e.offset for e in scenario.events]
        self._armed = 0
        self._pending_faults = sorted(scenario.faults, key=lambda f: f.offset)

    # -- time ---------------------------------------------------------------------------
    def now(self) -> datetime:
        """Current scenario time."""
        return self.clock.now()

    def time_of(self, event: Event) -> datetime:
        """When ``event`` happens."""
        return self.epoch + event.offset

    def delivered(self, platform: Platform | None = None) -> list[Event]:
        """Events whose time has come (all kinds, brand posts included), oldest first."""
        cut = bisect.bisect_right(self._offsets, self.now() - self.epoch)
        events = self.scenario.events[:cut]
        return [e for e in events if platform is None or e.platform is platform]

    def is_delivered(self, event: Event) -> bool:
        """Whether ``event`` has happened yet."""
        return self.time_of(event) <= self.now()

    def x_id(self, event: Event) -> str:
        """The X post id of an X event (a snowflake of its time and seq)."""
        return snowflake(self.time_of(event), event.seq)

    # -- accounting ----------------------------------------------------------------------
    def note_request(self, endpoint: str, method: str, path: str, status: int) -> None:
        """Count a request and append it to the request log."""
        self.requests[endpoint] += 1
        self.request_log.append(RequestLogEntry(endpoint, method, path, status, self.now()))

    def note_rate_limited(self, endpoint: str) -> None:
        """Count a rate-limit rejection."""
        self.rate_limited[endpoint] += 1

    def add_cost(self, usd: float) -> None:
        """Add to the X cost ledger."""
        self.x_cost_usd += usd

    def record_write(
        self,
        platform: Platform,
        type_: str,
        id_: str,
        text: str | None = None,
        reply_root: str | None = None,
        reply_parent: str | None = None,
        **extra: Any,
    ) -> None:
        """Record something the bot created (``type_``: post, like, repost, follow, delete)."""
        self.written.append(
            {
                "platform": platform.value,
                "type": type_,
                "id": id_,
                "text": text,
                "reply_root": reply_root,
                "reply_parent": reply_parent,
                "at": format_datetime(self.now()),
                **extra,
            }
        )

    # -- faults ---------------------------------------------------------------------------
    def queue_fault(self, endpoint: str, fault: Fault, count: int = 1) -> None:
        """Fail the next ``count`` requests of ``endpoint`` with ``fault``."""
        self.faults.setdefault(endpoint, deque()).extend([fault] * count)

    def take_fault(self, endpoint: str) -> Fault | None:
        """Pop the fault for this request of ``endpoint``, arming scheduled ones first."""
        now = self.now() - self.epoch
        while self._armed < len(self._pending_faults):
            scheduled: ScheduledFault = self._pending_faults[self._armed]
            if scheduled.offset > now:
                break
            self._armed += 1
            fault = Fault(scheduled.status, scheduled.delay_s, scheduled.malformed, scheduled.drop)
            self.queue_fault(scheduled.endpoint, fault, scheduled.count)
        queue = self.faults.get(endpoint)
        return queue.popleft() if queue else None

    # -- ground truth ---------------------------------------------------------------------
    def _x_ground_truth(self, events: list[Event]) -> list[dict[str, Any]]:
        return [
            {
                "id": self.x_id(e),
                "kind": e.kind,
                "author": e.author.x_handle,
                "author_id": e.author.x_id,
                "text": e.text,
                "lang": e.lang,
                "intent": e.intent,
                "at": format_datetime(self.time_of(e)),
            }
            for e in events
            if e.is_interaction and e.mentions_brand and e.author.key != self.scenario.brand.key
        ]

    def generated(self) -> dict[str, list[dict[str, Any]]]:
        """Every interaction delivered so far, per platform, as the bot should store it."""
        result: dict[str, list[dict[str, Any]]] = {}
        for platform in Platform:
            events = [e for e in self.delivered(platform) if e.is_interaction]
            render = self.ground_truth.get(platform.value)
            result[platform.value] = render(events) if render else []
        return result

    def state(self) -> dict[str, Any]:
        """The ``GET /_sandbox/state`` document."""
        state: dict[str, Any] = {
            "scenario": self.scenario.name,
            "seed": self.scenario.seed,
            "now": format_datetime(self.now()),
            "epoch": format_datetime(self.epoch),
            "generated": self.generated(),
            "requests": dict(self.requests),
            "sessions_created": self.sessions_created,
            "written": list(self.written),
            "rate_limited": dict(self.rate_limited),
            "x_cost_usd": round(self.x_cost_usd, 6),
            "faults_pending": {k: [asdict(f) for f in q] for k, q in self.faults.items() if q},
            "request_log": [entry.as_json() for entry in self.request_log],
        }
        for key, build in self.extensions.items():
            state[key] = build()
        return state

    def advance(self, seconds: float) -> None:
        """Move the clock forward (``POST /_sandbox/advance``)."""
        self.clock.advance(timedelta(seconds=seconds))
