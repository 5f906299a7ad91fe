"""The X client against a tiny scripted aiohttp server: every status becomes the right error."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web

from watchers.x import (
    BearerAuth,
    ClientCredentials,
    MentionsCursor,
    UserTokenAuth,
    XAuthError,
    XClient,
    XCreditsDepletedError,
    XMentionsWatcher,
    XPrices,
    XRateLimitedError,
    XRequestError,
    XTransientError,
)

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ENDPOINT = "GET /2/users/:id/mentions"


@dataclass
class Script:
    """Responses to serve, in order, and what the server saw."""

    responses: list[web.Response] = field(default_factory=list)
    seen: list[web.Request] = field(default_factory=list)
    tokens: int = 0


def _json(status: int, body: object, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Script]]:
    script = Script()

    async def mentions(request: web.Request) -> web.Response:
        script.seen.append(request)
        return script.responses.pop(0)

    async def token(request: web.Request) -> web.Response:
        script.tokens += 1
        form = await request.post()
        if form.get("refresh_token") == "dead":
            return _json(400, {"error": "invalid_request"})
        return _json(
            200,
            {
                "access_token": f"a{script.tokens}",
                "refresh_token": f"r{script.tokens}",
                "expires_in": 7200,
            },
        )

    app = web.Application()
    app.router.add_get("/2/users/{id}/mentions", mentions)
    app.router.add_post("/2/oauth2/token", token)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", script
    await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def _client(http: aiohttp.ClientSession, base: str) -> XClient:
    return XClient(http, base, BearerAuth("app"), clock=lambda: NOW)


async def _get(client: XClient) -> object:
    return await client.request("GET", "/2/users/1/mentions", endpoint=ENDPOINT)


async def test_partial_errors_keep_the_good_items(
    server: tuple[str, Script], http: aiohttp.ClientSession
) -> None:
    base, script = server
    page = {
        "data": [{"id": "20", "text": "@brand hi", "author_id": "5"}, {"text": "broken"}],
        "includes": {"users": [{"id": "5", "username": "bob", "name": "Bob"}]},
        "errors": [{"title": "Not Found Error", "detail": "Could not find tweet 7"}],
        "meta": {"newest_id": "20", "oldest_id": "20", "result_count": 2},
    }
    script.responses.append(_json(200, page))
    watcher = XMentionsWatcher(_client(http, base), "1", XPrices())
    batch = await watcher.fetch(MentionsCursor(since_id="10"), now=NOW, max_results=3)
    assert [r.external_id for r in batch.records] == ["20"]
    assert batch.page.errors[0]["detail"] == "Could not find tweet 7"
    assert batch.cursor == MentionsCursor(since_id="20")
    assert batch.cost_usd == pytest.approx(2 * 0.001 + 0.010)
    query = script.seen[0].query
    assert query["since_id"] == "10"
    assert query["max_results"] == "5"  # X's minimum
    assert query["expansions"] == "author_id,referenced_tweets.id"
    assert "public_metrics" in query["user.fields"]
    assert "referenced_tweets" in query["tweet.fields"]
    assert script.seen[0].headers["Authorization"] == "Bearer app"


async def test_rate_limit_is_remembered_and_nothing_is_sent_before_it(
    server: tuple[str, Script], http: aiohttp.ClientSession
) -> None:
    base, script = server
    reset = int((NOW + timedelta(minutes=7)).timestamp())
    limited = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    script.responses.append(_json(429, {"errors": [{"code": 88}]}, limited))
    client = _client(http, base)
    with pytest.raises(XRateLimitedError) as first:
        await _get(client)
    assert first.value.retry_at == datetime.fromtimestamp(reset, UTC)
    with pytest.raises(XRateLimitedError):
        await _get(client)  # refused locally
    assert len(script.seen) == 1
    # A 429 without headers waits 15 minutes; remaining=0 on a success is foreseen.
    other = _client(http, base)
    script.responses.append(_json(429, {}))
    with pytest.raises(XRateLimitedError) as blind:
        await _get(other)
    assert blind.value.retry_at == NOW + timedelta(minutes=15)
    third = _client(http, base)
    script.responses.append(_json(200, {"meta": {"result_count": 0}}, limited))
    await _get(third)
    assert third.blocked_until(ENDPOINT) == datetime.fromtimestamp(reset, UTC)


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (
            _json(402, {"title": "CreditsDepleted", "type": "x/credits"}),
            XCreditsDepletedError,
            "CreditsDepleted",
        ),
        (_json(401, {"title": "Unauthorized"}), XAuthError, "credentials refused"),
        (_json(403, {"title": "Forbidden", "detail": "not allowed"}), XRequestError, "not allowed"),
        (_json(503, {"title": "down"}), XTransientError, "HTTP 503"),
        (
            web.Response(status=200, body=b'{"data": [', content_type="application/json"),
            XTransientError,
            "malformed",
        ),
        (_json(200, ["not", "an", "object"]), XTransientError, "not a JSON object"),
    ],
    ids=["402", "401-bearer", "403", "503", "truncated", "array"],
)
async def test_statuses_map_to_errors(
    server: tuple[str, Script],
    http: aiohttp.ClientSession,
    response: web.Response,
    error: type[Exception],
    text: str,
) -> None:
    base, script = server
    script.responses.append(response)
    with pytest.raises(error, match=text):
        await _get(_client(http, base))
    assert len(script.seen) == 1  # a bearer token is never "refreshed"


async def test_user_token_refreshes_once_after_401_and_reports_rotation(
    server: tuple[str, Script], http: aiohttp.ClientSession
) -> None:
    base, script = server
    rotated: list[str | None] = []

    async def on_rotate(tokens: object) -> None:
        rotated.append(getattr(tokens, "refresh_token", None))

    credentials = ClientCredentials(f"{base}/2/oauth2/token", "cid", "secret")
    auth = UserTokenAuth(credentials, refresh_token="r0", on_rotate=on_rotate, clock=lambda: NOW)
    client = XClient(http, base, auth, clock=lambda: NOW)
    script.responses += [_json(401, {}), _json(200, {"meta": {"result_count": 0}})]
    await _get(client)
    assert rotated == ["r1", "r2"]  # first use, then after the 401
    assert [r.headers["Authorization"] for r in script.seen] == ["Bearer a1", "Bearer a2"]
    assert "r2" not in repr(auth)
    dead = UserTokenAuth(credentials, refresh_token="dead", clock=lambda: NOW)
    with pytest.raises(XAuthError):
        await XClient(http, base, dead, clock=lambda: NOW).request(
            "GET", "/2/users/1/mentions", endpoint=ENDPOINT
        )


async def test_unreachable_server_is_transient(http: aiohttp.ClientSession) -> None:
    client = XClient(http, "http://127.0.0.1:9", BearerAuth("app"), clock=lambda: NOW)
    with pytest.raises(XTransientError):
        await _get(client)
