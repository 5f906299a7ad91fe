"""Deterministic record keys: a valid TID derived from an action's idempotency key and time.

A TID is 13 characters of base32-sortable encoding a 64-bit integer: top bit 0, 53 bits of
microseconds since the epoch, 10 bits of clock id. Deriving it from the recorded action (its
creation time and key) means a retry after a crash creates the *same* record key, which the
PDS refuses as already existing instead of posting twice.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_LENGTH = 13


def tid_for(key: str, at: datetime) -> str:
    """The TID for idempotency key ``key`` recorded at ``at``.

    The timestamp is ``at`` to the millisecond (storage may drop microseconds), the last three
    microsecond digits and the clock id come from a hash of ``key``.
    """
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    micros = int(at.timestamp() * 1000) * 1000 + digest % 1000
    clock_id = (digest >> 10) % 1024
    value = ((micros & ((1 << 53) - 1)) << 10) | clock_id
    chars = []
    for _ in range(_TID_LENGTH):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(value: str) -> bool:
    """Whether ``value`` is syntactically a TID (13 chars, valid first character)."""
    return (
        len(value) == _TID_LENGTH
        and all(c in _ALPHABET for c in value)
        and value[0] in "234567abcdefghij"
    )
