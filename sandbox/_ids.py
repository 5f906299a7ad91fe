"""Real-looking identifiers: DIDs, TIDs, AT-URIs, dag-cbor CIDs and X snowflake ids.

CIDs are genuine CIDv1 (dag-cbor codec, sha-256) over a DAG-CBOR encoding of the record, written
with the standard library only: keys sorted by length then bytes, no floats, as atproto requires.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "at_uri",
    "dag_cbor",
    "did_for",
    "format_datetime",
    "record_cid",
    "snowflake",
    "tid",
]

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_X_EPOCH_MS = 1288834974657


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    if value < 0x100:
        return bytes([major << 5 | 24, value])
    if value < 0x10000:
        return bytes([major << 5 | 25]) + struct.pack(">H", value)
    if value < 0x100000000:
        return bytes([major << 5 | 26]) + struct.pack(">I", value)
    return bytes([major << 5 | 27]) + struct.pack(">Q", value)


def dag_cbor(value: Any) -> bytes:
    """Encode a JSON-like value as canonical DAG-CBOR (no floats, string keys only)."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        body = b"".join(dag_cbor(k) + dag_cbor(value[k]) for k in keys)
        return _head(5, len(keys)) + body
    if isinstance(value, Sequence):
        return _head(4, len(value)) + b"".join(dag_cbor(v) for v in value)
    raise TypeError(f"cannot encode {type(value).__name__} as DAG-CBOR")


def record_cid(record: Mapping[str, Any]) -> str:
    """Return the CIDv1 (base32, dag-cbor, sha-256) of ``record``."""
    digest = hashlib.sha256(dag_cbor(record)).digest()
    raw = b"\x01\x71\x12\x20" + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def did_for(seed: str) -> str:
    """Return a stable ``did:plc:`` identifier (24 base32 characters) derived from ``seed``."""
    digest = hashlib.sha256(seed.encode()).digest()
    return "did:plc:" + base64.b32encode(digest).decode().lower()[:24]


def tid(at: datetime, clock_id: int = 0) -> str:
    """Return an atproto TID (13 sortable base32 characters) for ``at`` and ``clock_id``."""
    micros = int(at.timestamp() * 1_000_000)
    value = (micros << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def at_uri(did: str, collection: str, rkey: str) -> str:
    """Return ``at://did/collection/rkey``."""
    return f"at://{did}/{collection}/{rkey}"


def snowflake(at: datetime, sequence: int) -> str:
    """Return an X-style snowflake post/user id for ``at`` (sequence modulo 4096)."""
    millis = int(at.timestamp() * 1000) - _X_EPOCH_MS
    return str((millis << 22) | (1 << 17) | (sequence & 0xFFF))


def format_datetime(at: datetime) -> str:
    """Render ``at`` as atproto datetimes look: UTC, milliseconds, ``Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
