"""Item references that fit in a Discord ``custom_id`` (at most 100 characters).

A custom id is ``eb:<action>:<platform letter>:<ref>``. On X the reference is the post id.
On Bluesky an AT-URI ``at://did:plc:abc/app.bsky.feed.post/3k…`` becomes
``plc:abc/p/3k…`` (the ``did:`` prefix and the collection are abbreviated). A reference that
would still be too long becomes ``#<hash>@<created>``: a hash of the id and the item's
creation time in whole UNIX seconds, so the service finds it with an indexed lookup on the
creation time (interactions are never updated, so that time never changes) and checks the
hash on the few items of that second. Older cards carry ``#<hash>`` alone; those are still
resolved, more slowly.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime

from engagement.models import Platform

CUSTOM_ID_MAX = 100
PREFIX = "eb"
ACTIONS = ("reply", "suggest", "thank", "claim", "done", "snooze", "dismiss", "unclaim")

_PLATFORM_LETTER = {Platform.BLUESKY: "b", Platform.X: "x"}
_LETTER_PLATFORM = {v: k for k, v in _PLATFORM_LETTER.items()}
_COLLECTIONS = {
    "app.bsky.feed.post": "p",
    "app.bsky.feed.like": "l",
    "app.bsky.feed.repost": "r",
    "app.bsky.graph.follow": "f",
}
_COLLECTION_NAMES = {v: k for k, v in _COLLECTIONS.items()}
_AT_URI = re.compile(r"at://did:(?P<did>[^/]+)/(?P<col>[^/]+)/(?P<rkey>[^/]+)")

TEMPLATE = re.compile(
    rf"{PREFIX}:(?P<action>{'|'.join(ACTIONS)}):(?P<platform>[bx]):(?P<ref>[^\s]+)"
)


def hash_ref(external_id: str, created_at: datetime | None = None) -> str:
    """The hashed reference of an id too long to carry verbatim.

    Args:
        external_id: The item's id.
        created_at: The item's creation time; when given, the reference carries it (in
            whole UNIX seconds) so the item is found by an indexed lookup.
    """
    digest = "#" + hashlib.sha256(external_id.encode()).hexdigest()[:32]
    if created_at is None:
        return digest
    return f"{digest}@{math.floor(created_at.timestamp())}"


def split_hash_ref(ref: str) -> tuple[str, int | None] | None:
    """Read a hashed reference as ``(hash part, creation second or None)``.

    Returns:
        ``None`` when ``ref`` is not a hashed reference.
    """
    if not ref.startswith("#"):
        return None
    digest, sep, second = ref.partition("@")
    if not sep:
        return digest, None
    try:
        return digest, int(second)
    except ValueError:
        return None


def _compact(platform: Platform, external_id: str) -> str:
    if platform is Platform.BLUESKY:
        match = _AT_URI.fullmatch(external_id)
        if match:
            col = _COLLECTIONS.get(match["col"], match["col"])
            return f"{match['did']}/{col}/{match['rkey']}"
    return external_id


def expand_ref(platform: Platform, ref: str) -> str:
    """Turn a compact reference back into the external id (hashed ones stay as they are)."""
    if platform is Platform.BLUESKY and not ref.startswith("#"):
        parts = ref.split("/")
        if len(parts) == 3:
            did, col, rkey = parts
            return f"at://did:{did}/{_COLLECTION_NAMES.get(col, col)}/{rkey}"
    return ref


def custom_id(
    action: str, platform: Platform, external_id: str, created_at: datetime | None = None
) -> str:
    """The custom id of a button acting on an item, always within Discord's limit.

    ``created_at`` (the item's creation time) goes into a hashed reference, when one is needed.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    head = f"{PREFIX}:{action}:{_PLATFORM_LETTER[platform]}:"
    ref = _compact(platform, external_id)
    if len(head) + len(ref) > CUSTOM_ID_MAX or any(c.isspace() for c in ref):
        ref = hash_ref(external_id, created_at)
    return head + ref


def parse(value: str) -> tuple[str, Platform, str] | None:
    """Split a custom id into ``(action, platform, external id or hashed ref)``."""
    match = TEMPLATE.fullmatch(value)
    if match is None:
        return None
    platform = _LETTER_PLATFORM[match["platform"]]
    return match["action"], platform, expand_ref(platform, match["ref"])


def item_token(platform: Platform, external_id: str, created_at: datetime | None = None) -> str:
    """A short text naming an item (for autocomplete values and ``/inbox`` listings)."""
    ref = _compact(platform, external_id)
    if len(ref) > CUSTOM_ID_MAX - 2 or any(c.isspace() for c in ref):
        ref = hash_ref(external_id, created_at)
    return f"{_PLATFORM_LETTER[platform]}:{ref}"


def parse_token(value: str) -> tuple[Platform, str] | None:
    """Read an :func:`item_token` back as ``(platform, external id or hashed ref)``."""
    letter, sep, ref = value.strip().partition(":")
    if not sep or letter not in _LETTER_PLATFORM or not ref:
        return None
    platform = _LETTER_PLATFORM[letter]
    return platform, expand_ref(platform, ref)
