"""The watcher's position in the notification stream, stored as the cursor's opaque value.

``listNotifications`` is newest-first and its cursor only pages backwards, so the position kept
between cycles is a *watermark*: the newest (indexedAt, URI) already stored. A catch-up that
needs more pages than one cycle allows keeps the page cursor to resume from and the newest item
of that catch-up (``top``), which becomes the watermark once the old one is reached.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from watchers.bluesky._records import parse_datetime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """A point in the stream: (indexedAt, URI); later points compare greater."""

    indexed_at: datetime
    uri: str

    def encode(self) -> list[str]:
        """JSON-compatible form."""
        return [self.indexed_at.isoformat(), self.uri]

    @classmethod
    def decode(cls, value: object) -> Mark | None:
        """Read :meth:`encode`'s output; ``None`` when it is not valid."""
        if not isinstance(value, list) or len(value) != 2:
            return None
        indexed_at = parse_datetime(value[0])
        if indexed_at is None or not isinstance(value[1], str):
            return None
        return cls(indexed_at, value[1])


@dataclass(frozen=True, slots=True)
class WatchState:
    """Where one account's notification stream stands.

    Attributes:
        watermark: Newest notification known to be stored, ``None`` before the first catch-up.
        resume: Page cursor to continue an unfinished catch-up from.
        top: Newest notification of the unfinished catch-up.
    """

    watermark: Mark | None = None
    resume: str | None = None
    top: Mark | None = None

    @property
    def catching_up(self) -> bool:
        """Whether an unfinished catch-up is pending."""
        return self.resume is not None

    def encode(self) -> str:
        """The opaque cursor value."""
        data: dict[str, object] = {"v": 1}
        if self.watermark is not None:
            data["w"] = self.watermark.encode()
        if self.resume is not None:
            data["resume"] = self.resume
        if self.top is not None:
            data["top"] = self.top.encode()
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str | None) -> WatchState:
        """Read a stored cursor value; an unreadable one starts over (with a warning)."""
        if not value:
            return cls()
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("v") != 1:
            log.warning("bluesky: unreadable stored cursor %r; starting a full catch-up", value)
            return cls()
        resume = data.get("resume")
        return cls(
            watermark=Mark.decode(data.get("w")),
            resume=resume if isinstance(resume, str) else None,
            top=Mark.decode(data.get("top")),
        )
