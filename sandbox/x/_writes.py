"""X API v2 writes: create/delete posts, like/unlike, repost/undo repost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web
from twitter_text import extract_urls, parse_tweet

from engagement.models import Platform
from sandbox.x._errors import (
    REPLY_NOT_ALLOWED,
    forbidden,
    invalid_request,
    not_authorized_for_resource,
)
from sandbox.x._http import Call, id_param, json_body, x_route
from sandbox.x._model import XPost

__all__ = ["DUPLICATE", "TOO_LONG", "add_write_routes"]

_CREATE_KEYS = frozenset(
    [
        "card_uri",
        "community_id",
        "direct_message_deep_link",
        "edit_options",
        "for_super_followers_only",
        "geo",
        "made_with_ai",
        "media",
        "nullcast",
        "paid_partnership",
        "poll",
        "quote_tweet_id",
        "reply",
        "reply_settings",
        "share_with_followers",
        "text",
    ]
)
_REPLY_KEYS = frozenset(
    {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}
)
_UNSUPPORTED = frozenset({"media", "poll", "edit_options", "card_uri", "geo"})
TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length "
    "see https://github.com/twitter/twitter-text."
)
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."


def _bill(call: Call, item: str) -> None:
    entry = call.state.ledger.charge(call.now, call.endpoint, item)
    if entry is not None:
        call.state.world.add_cost(float(entry.cost_usd))


def _target(call: Call, raw: object, parameter: str) -> XPost:
    if not isinstance(raw, str):
        raise invalid_request(parameter, str(raw), f"`{parameter}` must be a string")
    post_id = id_param(raw, parameter) or ""
    post = call.state.posts.get(post_id)
    if post is None:
        raise invalid_request(parameter, post_id, f"Post [{post_id}] does not exist.")
    return post


def _check_text(call: Call, body: dict[str, Any]) -> str:
    unknown = sorted(set(body) - _CREATE_KEYS)
    if unknown:
        raise invalid_request(unknown[0], "", f"[{unknown[0]}] is not a valid field")
    unsupported = sorted(set(body) & _UNSUPPORTED)
    if unsupported:
        raise invalid_request(
            unsupported[0], "", f"The sandbox does not support `{unsupported[0]}`"
        )
    text = body.get("text", "")
    if not isinstance(text, str) or not text.strip():
        raise invalid_request("text", str(text), "Post text must be a non-empty string.")
    if parse_tweet(text).weightedLength > 280:
        raise invalid_request("text", text[:40], TOO_LONG)
    day_ago = call.now - timedelta(hours=24)
    if any(
        p.author_id == call.state.brand.id and p.text == text and p.created_at >= day_ago
        for p in call.state.posts.values()
    ):
        raise forbidden(DUPLICATE)
    return text


@x_route("POST /2/tweets", user_only=True, scopes=("tweet.read", "tweet.write", "users.read"))
async def _create(call: Call) -> tuple[int, dict[str, Any]]:
    body = await json_body(call.request)
    text = _check_text(call, body)
    reply_to = quote_of = None
    reply = body.get("reply")
    if reply is not None:
        if not isinstance(reply, dict) or "in_reply_to_tweet_id" not in reply:
            raise invalid_request("reply", "", "`reply.in_reply_to_tweet_id` is required")
        extra = sorted(set(reply) - _REPLY_KEYS)
        if extra:
            raise invalid_request(f"reply.{extra[0]}", "", f"[{extra[0]}] is not a valid field")
        reply_to = _target(call, reply["in_reply_to_tweet_id"], "reply.in_reply_to_tweet_id")
        if not call.state.may_reply_to(reply_to):
            raise forbidden(REPLY_NOT_ALLOWED)
    if body.get("quote_tweet_id") is not None:
        quote_of = _target(call, body["quote_tweet_id"], "quote_tweet_id")
    post = call.state.write_post(text, reply_to, quote_of)
    summoned = reply_to is not None and reply_to.author_id != call.state.brand.id
    _bill(
        call, "url_post" if extract_urls(text) else "summoned_reply" if summoned else "post_create"
    )
    call.state.world.record_write(
        Platform.X,
        "post",
        post.id,
        text,
        reply_root=post.conversation_id if reply_to is not None else None,
        reply_parent=reply_to.id if reply_to is not None else None,
        quote=quote_of.id if quote_of is not None else None,
    )
    return 201, {"data": {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}}


@x_route("DELETE /2/tweets/:id", user_only=True, scopes=("tweet.read", "tweet.write", "users.read"))
async def _delete(call: Call) -> tuple[int, dict[str, Any]]:
    post_id = id_param(call.request.match_info["id"], "id") or ""
    post = call.state.posts.get(post_id)
    if post is None or post.author_id != call.state.brand.id:
        raise forbidden("You are not authorized to delete this Tweet.")
    del call.state.posts[post_id]
    _bill(call, "interaction_delete")
    call.state.world.record_write(Platform.X, "delete", post_id, undo="post")
    return 200, {"data": {"deleted": True}}


def _acting_user(call: Call) -> None:
    user_id = id_param(call.request.match_info["id"], "id") or ""
    token = call.caller.token
    if token is None or user_id != token.user_id:
        raise not_authorized_for_resource(
            "user", user_id, "You are not permitted to act on behalf of this user."
        )


async def _tweet_id_body(call: Call) -> XPost:
    body = await json_body(call.request)
    extra = sorted(set(body) - {"tweet_id"})
    if extra:
        raise invalid_request(extra[0], "", f"[{extra[0]}] is not a valid field")
    return _target(call, body.get("tweet_id"), "tweet_id")


@x_route(
    "POST /2/users/:id/likes", user_only=True, scopes=("tweet.read", "users.read", "like.write")
)
async def _like(call: Call) -> tuple[int, dict[str, Any]]:
    _acting_user(call)
    post = await _tweet_id_body(call)
    if post.id not in call.state.liked:
        call.state.liked.add(post.id)
        post.likes += 1
    _bill(call, "interaction_create")
    call.state.world.record_write(Platform.X, "like", post.id, subject=post.id)
    return 200, {"data": {"liked": True}}


@x_route(
    "DELETE /2/users/:id/likes/:tweet_id",
    user_only=True,
    scopes=("tweet.read", "users.read", "like.write"),
)
async def _unlike(call: Call) -> tuple[int, dict[str, Any]]:
    _acting_user(call)
    post_id = id_param(call.request.match_info["tweet_id"], "tweet_id") or ""
    if post_id in call.state.liked:
        call.state.liked.discard(post_id)
        if post_id in call.state.posts:
            call.state.posts[post_id].likes -= 1
    _bill(call, "interaction_delete")
    call.state.world.record_write(Platform.X, "delete", post_id, undo="like", subject=post_id)
    return 200, {"data": {"liked": False}}


@x_route(
    "POST /2/users/:id/retweets", user_only=True, scopes=("tweet.read", "tweet.write", "users.read")
)
async def _repost(call: Call) -> tuple[int, dict[str, Any]]:
    _acting_user(call)
    post = await _tweet_id_body(call)
    if post.id not in call.state.reposted:
        call.state.reposted.add(post.id)
        post.reposts += 1
    _bill(call, "interaction_create")
    call.state.world.record_write(Platform.X, "repost", post.id, subject=post.id)
    return 200, {"data": {"retweeted": True, "rest_id": post.id}}


@x_route(
    "DELETE /2/users/:id/retweets/:source_tweet_id",
    user_only=True,
    scopes=("tweet.read", "tweet.write", "users.read"),
)
async def _unrepost(call: Call) -> tuple[int, dict[str, Any]]:
    _acting_user(call)
    post_id = id_param(call.request.match_info["source_tweet_id"], "source_tweet_id") or ""
    if post_id in call.state.reposted:
        call.state.reposted.discard(post_id)
        if post_id in call.state.posts:
            call.state.posts[post_id].reposts -= 1
    _bill(call, "interaction_delete")
    call.state.world.record_write(Platform.X, "delete", post_id, undo="repost", subject=post_id)
    return 200, {"data": {"retweeted": False}}


def add_write_routes(app: web.Application) -> None:
    """Register the write endpoints on ``app``."""
    app.router.add_post("/2/tweets", _create)
    app.router.add_delete("/2/tweets/{id}", _delete)
    app.router.add_post("/2/users/{id}/likes", _like)
    app.router.add_delete("/2/users/{id}/likes/{tweet_id}", _unlike)
    app.router.add_post("/2/users/{id}/retweets", _repost)
    app.router.add_delete("/2/users/{id}/retweets/{source_tweet_id}", _unrepost)
