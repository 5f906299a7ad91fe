"""Where the mentions stream stands, including a sweep of several pages not finished yet.

X pages a ``since_id`` query from the newest post backwards. The ``since_id`` may only move to
the sweep's newest id once *every* page down to the old ``since_id`` is stored; until then the
cursor remembers the oldest id stored (``until_id``) so that a restarted process resumes the
sweep where it stopped, without reading a page twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from watchers.x._parse import TimelinePage


@dataclass(frozen=True, slots=True)
class MentionsCursor:
    """Committed position of the mentions stream.

    Attributes:
        since_id: Everything up to this id is stored (``None``: nothing yet).
        until_id: During a sweep, the oldest id stored so far (resume below it).
        sweep_newest: During a sweep, the newest id seen (the next ``since_id``).
    """

    since_id: str | None = None
    until_id: str | None = None
    sweep_newest: str | None = None

    @property
    def sweeping(self) -> bool:
        """Whether older pages of a sweep are still to be fetched."""
        return self.until_id is not None

    def encode(self) -> str:
        """The opaque value stored in the cursors table."""
        data = {"since_id": self.since_id, "until_id": self.until_id}
        data["sweep_newest"] = self.sweep_newest
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str | None) -> MentionsCursor:
        """Read a stored value (a bare id from older versions counts as ``since_id``)."""
        if not value:
            return cls()
        try:
            data = json.loads(value)
        except ValueError:
            return cls(since_id=value)
        if not isinstance(data, dict):
            return cls(since_id=str(data))

        def text(name: str) -> str | None:
            item = data.get(name)
            return str(item) if item else None

        return cls(text("since_id"), text("until_id"), text("sweep_newest"))

    def after(self, page: TimelinePage) -> MentionsCursor:
        """The position once ``page`` (fetched from this position) is stored."""
        newest = self.sweep_newest or page.newest_id
        if page.next_token and page.oldest_id:
            return MentionsCursor(self.since_id, page.oldest_id, newest)
        return MentionsCursor(newest or self.since_id, None, None)
