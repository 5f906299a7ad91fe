"""A small LRU cache whose entries expire (time is an argument, never read from a clock)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """Least-recently-used cache with a time-to-live per entry.

    Args:
        max_size: Entries kept at most; the least recently used go first.
        ttl: How long an entry stays valid (``None``: forever).
    """

    def __init__(self, max_size: int, ttl: timedelta | None) -> None:
        self._max_size = max_size
        self._ttl = ttl
        self._items: OrderedDict[K, tuple[V, datetime | None]] = OrderedDict()

    def get(self, key: K, now: datetime) -> tuple[bool, V | None]:
        """Return ``(True, value)`` for a fresh entry, ``(False, None)`` otherwise."""
        entry = self._items.get(key)
        if entry is None:
            return False, None
        value, expires = entry
        if expires is not None and now >= expires:
            del self._items[key]
            return False, None
        self._items.move_to_end(key)
        return True, value

    def put(self, key: K, value: V, now: datetime) -> None:
        """Store ``value`` for ``key``."""
        expires = now + self._ttl if self._ttl is not None else None
        self._items[key] = (value, expires)
        self._items.move_to_end(key)
        while len(self._items) > self._max_size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
