"""Bluesky: watch one or more brand accounts' notifications and write as the brand.

Public API:

* :class:`BlueskySession`: an account's client (session reuse, refresh, password fallback).
* :class:`BlueskyWatcher`: one poll cycle's fetch + normalize (never persists).
* :class:`Hydrator`: batched, cached ``getPosts`` / ``getProfiles``.
* :class:`BlueskyWriter`: reply, like, repost, follow, delete (network only).
* :func:`brand_replies`: the brand's own replies (answers made outside the bot).
* :func:`check_post_length`, :func:`grapheme_count`, :func:`tid_for`, :func:`kind_for_reason`.
"""

from watchers.bluesky._errors import (
    BlueskyError,
    MalformedResponseError,
    RateLimitedError,
    SessionDeadError,
)
from watchers.bluesky._kinds import kind_for_reason
from watchers.bluesky._state import Mark, WatchState
from watchers.bluesky._text import (
    MAX_GRAPHEMES,
    check_post_length,
    grapheme_count,
    guess_language,
)
from watchers.bluesky._tid import is_tid, tid_for
from watchers.bluesky.feed import BrandReply, FeedUnavailableError, brand_replies
from watchers.bluesky.hydrator import Hydrator, PostInfo
from watchers.bluesky.session import BlueskySession, MemorySessionStore, SessionStore
from watchers.bluesky.watcher import BlueskyWatcher, KnownCheck, WatchResult
from watchers.bluesky.writer import BlueskyWriter, Created

__all__ = [
    "MAX_GRAPHEMES",
    "BlueskyError",
    "BlueskySession",
    "BlueskyWatcher",
    "BlueskyWriter",
    "BrandReply",
    "Created",
    "FeedUnavailableError",
    "Hydrator",
    "KnownCheck",
    "MalformedResponseError",
    "Mark",
    "MemorySessionStore",
    "PostInfo",
    "RateLimitedError",
    "SessionDeadError",
    "SessionStore",
    "WatchResult",
    "WatchState",
    "brand_replies",
    "check_post_length",
    "grapheme_count",
    "guess_language",
    "is_tid",
    "kind_for_reason",
    "tid_for",
]
