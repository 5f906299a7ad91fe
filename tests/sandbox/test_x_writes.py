"""Posting, the 2026 reply restriction, likes and reposts against the X sandbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds
from sandbox.x import REPLY_NOT_ALLOWED

APP = {"Authorization": f"Bearer {creds.X_BEARER_TOKEN}"}


async def _token(
    http: aiohttp.ClientSession, sb: SandboxServer, scope: str | None = None
) -> dict[str, str]:
    body = {"scope": scope} if scope else {}
    async with http.post(f"{sb.url}/_sandbox/x/token", json=body) as resp:
        return {"Authorization": f"Bearer {(await resp.json())['access_token']}"}


async def _post(
    http: aiohttp.ClientSession, sb: SandboxServer, headers: dict[str, str], body: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{sb.x_api_base}/2/tweets", headers=headers, json=body) as resp:
        return resp.status, await resp.json()


async def _state(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, Any]:
    async with http.get(f"{sb.url}/_sandbox/state", params={"log": "0"}) as resp:
        result: dict[str, Any] = await resp.json()
        return result


@pytest.fixture
async def scene(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> dict[str, Any]:
    clock.advance(timedelta(hours=2))
    mention = (await _state(http, sandbox))["generated"]["x"][0]
    creator = next(
        e
        for e in sandbox.scenario.events
        if e.platform.value == "x"
        and e.intent == "topic"
        and sandbox.world.is_delivered(e)
        and "@" not in e.text
    )
    return {
        "mention": mention["id"],
        "corpus": sandbox.world.x_id(creator),
        "user": await _token(http, sandbox),
    }


async def test_reply_to_a_mention_is_created_and_recorded(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    text = "Merci pour votre message, on regarde ça tout de suite !"
    status, body = await _post(
        http,
        sandbox,
        scene["user"],
        {"text": text, "reply": {"in_reply_to_tweet_id": scene["mention"]}},
    )
    assert status == 201
    assert body["data"]["text"] == text
    assert int(body["data"]["id"]) > int(scene["mention"])
    state = await _state(http, sandbox)
    (written,) = state["written"]
    assert written["platform"] == "x"
    assert written["type"] == "post"
    assert written["id"] == body["data"]["id"]
    assert written["reply_parent"] == scene["mention"]
    assert written["reply_root"]
    assert state["x"]["entries"][-1]["item"] == "summoned_reply"
    # The reply is now readable and points at its parent.
    async with http.get(
        f"{sandbox.x_api_base}/2/tweets",
        headers=APP,
        params={"ids": body["data"]["id"], "tweet.fields": "referenced_tweets,author_id"},
    ) as resp:
        (post,) = (await resp.json())["data"]
    assert post["referenced_tweets"] == [{"type": "replied_to", "id": scene["mention"]}]
    assert post["author_id"] == sandbox.scenario.brand.x_id


async def test_reply_to_a_post_that_did_not_mention_us_is_refused(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    status, body = await _post(
        http,
        sandbox,
        scene["user"],
        {"text": "Great thread!", "reply": {"in_reply_to_tweet_id": scene["corpus"]}},
    )
    assert status == 403
    assert body["detail"] == REPLY_NOT_ALLOWED
    assert body["title"] == "Forbidden"
    assert (await _state(http, sandbox))["written"] == []


async def test_weighted_length_280_ok_281_refused(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    status, body = await _post(http, sandbox, scene["user"], {"text": "é" * 281})
    assert status == 400
    assert body["errors"][0]["message"].startswith("Your Tweet text is too long.")
    # A URL weighs 23 whatever its length: 257 + 23 = 280.
    text = "a" * 256 + " https://example.com/" + "x" * 80
    status, body = await _post(http, sandbox, scene["user"], {"text": text})
    assert status == 201
    assert (await _state(http, sandbox))["x"]["entries"][-1]["item"] == "url_post"
    status, _ = await _post(http, sandbox, scene["user"], {"text": "日本" * 71})  # 284 weighted
    assert status == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": 5},
        {"text": "hi", "unknown": 1},
        {"text": "hi", "reply": {}},
        {"text": "hi", "reply": {"in_reply_to_tweet_id": "999"}},
        {"text": "hi", "reply": {"in_reply_to_tweet_id": "abc"}},
        {"text": "hi", "media": {"media_ids": ["1"]}},
        ["not", "an", "object"],
    ],
)
async def test_malformed_creates_are_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any], body: Any
) -> None:
    status, problem = await _post(http, sandbox, scene["user"], body)
    assert status == 400
    assert problem["type"] == "https://api.x.com/2/problems/invalid-request"


async def test_app_token_cannot_post_and_scopes_are_enforced(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    status, body = await _post(http, sandbox, APP, {"text": "hello"})
    assert status == 403
    assert body["title"] == "Unsupported Authentication"
    read_only = await _token(http, sandbox, "tweet.read users.read")
    status, body = await _post(http, sandbox, read_only, {"text": "hello"})
    assert status == 403
    assert "tweet.write" in body["detail"]


async def test_duplicate_text_is_refused(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    assert (await _post(http, sandbox, scene["user"], {"text": "Bonne journée !"}))[0] == 201
    status, body = await _post(http, sandbox, scene["user"], {"text": "Bonne journée !"})
    assert status == 403
    assert "duplicate content" in body["detail"]


async def test_like_unlike_repost_undo(
    sandbox: SandboxServer, http: aiohttp.ClientSession, scene: dict[str, Any]
) -> None:
    me = sandbox.scenario.brand.x_id
    base = f"{sandbox.x_api_base}/2/users/{me}"
    user = scene["user"]
    async with http.post(f"{base}/likes", headers=user, json={"tweet_id": scene["corpus"]}) as r:
        assert r.status == 200
        assert await r.json() == {"data": {"liked": True}}
        assert r.headers["x-rate-limit-limit"] == "50"
    async with http.delete(f"{base}/likes/{scene['corpus']}", headers=user) as r:
        assert await r.json() == {"data": {"liked": False}}
    async with http.post(
        f"{base}/retweets", headers=user, json={"tweet_id": scene["mention"]}
    ) as r:
        assert await r.json() == {"data": {"retweeted": True, "rest_id": scene["mention"]}}
    async with http.delete(f"{base}/retweets/{scene['mention']}", headers=user) as r:
        assert await r.json() == {"data": {"retweeted": False}}
    # Acting as somebody else, or with a body X would refuse.
    async with http.post(
        f"{sandbox.x_api_base}/2/users/123/likes", headers=user, json={"tweet_id": scene["corpus"]}
    ) as r:
        assert r.status == 403
    async with http.post(f"{base}/likes", headers=user, json={"tweet_id": 5}) as r:
        assert r.status == 400
    state = await _state(http, sandbox)
    assert [(w["type"], w.get("undo")) for w in state["written"]] == [
        ("like", None),
        ("delete", "like"),
        ("repost", None),
        ("delete", "repost"),
    ]
    assert [e["item"] for e in state["x"]["entries"]] == [
        "interaction_create",
        "interaction_delete",
        "interaction_create",
        "interaction_delete",
    ]
