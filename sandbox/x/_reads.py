"""X API v2 read endpoints: ``/2/users/me``, mentions, post lookup, recent search, usage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from sandbox.x._errors import invalid_request, not_found
from sandbox.x._http import Call, id_param, int_param, x_route
from sandbox.x._model import XPost, iso
from sandbox.x._render import Expanded, decode_token, encode_token, expand, parse_fields
from sandbox.x._search import compile_query

__all__ = ["add_read_routes"]


def _time_param(request: web.Request, name: str) -> datetime | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise invalid_request(
            name, raw, f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC 3339 timestamp"
        )
    return value


def _charge(call: Call, ex: Expanded, posts_item: str, post_ids: list[str]) -> None:
    state = call.state
    entries = [
        state.ledger.charge_reads(call.now, call.endpoint, posts_item, "post", post_ids),
        state.ledger.charge_reads(call.now, call.endpoint, "user_read", "user", ex.user_ids),
        state.ledger.charge_reads(call.now, call.endpoint, "post_read", "post", ex.tweet_ids),
    ]
    for entry in entries:
        if entry is not None:
            state.world.add_cost(float(entry.cost_usd))


def _page(
    call: Call, posts: list[XPost], max_results: int, token_name: str, posts_item: str
) -> dict[str, Any]:
    """Filter by since/until/time/pagination, cut a page, expand, bill and build the body."""
    req = call.request
    since = id_param(req.query.get("since_id"), "since_id", required=False)
    until = id_param(req.query.get("until_id"), "until_id", required=False)
    token = req.query.get(token_name)
    below = decode_token(token_name, token) if token is not None else None
    start, end = _time_param(req, "start_time"), _time_param(req, "end_time")
    fields = parse_fields(req)
    keep: list[Callable[[XPost], bool]] = []
    low = int(since) if since else None
    high = min(int(v) for v in (until, below) if v) if (until or below) else None
    if low is not None:
        keep.append(lambda p: int(p.id) > low)
    if high is not None:
        keep.append(lambda p: int(p.id) < high)
    if start:
        keep.append(lambda p: p.created_at >= start)
    if end:
        keep.append(lambda p: p.created_at < end)
    matching = [p for p in posts if all(k(p) for k in keep)]
    page = matching[:max_results]
    meta: dict[str, Any] = {"result_count": len(page)}
    body: dict[str, Any] = {}
    if page:
        ex = expand(call.state, page, fields)
        body["data"] = ex.data
        if ex.includes:
            body["includes"] = ex.includes
        meta = {"newest_id": page[0].id, "oldest_id": page[-1].id, "result_count": len(page)}
        if len(matching) > max_results:
            meta["next_token"] = encode_token(page[-1].id)
        _charge(call, ex, posts_item, [p.id for p in page])
    body["meta"] = meta
    return body


@x_route("GET /2/users/:id/mentions")
async def _mentions(call: Call) -> tuple[int, dict[str, Any]]:
    user_id = id_param(call.request.match_info["id"], "id")
    max_results = int_param(call.request, "max_results", 10, 5, 100)
    user = call.state.users.get(user_id or "")
    if user is None:
        return 200, {"errors": [not_found("user", user_id or "", "id").body]}
    owned = user.id == call.state.brand.id
    posts = call.state.mentions_of(user)
    return 200, _page(
        call, posts, max_results, "pagination_token", "owned_read" if owned else "post_read"
    )


@x_route("GET /2/tweets/search/recent")
async def _search(call: Call) -> tuple[int, dict[str, Any]]:
    req = call.request
    match = compile_query(req.query.get("query", ""), call.state.by_name)
    max_results = int_param(req, "max_results", 10, 10, 100)
    week_ago = call.now - timedelta(days=7)
    posts = [
        p for p in call.state.posts.values() if week_ago <= p.created_at <= call.now and match(p)
    ]
    posts.sort(key=lambda p: int(p.id), reverse=True)
    token_name = "next_token" if "next_token" in req.query else "pagination_token"
    return 200, _page(call, posts, max_results, token_name, "post_read")


@x_route("GET /2/tweets")
async def _lookup(call: Call) -> tuple[int, dict[str, Any]]:
    raw = call.request.query.get("ids", "")
    ids = [i for i in raw.split(",") if i]
    if not ids:
        raise invalid_request("ids", raw, "The `ids` query parameter can not be empty")
    if len(ids) > 100:
        raise invalid_request(
            "ids",
            raw[:40],
            f"The number of values in the `ids` query parameter list [{len(ids)}] "
            "is not between 1 and 100",
        )
    for value in ids:
        id_param(value, "ids")
    fields = parse_fields(call.request)
    found = [call.state.posts[i] for i in dict.fromkeys(ids) if i in call.state.posts]
    missing = [i for i in dict.fromkeys(ids) if i not in call.state.posts]
    body: dict[str, Any] = {}
    if found:
        ex = expand(call.state, found, fields)
        body["data"] = ex.data
        if ex.includes:
            body["includes"] = ex.includes
        _charge(call, ex, "post_read", [p.id for p in found])
    if missing:
        body["errors"] = [not_found("tweet", i, "ids").body for i in missing]
    return 200, body


@x_route("GET /2/tweets/:id")
async def _lookup_one(call: Call) -> tuple[int, dict[str, Any]]:
    post_id = id_param(call.request.match_info["id"], "id") or ""
    fields = parse_fields(call.request)
    post = call.state.posts.get(post_id)
    if post is None:
        return 200, {"errors": [not_found("tweet", post_id, "id").body]}
    ex = expand(call.state, [post], fields)
    _charge(call, ex, "post_read", [post.id])
    body: dict[str, Any] = {"data": ex.data[0]}
    if ex.includes:
        body["includes"] = ex.includes
    return 200, body


@x_route("GET /2/users/me", user_only=True, scopes=("tweet.read", "users.read"))
async def _me(call: Call) -> tuple[int, dict[str, Any]]:
    fields = parse_fields(call.request)
    brand = call.state.brand
    entry = call.state.ledger.charge_reads(
        call.now, call.endpoint, "owned_read", "user", [brand.id]
    )
    if entry is not None:
        call.state.world.add_cost(float(entry.cost_usd))
    return 200, {"data": brand.render(fields.user)}


@x_route("GET /2/usage/tweets", billable=False)
async def _usage(call: Call) -> tuple[int, dict[str, Any]]:
    days = int_param(call.request, "days", 7, 1, 90)
    per_day: dict[str, int] = {}
    for entry in call.state.ledger.entries:
        if entry.item in {"owned_read", "post_read"}:
            key = entry.at.date().isoformat()
            per_day[key] = per_day.get(key, 0) + entry.units
    first = (call.now - timedelta(days=days - 1)).date()
    usage = [
        {
            "date": iso(
                datetime.combine(
                    first + timedelta(days=n), datetime.min.time(), tzinfo=call.now.tzinfo
                )
            ),
            "usage": str(per_day.get((first + timedelta(days=n)).isoformat(), 0)),
        }
        for n in range(days)
    ]
    project = "1456789012345678000"
    return 200, {
        "data": {
            "project_id": project,
            "project_cap": "3000000",
            "project_usage": str(sum(per_day.values())),
            "cap_reset_day": 1,
            "daily_project_usage": {"project_id": project, "usage": usage},
            "daily_client_app_usage": [
                {"client_app_id": "29876543", "usage": usage, "usage_result_count": len(usage)}
            ],
        }
    }


def add_read_routes(app: web.Application) -> None:
    """Register the read endpoints on ``app``."""
    app.router.add_get("/2/users/me", _me)
    app.router.add_get("/2/users/{id}/mentions", _mentions)
    app.router.add_get("/2/tweets/search/recent", _search)
    app.router.add_get("/2/tweets", _lookup)
    app.router.add_get("/2/tweets/{id}", _lookup_one)
    app.router.add_get("/2/usage/tweets", _usage)
