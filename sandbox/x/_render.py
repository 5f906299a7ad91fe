"""Query fields, expansions, ``includes`` and pagination tokens for X read endpoints."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.x._errors import invalid_request
from sandbox.x._model import XPost
from sandbox.x._state import XState

__all__ = ["Expanded", "Fields", "decode_token", "encode_token", "parse_fields"]

# Documented v2 names (docs.x.com) plus the v2.167 spec's renamed ones, both accepted.
_TWEET_FIELDS = frozenset(
    [
        "attachments",
        "author_id",
        "card_uri",
        "context_annotations",
        "conversation_id",
        "created_at",
        "edit_controls",
        "edit_history_tweet_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "non_public_metrics",
        "note_tweet",
        "organic_metrics",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "reply_settings",
        "scopes",
        "source",
        "text",
        "withheld",
        "article",
        "display_text_range",
        "media_metadata",
        "referenced_posts",
        "edit_history_post_ids",
    ]
)
_USER_FIELDS = frozenset(
    [
        "affiliation",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "is_identity_verified",
        "location",
        "most_recent_tweet_id",
        "name",
        "parody",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscription",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_followers_count",
        "verified_type",
        "withheld",
    ]
)
_EXPANSIONS = frozenset(
    [
        "attachments.poll_ids",
        "attachments.media_keys",
        "author_id",
        "edit_history_tweet_ids",
        "entities.mentions.username",
        "geo.place_id",
        "in_reply_to_user_id",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
        "referenced_posts",
        "pinned_tweet_id",
    ]
)


_IMPLIED = {
    "author_id": "author_id",
    "referenced_tweets.id": "referenced_tweets",
    "in_reply_to_user_id": "in_reply_to_user_id",
}


def _csv(request: web.Request, name: str, allowed: frozenset[str]) -> set[str]:
    raw = request.query.get(name)
    if raw is None:
        return set()
    values = {v for v in raw.split(",") if v}
    for value in sorted(values):
        if value not in allowed:
            raise invalid_request(
                name,
                value,
                f"The `{name}` query parameter value [{value}] is not one of "
                f"[{','.join(sorted(allowed))}]",
            )
    return values


@dataclass(frozen=True, slots=True)
class Fields:
    """The ``tweet.fields``, ``user.fields`` and ``expansions`` of one request."""

    tweet: set[str]
    user: set[str]
    expansions: set[str]


def parse_fields(request: web.Request) -> Fields:
    """Parse and validate the field and expansion parameters (400 on unknown values)."""
    tweet = _csv(request, "tweet.fields", _TWEET_FIELDS) | _csv(
        request, "post.fields", _TWEET_FIELDS
    )
    if "referenced_posts" in tweet:
        tweet.add("referenced_tweets")
    expansions = _csv(request, "expansions", _EXPANSIONS)
    if "referenced_posts" in expansions:
        expansions.add("referenced_tweets.id")
    # An expansion brings the field it expands along (X returns author_id with the users).
    for expansion, implied in _IMPLIED.items():
        if expansion in expansions:
            tweet.add(implied)
    return Fields(tweet, _csv(request, "user.fields", _USER_FIELDS), expansions)


@dataclass(slots=True)
class Expanded:
    """``data`` plus the ``includes`` its expansions pull in, rendered."""

    data: list[dict[str, Any]]
    includes: dict[str, list[dict[str, Any]]]
    user_ids: list[str]
    tweet_ids: list[str]


def expand(state: XState, posts: list[XPost], fields: Fields) -> Expanded:
    """Render ``posts`` and build ``includes.users`` / ``includes.tweets`` as X does."""
    ex = fields.expansions
    data = [p.render(fields.tweet, state.by_name) for p in posts]
    tweets: dict[str, XPost] = {}
    if "referenced_tweets.id" in ex:
        for post in posts:
            for _, ref in post.referenced:
                if ref in state.posts:
                    tweets.setdefault(ref, state.posts[ref])
    user_ids: dict[str, None] = {}
    for post in posts:
        if "author_id" in ex:
            user_ids.setdefault(post.author_id)
        if "in_reply_to_user_id" in ex and post.in_reply_to_user_id:
            user_ids.setdefault(post.in_reply_to_user_id)
        if "entities.mentions.username" in ex:
            for name in post.mentioned:
                if name in state.by_name:
                    user_ids.setdefault(state.by_name[name].id)
    if "referenced_tweets.id.author_id" in ex:
        for post in tweets.values():
            user_ids.setdefault(post.author_id)
    includes: dict[str, list[dict[str, Any]]] = {}
    users = [state.users[u] for u in user_ids if u in state.users]
    if users:
        includes["users"] = [u.render(fields.user) for u in users]
    if tweets:
        includes["tweets"] = [p.render(fields.tweet, state.by_name) for p in tweets.values()]
    return Expanded(data, includes, [u.id for u in users], list(tweets))


def encode_token(post_id: str) -> str:
    """An opaque pagination token continuing below ``post_id``."""
    return base64.b32encode(f"lt:{post_id}".encode()).decode().lower().rstrip("=")


def decode_token(name: str, token: str) -> str:
    """The post id a pagination token continues below (400 when it is not one of ours)."""
    try:
        padded = token.upper() + "=" * (-len(token) % 8)
        raw = base64.b32decode(padded).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    if not raw.startswith("lt:") or not raw[3:].isdigit():
        raise invalid_request(
            name, token, f"The `{name}` query parameter value [{token}] is not valid"
        )
    return raw[3:]
