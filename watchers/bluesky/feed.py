"""The brand's own replies, read from its author feed: answers made outside the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from atproto_client import models
from atproto_client.client.base import is_method_not_served
from atproto_client.exceptions import RequestErrorBase

from engagement.models import PostRef
from watchers.bluesky._errors import BlueskyError
from watchers.bluesky._records import parse_datetime, post_text, reply_refs
from watchers.bluesky._state import Mark
from watchers.bluesky._xrpc import items_of
from watchers.bluesky.session import BlueskySession

GET_AUTHOR_FEED = "app.bsky.feed.getAuthorFeed"


class FeedUnavailableError(BlueskyError):
    """The service does not serve ``getAuthorFeed`` (a bare PDS, an old sandbox)."""


@dataclass(frozen=True, slots=True)
class BrandReply:
    """A reply the brand account posted (from any client).

    Attributes:
        post: The brand's reply.
        parent: The post it answers.
        text: Its text.
        created_at: When it was posted (UTC).
        indexed_at: When Bluesky indexed it (UTC).
    """

    post: PostRef
    parent: PostRef
    text: str
    created_at: datetime
    indexed_at: datetime


async def brand_replies(
    session: BlueskySession, since: Mark | None, now: datetime, *, max_pages: int = 3
) -> tuple[list[BrandReply], Mark | None]:
    """The brand's replies newer than ``since``, and the newest post mark seen.

    Reads ``getAuthorFeed`` (``posts_with_replies``) newest first until ``since`` is reached.

    Args:
        session: The brand account.
        since: Newest post already examined; ``None`` reads one page only.
        now: The current time (UTC).
        max_pages: Pages read at most.

    Raises:
        FeedUnavailableError: The service does not serve the author feed.
    """
    await session.start()
    did = session.did
    replies: list[BrandReply] = []
    newest = since
    cursor: str | None = None
    for _ in range(max_pages):
        params = models.AppBskyFeedGetAuthorFeed.Params(
            actor=did, filter="posts_with_replies", limit=100, cursor=cursor
        )
        try:
            content = await session.query(GET_AUTHOR_FEED, params, now)
        except RequestErrorBase as exc:
            if is_method_not_served(exc):
                raise FeedUnavailableError(f"{GET_AUTHOR_FEED} is not served") from exc
            raise
        reached = False
        for item in items_of(content, "feed", GET_AUTHOR_FEED):
            found = _reply_of(item, did)
            post = item.get("post") if isinstance(item, dict) else None
            mark = _mark(post)
            if mark is None:
                continue
            if since is not None and mark <= since:
                reached = True
                continue
            newest = mark if newest is None or mark > newest else newest
            if found is not None:
                replies.append(found)
        next_cursor = content.get("cursor")
        if reached or since is None or not isinstance(next_cursor, str) or not next_cursor:
            break
        cursor = next_cursor
    return replies, newest


def _mark(post: object) -> Mark | None:
    if not isinstance(post, dict) or not isinstance(post.get("uri"), str):
        return None
    indexed_at = parse_datetime(post.get("indexedAt"))
    return Mark(indexed_at, post["uri"]) if indexed_at else None


def _reply_of(item: object, did: str) -> BrandReply | None:
    if not isinstance(item, dict) or item.get("reason"):  # a repost, not the brand's post
        return None
    post = item.get("post")
    if not isinstance(post, dict):
        return None
    author = post.get("author")
    record = post.get("record")
    if not isinstance(author, dict) or author.get("did") != did or not isinstance(record, dict):
        return None
    _, parent = reply_refs(record)
    indexed_at = parse_datetime(post.get("indexedAt"))
    uri, cid = post.get("uri"), post.get("cid")
    if parent is None or indexed_at is None or not isinstance(uri, str):
        return None
    return BrandReply(
        post=PostRef(uri, cid if isinstance(cid, str) else None),
        parent=parent,
        text=post_text(record),
        created_at=parse_datetime(record.get("createdAt")) or indexed_at,
        indexed_at=indexed_at,
    )
