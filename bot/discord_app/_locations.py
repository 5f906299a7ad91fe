"""Card locations in a JSON file, so cards posted before a restart are still refreshed."""

from __future__ import annotations

import json
from pathlib import Path

from bot.discord_app._config import write_json
from cogs.board import Location
from cogs.ports import ItemKey
from engagement.models import Platform

MAX_ITEMS = 5_000


class JsonLocationStore:
    """Implements :class:`cogs.board.LocationStore` over one JSON file (newest items kept)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[ItemKey, set[Location]]:
        """Every stored location (an unreadable file counts as empty)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        result: dict[ItemKey, set[Location]] = {}
        for entry in raw if isinstance(raw, list) else ():
            try:
                key = (Platform(entry["platform"]), str(entry["id"]))
                result[key] = {(int(c), int(m)) for c, m in entry["at"]}
            except (KeyError, TypeError, ValueError):
                continue
        return result

    def save(self, locations: dict[ItemKey, set[Location]]) -> None:
        """Replace the file with ``locations`` (the most recent ``MAX_ITEMS`` items)."""
        entries = [
            {"platform": key[0].value, "id": key[1], "at": sorted(where)}
            for key, where in list(locations.items())[-MAX_ITEMS:]
        ]
        write_json(self.path, entries)
