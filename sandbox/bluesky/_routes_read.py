"""AppView reads: profiles, notifications, posts, threads, author feeds and search."""

from __future__ import annotations

import base64
import bisect
import unicodedata
from datetime import datetime

from aiohttp import web

from sandbox._control import json_response
from sandbox._ids import format_datetime
from sandbox.bluesky._auth import Auth
from sandbox.bluesky._store import Link, Notice, Post, Store
from sandbox.bluesky._views import Views
from sandbox.bluesky._xrpc import (
    XrpcError,
    datetime_param,
    int_param,
    invalid,
    json_body,
    list_param,
    str_param,
    xrpc_handler,
)

__all__ = ["add_read_routes"]


def _encode_cursor(at: datetime, tiebreak: str) -> str:
    return base64.urlsafe_b64encode(f"{at.timestamp():.6f}::{tiebreak}".encode()).decode()


def _decode_cursor(cursor: str | None) -> tuple[float, str] | None:
    if cursor is None:
        return None
    try:
        stamp, tiebreak = base64.urlsafe_b64decode(cursor.encode()).decode().split("::", 1)
        return float(stamp), tiebreak
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("Malformed cursor") from exc


def _notice_key(notice: Notice) -> tuple[float, str]:
    return notice.at.timestamp(), notice.uri


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_read_routes(app: web.Application, store: Store, views: Views, auth: Auth) -> None:
    """Register the read endpoints (all need an access token, like the real AppView proxy)."""
    world = store.world

    def authed(request: web.Request) -> None:
        auth.access(request, world.auth_now())

    @xrpc_handler
    async def get_profile(request: web.Request) -> web.StreamResponse:
        authed(request)
        actor = str_param(request, "actor", required=True) or ""
        persona = store.actor(actor)
        if persona is None:
            raise invalid("Profile not found")
        return json_response(views.profile_detailed(persona))

    @xrpc_handler
    async def get_profiles(request: web.Request) -> web.StreamResponse:
        authed(request)
        actors = list_param(request, "actors", max_items=25)
        if not actors:
            raise invalid('Error: Params must have the property "actors"')
        found = [store.actor(a) for a in actors]
        return json_response({"profiles": [views.profile_detailed(p) for p in found if p]})

    def delivered_notices(reasons: list[str]) -> list[Notice]:
        notices = store.delivered_notices()
        return [n for n in notices if n.reason in reasons] if reasons else notices

    @xrpc_handler
    async def list_notifications(request: web.Request) -> web.StreamResponse:
        authed(request)
        if "seenAt" in request.query:
            raise invalid("The seenAt parameter is unsupported")
        limit = int_param(request, "limit", 50, 1, 100)
        reasons = list_param(request, "reasons")
        after = _decode_cursor(str_param(request, "cursor"))
        older = delivered_notices(reasons)  # oldest first, sorted by (indexedAt, uri)
        if after is not None:
            older = older[: bisect.bisect_left(older, after, key=_notice_key)]
        page = older[: -limit - 1 : -1]  # the newest ``limit``, newest first
        body: dict[str, object] = {
            "notifications": [views.notification(n) for n in page],
            "priority": False,
        }
        if len(older) > limit:
            body["cursor"] = _encode_cursor(page[-1].at, page[-1].uri)
        if store.seen_at is not None:
            body["seenAt"] = format_datetime(store.seen_at)
        return json_response(body)

    @xrpc_handler
    async def get_unread_count(request: web.Request) -> web.StreamResponse:
        authed(request)
        seen = store.seen_at
        count = sum(1 for n in delivered_notices([]) if seen is None or n.at > seen)
        return json_response({"count": count})

    @xrpc_handler
    async def update_seen(request: web.Request) -> web.StreamResponse:
        authed(request)
        body = await json_body(request)
        raw = body.get("seenAt")
        try:
            seen = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise invalid("Error: Input/seenAt must be an valid atproto datetime") from exc
        if seen.tzinfo is None:
            raise invalid("Error: Input/seenAt must be an valid atproto datetime")
        store.seen_at = max(seen, store.seen_at) if store.seen_at else seen
        return web.Response(status=200)

    @xrpc_handler
    async def get_posts(request: web.Request) -> web.StreamResponse:
        authed(request)
        uris = list_param(request, "uris", max_items=25)
        if not uris:
            raise invalid('Error: Params must have the property "uris"')
        posts = [store.post(uri) for uri in uris]
        return json_response({"posts": [views.post(p) for p in posts if p]})

    @xrpc_handler
    async def get_post_thread(request: web.Request) -> web.StreamResponse:
        authed(request)
        uri = str_param(request, "uri", required=True) or ""
        depth = int_param(request, "depth", 6, 0, 1000)
        height = int_param(request, "parentHeight", 80, 0, 1000)
        post = store.post(uri)
        if post is None:
            raise XrpcError(400, "NotFound", f"Post not found: {uri}")
        return json_response({"thread": views.thread(post, depth, height)})

    @xrpc_handler
    async def get_author_feed(request: web.Request) -> web.StreamResponse:
        authed(request)
        persona = store.actor(str_param(request, "actor", required=True) or "")
        if persona is None:
            raise invalid("Profile not found")
        limit = int_param(request, "limit", 50, 1, 100)
        kind = str_param(request, "filter") or "posts_with_replies"
        after = _decode_cursor(str_param(request, "cursor"))
        items: list[Post | Link] = []
        for item in store.by_author.get(persona.bsky_did, []):
            if not store.visible(item):
                continue
            if isinstance(item, Link):
                if item.collection == "app.bsky.feed.repost" and item.subject in store.posts:
                    items.append(item)
            elif item.parent is None or kind in {"posts_with_replies", "posts_and_author_threads"}:
                items.append(item)
        items.sort(key=lambda i: (i.at, i.uri), reverse=True)
        if after is not None:
            items = [i for i in items if (i.at.timestamp(), i.uri) < after]
        page = items[:limit]
        body: dict[str, object] = {"feed": [views.feed_item(i) for i in page]}
        if len(items) > limit:
            body["cursor"] = _encode_cursor(page[-1].at, page[-1].uri)
        return json_response(body)

    @xrpc_handler
    async def search_posts(request: web.Request) -> web.StreamResponse:
        authed(request)
        query = str_param(request, "q", required=True) or ""
        terms = [_fold(t) for t in query.split() if t]
        limit = int_param(request, "limit", 25, 1, 100)
        sort = str_param(request, "sort") or "latest"
        since, until = datetime_param(request, "since"), datetime_param(request, "until")
        lang = str_param(request, "lang")
        author = store.actor(str_param(request, "author") or "")
        try:
            offset = int(str_param(request, "cursor") or 0)
        except ValueError as exc:
            raise invalid("Malformed cursor") from exc
        hits = [
            p
            for p in store.posts.values()
            if store.visible(p)
            and all(t in _fold(p.text) for t in terms)
            and (since is None or p.at >= since)
            and (until is None or p.at < until)
            and (lang is None or lang in p.record.get("langs", []))
            and (author is None or p.did == author.bsky_did)
        ]
        if sort == "top":
            hits.sort(key=lambda p: (len(p.likes) + 2 * len(p.reposts), p.at), reverse=True)
        else:
            hits.sort(key=lambda p: (p.at, p.uri), reverse=True)
        page = hits[offset : offset + limit]
        body: dict[str, object] = {"posts": [views.post(p) for p in page], "hitsTotal": len(hits)}
        if offset + limit < len(hits):
            body["cursor"] = str(offset + limit)
        return json_response(body)

    router = app.router
    router.add_get("/xrpc/app.bsky.actor.getProfile", get_profile)
    router.add_get("/xrpc/app.bsky.actor.getProfiles", get_profiles)
    router.add_get("/xrpc/app.bsky.notification.listNotifications", list_notifications)
    router.add_get("/xrpc/app.bsky.notification.getUnreadCount", get_unread_count)
    router.add_post("/xrpc/app.bsky.notification.updateSeen", update_seen)
    router.add_get("/xrpc/app.bsky.feed.getPosts", get_posts)
    router.add_get("/xrpc/app.bsky.feed.getPostThread", get_post_thread)
    router.add_get("/xrpc/app.bsky.feed.getAuthorFeed", get_author_feed)
    router.add_get("/xrpc/app.bsky.feed.searchPosts", search_posts)
