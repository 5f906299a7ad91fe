"""Hydrate notifications in batches: the brand's posts and the authors' audience.

Both lookups take at most 25 items per call and go through caches, so a steady stream of
notifications about the same few brand posts costs almost nothing after the first cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from atproto_client import models

from engagement.models import Author, PostRef
from watchers.bluesky._cache import TtlCache
from watchers.bluesky._normalize import Notice, author_from_detailed, subject_of
from watchers.bluesky._records import is_post_uri, post_text, reply_refs
from watchers.bluesky._xrpc import items_of, parse_each
from watchers.bluesky.session import BlueskySession

BATCH = 25
"""``getPosts`` and ``getProfiles`` accept at most 25 items."""


@dataclass(frozen=True, slots=True)
class PostInfo:
    """What triage needs of a post: its text and its place in a thread.

    Attributes:
        ref: Its URI and CID.
        author_did: Who wrote it.
        text: Its text.
        root: Thread root, if it is a reply.
        parent: Direct parent, if it is a reply.
    """

    ref: PostRef
    author_did: str
    text: str
    root: PostRef | None
    parent: PostRef | None


@dataclass(frozen=True, slots=True)
class Hydration:
    """The result of one hydration round."""

    posts: dict[str, PostInfo | None]
    profiles: dict[str, Author | None]


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Hydrator:
    """Batching, caching look-ups of posts and profiles.

    Args:
        profile_ttl: How long an author's audience counts are trusted.
        post_ttl: How long a post's text is trusted (posts are immutable; deletions aside).
        max_entries: Entries kept per cache.
    """

    def __init__(
        self,
        *,
        profile_ttl: timedelta = timedelta(hours=6),
        post_ttl: timedelta = timedelta(days=7),
        max_entries: int = 20_000,
    ) -> None:
        self._posts: TtlCache[str, PostInfo | None] = TtlCache(max_entries, post_ttl)
        self._profiles: TtlCache[str, Author | None] = TtlCache(max_entries, profile_ttl)

    async def hydrate(
        self, session: BlueskySession, notices: Sequence[Notice], now: datetime
    ) -> Hydration:
        """Look up what ``notices`` need that the caches do not hold, 25 per call."""
        subjects = [
            ref.id for n in notices if (ref := subject_of(n)) is not None and is_post_uri(ref.id)
        ]
        posts = await self.posts(session, subjects, now)
        profiles = await self.profiles(session, [n.author.platform_id for n in notices], now)
        return Hydration(posts=posts, profiles=profiles)

    async def posts(
        self, session: BlueskySession, uris: Iterable[str], now: datetime
    ) -> dict[str, PostInfo | None]:
        """Posts by URI (``None`` for a post the service does not return: deleted, blocked)."""
        found: dict[str, PostInfo | None] = {}
        missing: list[str] = []
        for uri in dict.fromkeys(uris):
            hit, value = self._posts.get(uri, now)
            if hit:
                found[uri] = value
            else:
                missing.append(uri)
        for chunk in _chunks(missing, BATCH):
            params = models.AppBskyFeedGetPosts.Params(uris=list(chunk))
            nsid = "app.bsky.feed.getPosts"
            content = await session.query(nsid, params, now)
            items = items_of(content, "posts", nsid)
            views = parse_each(items, models.AppBskyFeedDefs.PostView, "post")
            got = {str(v.uri): _post_info(v) for v in views}
            for uri in chunk:
                info = got.get(uri)
                self._posts.put(uri, info, now)
                found[uri] = info
        return found

    async def profiles(
        self, session: BlueskySession, dids: Iterable[str], now: datetime
    ) -> dict[str, Author | None]:
        """Profiles with audience counts by DID (``None`` when the service has none)."""
        found: dict[str, Author | None] = {}
        missing: list[str] = []
        for did in dict.fromkeys(dids):
            hit, value = self._profiles.get(did, now)
            if hit:
                found[did] = value
            else:
                missing.append(did)
        for chunk in _chunks(missing, BATCH):
            params = models.AppBskyActorGetProfiles.Params(actors=list(chunk))
            nsid = "app.bsky.actor.getProfiles"
            content = await session.query(nsid, params, now)
            views = parse_each(
                items_of(content, "profiles", nsid),
                models.AppBskyActorDefs.ProfileViewDetailed,
                "profile",
            )
            got = {str(v.did): author_from_detailed(v) for v in views}
            for did in chunk:
                author = got.get(did)
                self._profiles.put(did, author, now)
                found[did] = author
        return found


def _post_info(view: models.AppBskyFeedDefs.PostView) -> PostInfo:
    record = view.record
    raw = record.model_dump(by_alias=True) if hasattr(record, "model_dump") else dict(record)
    root, parent = reply_refs(raw)
    return PostInfo(
        ref=PostRef(str(view.uri), str(view.cid)),
        author_did=str(view.author.did),
        text=post_text(raw),
        root=root,
        parent=parent,
    )
