"""Turn X API v2 timeline payloads into :class:`InteractionRecord` objects.

Tolerant by design: ``includes.tweets`` (documented) and ``includes.posts`` (spec v2.167) are
both read, missing users or referenced posts degrade gracefully, and a malformed item is
skipped (and reported) rather than failing the page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engagement.models import Author, InteractionKind, InteractionRecord, Platform, PostRef

log = logging.getLogger(__name__)

_NO_LANGUAGE = frozenset({"und", "qme", "qht", "qam", "qct", "zxx", "art"})


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """One page of a timeline, normalized.

    Attributes:
        records: The interactions, newest first as X sends them.
        newest_id: ``meta.newest_id`` (the next ``since_id`` once every page is stored).
        oldest_id: ``meta.oldest_id``.
        next_token: ``meta.next_token`` for the next (older) page, if any.
        posts: Posts in ``data`` (billed resources).
        included_posts: Posts in ``includes.tweets``/``includes.posts``.
        users: Users in ``includes.users``.
        errors: Partial errors X returned beside the data.
        skipped: Items that could not be read.
        post_ids: Ids of the posts in ``data``.
        included_ids: Ids of the expanded posts.
        user_ids: Ids of the expanded users.
    """

    records: tuple[InteractionRecord, ...]
    newest_id: str | None
    oldest_id: str | None
    next_token: str | None
    posts: int
    included_posts: int
    users: int
    errors: tuple[Mapping[str, Any], ...]
    skipped: int = 0
    post_ids: tuple[str, ...] = ()
    included_ids: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()


def parse_datetime(value: object) -> datetime | None:
    """Parse X's ISO 8601 timestamps (``2026-03-01T10:00:00.000Z``); ``None`` when unusable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _dicts(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def parse_author(user: Mapping[str, Any] | None, author_id: str) -> Author:
    """Build the :class:`Author` from an ``includes.users`` entry (or just the id)."""
    if user is None:
        return Author(platform=Platform.X, platform_id=author_id, handle=author_id)
    metrics = user.get("public_metrics")
    metrics = metrics if isinstance(metrics, Mapping) else {}

    def count(name: str) -> int | None:
        value = metrics.get(name)
        return value if isinstance(value, int) else None

    return Author(
        platform=Platform.X,
        platform_id=author_id,
        handle=str(user.get("username") or author_id),
        display_name=str(user.get("name") or ""),
        followers_count=count("followers_count"),
        follows_count=count("following_count"),
        posts_count=count("tweet_count"),
        account_created_at=parse_datetime(user.get("created_at")),
        description=str(user.get("description") or ""),
        verified=bool(user.get("verified", False)),
        avatar_url=user.get("profile_image_url") or None,
    )


def _references(tweet: Mapping[str, Any]) -> dict[str, str]:
    refs: dict[str, str] = {}
    for ref in _dicts(tweet.get("referenced_tweets")):
        kind, ref_id = ref.get("type"), ref.get("id")
        if isinstance(kind, str) and isinstance(ref_id, str):
            refs.setdefault(kind, ref_id)
    return refs


def classify(tweet: Mapping[str, Any]) -> InteractionKind:
    """Mention, reply or quote, from ``referenced_tweets`` (a quote wins over a reply)."""
    refs = _references(tweet)
    if "quoted" in refs:
        return InteractionKind.QUOTE
    if "replied_to" in refs:
        return InteractionKind.REPLY
    return InteractionKind.MENTION


def mentions_account(tweet: Mapping[str, Any], account_id: str, handle: str | None = None) -> bool:
    """Whether the post @-mentions the account (by id or username in ``entities.mentions``)."""
    entities = tweet.get("entities")
    mentions = _dicts(entities.get("mentions")) if isinstance(entities, Mapping) else []
    for mention in mentions:
        if mention.get("id") == account_id:
            return True
        username = mention.get("username")
        if handle and isinstance(username, str) and username.lower() == handle.lower():
            return True
    if handle:
        pattern = rf"(?<![\w@])@{re.escape(handle)}(?!\w)"
        return re.search(pattern, str(tweet.get("text", "")), re.IGNORECASE) is not None
    return False


def parse_tweet(
    tweet: Mapping[str, Any],
    *,
    account_id: str,
    users: Mapping[str, Mapping[str, Any]],
    included: Mapping[str, Mapping[str, Any]],
    now: datetime,
) -> InteractionRecord:
    """Normalize one post of a mentions timeline.

    Raises:
        ValueError: The post has no usable ``id``.
    """
    tweet_id = tweet.get("id")
    if not isinstance(tweet_id, str) or not tweet_id:
        raise ValueError("post without id")
    author_id = str(tweet.get("author_id") or "")
    author = parse_author(users.get(author_id), author_id)
    kind = classify(tweet)
    refs = _references(tweet)
    conversation = tweet.get("conversation_id")
    root = None
    if isinstance(conversation, str) and conversation and conversation != tweet_id:
        root = PostRef(conversation)
    parent = PostRef(refs["replied_to"]) if "replied_to" in refs else None
    subject: PostRef | None = None
    if kind is InteractionKind.QUOTE:
        subject = PostRef(refs["quoted"])
    elif parent is not None:
        parent_post = included.get(parent.id)
        parent_is_ours = parent_post is not None and parent_post.get("author_id") == account_id
        subject = parent if parent_is_ours or root is None else root
    subject_post = included.get(subject.id) if subject else None
    lang = tweet.get("lang")
    created = parse_datetime(tweet.get("created_at")) or now
    return InteractionRecord(
        platform=Platform.X,
        external_id=tweet_id,
        kind=kind,
        author=author,
        account_id=account_id,
        created_at=created,
        indexed_at=now,
        text=str(tweet.get("text") or ""),
        language=lang if isinstance(lang, str) and lang and lang not in _NO_LANGUAGE else None,
        subject=subject,
        subject_text=str(subject_post.get("text")) if subject_post else None,
        root=root,
        parent=parent,
        url=f"https://x.com/{author.handle}/status/{tweet_id}",
        raw=dict(tweet),
    )


def _by_id(items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(item["id"]): item for item in items if isinstance(item.get("id"), str)}


def parse_timeline(payload: Mapping[str, Any], *, account_id: str, now: datetime) -> TimelinePage:
    """Normalize a ``GET /2/users/:id/mentions`` (or any post timeline) response body."""
    data = _dicts(payload.get("data"))
    includes = payload.get("includes")
    includes = includes if isinstance(includes, Mapping) else {}
    users = _dicts(includes.get("users"))
    included = _dicts(includes.get("tweets")) + _dicts(includes.get("posts"))
    meta = payload.get("meta")
    meta = meta if isinstance(meta, Mapping) else {}
    user_map, post_map = _by_id(users), _by_id(included)
    records: list[InteractionRecord] = []
    skipped = 0
    for tweet in data:
        try:
            record = parse_tweet(
                tweet, account_id=account_id, users=user_map, included=post_map, now=now
            )
            records.append(record)
        except (ValueError, TypeError, KeyError) as exc:
            skipped += 1
            log.warning("skipped an unreadable X post: %s", exc)
    errors = tuple(_dicts(payload.get("errors")))
    for error in errors:
        log.warning("X partial error: %s", {k: error.get(k) for k in ("title", "detail", "type")})

    def meta_str(name: str) -> str | None:
        value = meta.get(name)
        return value if isinstance(value, str) and value else None

    return TimelinePage(
        records=tuple(records),
        newest_id=meta_str("newest_id"),
        oldest_id=meta_str("oldest_id"),
        next_token=meta_str("next_token"),
        posts=len(data),
        included_posts=len(post_map),
        users=len(user_map),
        errors=errors,
        skipped=skipped,
        post_ids=tuple(str(t.get("id")) for t in data if t.get("id") is not None),
        included_ids=tuple(post_map),
        user_ids=tuple(user_map),
    )
