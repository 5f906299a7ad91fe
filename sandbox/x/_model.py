"""The X side of the simulated world: users, posts and how they render as API v2 objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from twitter_text import extract_urls_with_indices

__all__ = ["XPost", "XUser", "entities_of", "iso"]

_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")


def iso(at: datetime) -> str:
    """X's timestamp format: UTC with milliseconds and ``Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@dataclass(slots=True)
class XUser:
    """An X account."""

    id: str
    username: str
    name: str
    created_at: datetime
    description: str = ""
    followers: int = 0
    following: int = 0
    posts: int = 0
    listed: int = 0
    verified: bool = False

    def render(self, fields: set[str]) -> dict[str, Any]:
        """The v2 user object: ``id``, ``name``, ``username`` plus the requested ``user.fields``."""
        out: dict[str, Any] = {"id": self.id, "name": self.name, "username": self.username}
        if "created_at" in fields:
            out["created_at"] = iso(self.created_at)
        if "description" in fields:
            out["description"] = self.description
        if "verified" in fields:
            out["verified"] = self.verified
        if "protected" in fields:
            out["protected"] = False
        if "public_metrics" in fields:
            out["public_metrics"] = {
                "followers_count": self.followers,
                "following_count": self.following,
                "tweet_count": self.posts,
                "listed_count": self.listed,
                "like_count": self.posts // 3,
                "media_count": self.posts // 20,
            }
        return out


@dataclass(slots=True)
class XPost:
    """An X post (tweet) and the counters other people's actions moved."""

    id: str
    author_id: str
    text: str
    created_at: datetime
    conversation_id: str
    lang: str | None = None
    in_reply_to_user_id: str | None = None
    referenced: list[tuple[str, str]] = field(default_factory=list)
    kind: str | None = None
    seq: int | None = None
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    mentioned: list[str] = field(init=False)
    _entities: dict[str, Any] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        # Usernames @-mentioned in the text, lower case (the text never changes).
        self.mentioned = [m.group(1).lower() for m in _MENTION.finditer(self.text)]

    def render(self, fields: set[str], users_by_name: dict[str, XUser]) -> dict[str, Any]:
        """The v2 post: ``id``, ``text``, ``edit_history_tweet_ids`` plus ``tweet.fields``."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "edit_history_tweet_ids": [self.id],
        }
        if "author_id" in fields:
            out["author_id"] = self.author_id
        if "created_at" in fields:
            out["created_at"] = iso(self.created_at)
        if "conversation_id" in fields:
            out["conversation_id"] = self.conversation_id
        if "lang" in fields:
            out["lang"] = self.lang or "und"
        if "in_reply_to_user_id" in fields and self.in_reply_to_user_id:
            out["in_reply_to_user_id"] = self.in_reply_to_user_id
        if "referenced_tweets" in fields and self.referenced:
            out["referenced_tweets"] = [{"type": t, "id": i} for t, i in self.referenced]
        if "entities" in fields:
            if self._entities is None:
                self._entities = entities_of(self.text, users_by_name)
            if self._entities:
                out["entities"] = self._entities
        if "public_metrics" in fields:
            out["public_metrics"] = {
                "retweet_count": self.reposts,
                "reply_count": self.replies,
                "like_count": self.likes,
                "quote_count": self.quotes,
                "bookmark_count": 0,
                "impression_count": 40 * (self.likes + self.reposts + self.replies) + 120,
            }
        if "possibly_sensitive" in fields:
            out["possibly_sensitive"] = False
        if "reply_settings" in fields:
            out["reply_settings"] = "everyone"
        return out


def entities_of(text: str, users_by_name: dict[str, XUser]) -> dict[str, Any]:
    """``entities`` of a post: mentions (with user ids when known), hashtags and URLs.

    Indices are Unicode code point offsets, as X counts them (Python ``str`` offsets).
    """
    out: dict[str, Any] = {}
    mentions = []
    for m in _MENTION.finditer(text):
        entry: dict[str, Any] = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        user = users_by_name.get(m.group(1).lower())
        if user is not None:
            entry["id"] = user.id
        mentions.append(entry)
    if mentions:
        out["mentions"] = mentions
    tags = [
        {"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _HASHTAG.finditer(text)
    ]
    if tags:
        out["hashtags"] = tags
    urls = []
    for u in extract_urls_with_indices(text):
        start, end = u["indices"]
        url = u["url"]
        urls.append(
            {
                "start": start,
                "end": end,
                "url": url,
                "expanded_url": url,
                "display_url": re.sub(r"^https?://", "", url)[:26],
            }
        )
    if urls:
        out["urls"] = urls
    return out
