"""The team configuration set with ``/config``: settings as defaults, overrides in a JSON file."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cogs.ports import TeamConfig

_TIME = re.compile(r"(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)")
TONES = frozenset({"playful", "practical", "punchy", "storytelling"})


def _parse_channel(value: str) -> int | None:
    text = value.strip().removeprefix("<#").removesuffix(">")
    if text in {"", "none"}:
        return None
    if not text.isdigit():
        raise ValueError(f"{value!r} is not a channel id")
    return int(text)


def _parse_time(value: str) -> str:
    match = _TIME.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a time like 09:00")
    return f"{int(match['h']):02d}:{match['m']}"


def _parse_timezone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA timezone (e.g. Europe/Paris)") from exc
    return value.strip()


def _parse_role(value: str) -> str:
    text = value.strip().removeprefix("<@&").removesuffix(">")
    if not text:
        raise ValueError("the role cannot be empty")
    return text


def _parse_followers(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError(f"{value!r} is not a number of followers")
    return int(value)


def _parse_tone(value: str) -> str:
    if value not in TONES:
        raise ValueError(f"tone must be one of {', '.join(sorted(TONES))}")
    return value


def _parse_topics(value: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for chunk in value.split(","):
        topic = " ".join(chunk.split())
        if topic:
            seen.setdefault(topic, None)
    return tuple(seen)


_PARSERS: dict[str, Any] = {
    "digest_channel_id": _parse_channel,
    "alerts_channel_id": _parse_channel,
    "digest_time": _parse_time,
    "timezone": _parse_timezone,
    "brand_role": _parse_role,
    "large_account_followers": _parse_followers,
    "voice_tone": _parse_tone,
    "topics": _parse_topics,
}


def apply_changes(config: TeamConfig, changes: dict[str, str]) -> TeamConfig:
    """Validate ``changes`` (text from Discord) and return the new configuration.

    Raises:
        ValueError: An unknown name or an invalid value; the message says which.
    """
    values: dict[str, Any] = {}
    for name, raw in changes.items():
        parser = _PARSERS.get(name)
        if parser is None:
            raise ValueError(f"unknown setting {name!r}")
        values[name] = parser(raw)
    return replace(config, **values)


class ConfigStore:
    """Loads and saves the team configuration; the file only holds what admins changed.

    Args:
        path: The JSON file (created on first save, parent directories included).
        defaults: The configuration from settings.
    """

    def __init__(self, path: Path, defaults: TeamConfig) -> None:
        self.path = path
        self.defaults = defaults
        self._cached: tuple[tuple[int, int, int], TeamConfig] | None = None

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def load(self) -> TeamConfig:
        """The defaults with every saved override applied (invalid saved values are ignored).

        Kept in memory: the file is read again only when it changed on disk (another
        process, or an admin editing it) or after :meth:`save`.
        """
        stamp = self._stamp()
        if stamp is None:
            self._cached = None
            return self.defaults
        if self._cached is not None and self._cached[0] == stamp:
            return self._cached[1]
        config = self._read()
        self._cached = (stamp, config)
        return config

    def _read(self) -> TeamConfig:
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self.defaults
        config = self.defaults
        for name, value in saved.items() if isinstance(saved, dict) else ():
            try:
                text = ",".join(value) if isinstance(value, list) else str(value)
                config = apply_changes(config, {name: "none" if value is None else text})
            except ValueError:
                continue
        return config

    def save(self, config: TeamConfig) -> None:
        """Persist the differences from the defaults, atomically."""
        current, base = asdict(config), asdict(self.defaults)
        diff = {k: v for k, v in current.items() if v != base[k]}
        write_json(self.path, diff)
        self._cached = None  # read back once, exactly as the next process would


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename), creating the parent directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    Path(tmp).replace(path)
