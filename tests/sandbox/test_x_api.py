"""X API v2 reads against the sandbox with a plain aiohttp client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds

APP = {"Authorization": f"Bearer {creds.X_BEARER_TOKEN}"}
FIELDS = {
    "expansions": "author_id,referenced_tweets.id",
    "user.fields": "public_metrics",
    "tweet.fields": "lang,conversation_id,created_at,referenced_tweets,in_reply_to_user_id,"
    "entities,author_id",
}


async def _get(
    http: aiohttp.ClientSession, sb: SandboxServer, path: str, **params: str
) -> tuple[int, dict[str, Any], aiohttp.ClientResponse]:
    async with http.get(f"{sb.x_api_base}{path}", headers=APP, params=params) as resp:
        return resp.status, await resp.json(), resp


def _mentions(sb: SandboxServer) -> str:
    return f"/2/users/{sb.scenario.brand.x_id}/mentions"


async def test_mentions_page_with_next_token_then_since_id(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=2))
    truth = {g["id"]: g for g in (await _state(http, sandbox))["generated"]["x"]}
    assert len(truth) > 12

    seen: list[str] = []
    params = {"max_results": "5", **FIELDS}
    newest = None
    while True:
        status, body, resp = await _get(http, sandbox, _mentions(sandbox), **params)
        assert status == 200
        assert resp.headers["Content-Type"] == "application/json"
        ids = [p["id"] for p in body["data"]]
        assert ids == sorted(ids, key=int, reverse=True)  # newest first
        assert body["meta"]["result_count"] == len(ids) <= 5
        assert body["meta"]["newest_id"] == ids[0]
        assert body["meta"]["oldest_id"] == ids[-1]
        newest = newest or ids[0]
        authors = {u["id"]: u for u in body["includes"]["users"]}
        for post in body["data"]:
            assert post["author_id"] in authors
            assert {"followers_count", "tweet_count"} <= set(
                authors[post["author_id"]]["public_metrics"]
            )
            assert post["lang"] in {"fr", "en"}
            assert truth[post["id"]]["text"] == post["text"]
            assert any(m["username"] == "PlumeNotes" for m in post["entities"]["mentions"])
            for ref in post.get("referenced_tweets", []):
                assert ref["id"] in {t["id"] for t in body["includes"]["tweets"]}
        seen += ids
        if "next_token" not in body["meta"]:
            break
        params["pagination_token"] = body["meta"]["next_token"]
    assert sorted(seen) == sorted(truth)  # every ground-truth mention, exactly once

    # Nothing new: no data key, result_count 0.
    status, body, _ = await _get(http, sandbox, _mentions(sandbox), since_id=newest)
    assert status == 200
    assert body == {"meta": {"result_count": 0}}

    clock.advance(timedelta(minutes=30))
    status, body, _ = await _get(
        http, sandbox, _mentions(sandbox), since_id=newest, max_results="100"
    )
    fresh = {p["id"] for p in body["data"]}
    later = {g["id"] for g in (await _state(http, sandbox))["generated"]["x"]} - set(truth)
    assert fresh == later
    assert fresh
    assert all(int(i) > int(newest) for i in fresh)


async def _state(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, Any]:
    async with http.get(f"{sb.url}/_sandbox/state", params={"log": "0"}) as resp:
        result: dict[str, Any] = await resp.json()
        return result


async def test_replies_reference_brand_posts_and_quotes_the_quoted_one(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=6))
    status, body, _ = await _get(http, sandbox, _mentions(sandbox), max_results="100", **FIELDS)
    assert status == 200
    brand = sandbox.scenario.brand.x_id
    included = {t["id"]: t for t in body["includes"]["tweets"]}
    kinds = {g["id"]: g["kind"] for g in (await _state(http, sandbox))["generated"]["x"]}
    quotes = [p for p in body["data"] if kinds[p["id"]] == "quote"]
    replies = [p for p in body["data"] if kinds[p["id"]] == "reply"]
    assert quotes
    assert replies
    for post in quotes:
        (ref,) = post["referenced_tweets"]
        assert ref["type"] == "quoted"
    for post in replies:
        (ref,) = post["referenced_tweets"]
        assert ref["type"] == "replied_to"
        assert post["in_reply_to_user_id"] == included[ref["id"]]["author_id"]
        assert post["conversation_id"] != post["id"]
    assert any(included[p["referenced_tweets"][0]["id"]]["author_id"] == brand for p in replies)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"max_results": "4"}, "max_results"),
        ({"max_results": "101"}, "max_results"),
        ({"max_results": "ten"}, "max_results"),
        ({"since_id": "12ab"}, "since_id"),
        ({"pagination_token": "not-a-token"}, "pagination_token"),
        ({"expansions": "author_id,bogus"}, "expansions"),
        ({"tweet.fields": "lang,nope"}, "tweet.fields"),
        ({"start_time": "yesterday"}, "start_time"),
    ],
)
async def test_bad_parameters_are_400_invalid_request(
    sandbox: SandboxServer, http: aiohttp.ClientSession, params: dict[str, str], parameter: str
) -> None:
    async with http.get(
        f"{sandbox.x_api_base}{_mentions(sandbox)}", headers=APP, params=params
    ) as resp:
        assert resp.status == 400
        assert resp.headers["Content-Type"] == "application/problem+json"
        body = await resp.json()
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert body["title"] == "Invalid Request"
    assert parameter in body["errors"][0]["parameters"]


async def test_auth_missing_invalid_and_app_token_on_user_endpoint(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    url = f"{sandbox.x_api_base}{_mentions(sandbox)}"
    async with http.get(url) as resp:
        assert resp.status == 401
        assert "x-rate-limit-limit" in resp.headers
    async with http.get(url, headers={"Authorization": "Bearer wrong"}) as resp:
        assert resp.status == 401
        assert (await resp.json())["title"] == "Unauthorized"
    async with http.get(f"{sandbox.x_api_base}/2/users/me", headers=APP) as resp:
        assert resp.status == 403
        assert (await resp.json())["title"] == "Unsupported Authentication"


async def test_users_me_with_user_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{sandbox.url}/_sandbox/x/token") as resp:
        token = (await resp.json())["access_token"]
    async with http.get(
        f"{sandbox.x_api_base}/2/users/me",
        headers={"Authorization": f"Bearer {token}"},
        params={"user.fields": "public_metrics,created_at,verified"},
    ) as resp:
        assert resp.status == 200
        assert resp.headers["x-rate-limit-limit"] == "75"
        data = (await resp.json())["data"]
    assert data["id"] == sandbox.scenario.brand.x_id
    assert data["username"] == "PlumeNotes"
    assert data["public_metrics"]["followers_count"] == sandbox.scenario.brand.followers


async def test_lookup_returns_found_posts_and_problems_for_missing(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=1))
    ids = [g["id"] for g in (await _state(http, sandbox))["generated"]["x"]][:3]
    status, body, _ = await _get(
        http, sandbox, "/2/tweets", ids=",".join([*ids, "1"]), **{"tweet.fields": "author_id"}
    )
    assert status == 200
    assert {p["id"] for p in body["data"]} == set(ids)
    (problem,) = body["errors"]
    assert problem["type"].endswith("resource-not-found")
    assert problem["resource_id"] == "1"
    status, body, _ = await _get(http, sandbox, "/2/tweets", ids=",".join(["1"] * 101))
    assert status == 400


async def test_recent_search_finds_corpus_posts_by_words_and_operators(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=4))
    status, body, _ = await _get(
        http,
        sandbox,
        "/2/tweets/search/recent",
        query="Plume lang:fr -is:reply",
        max_results="10",
        **{"tweet.fields": "lang,referenced_tweets"},
    )
    assert status == 200
    assert body["data"]
    for post in body["data"]:
        assert "plume" in post["text"].lower()
        assert post["lang"] == "fr"
        assert all(r["type"] != "replied_to" for r in post.get("referenced_tweets", []))
    status, body, _ = await _get(
        http, sandbox, "/2/tweets/search/recent", query="zzzunlikelyword", max_results="10"
    )
    assert body == {"meta": {"result_count": 0}}
    status, _, _ = await _get(http, sandbox, "/2/tweets/search/recent", query="x", max_results="5")
    assert status == 400
    status, _, _ = await _get(http, sandbox, "/2/tweets/search/recent", query="a" * 513)
    assert status == 400


async def test_usage_reports_posts_read(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=1))
    _, _body, _ = await _get(http, sandbox, _mentions(sandbox), max_results="7")
    status, usage, _ = await _get(http, sandbox, "/2/usage/tweets", days="2")
    assert status == 200
    assert usage["data"]["project_usage"] == "7"
    assert [d["usage"] for d in usage["data"]["daily_project_usage"]["usage"]] == ["0", "7"]


async def test_a_whole_day_of_mentions_matches_the_ground_truth(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=24))
    truth = {g["id"]: g for g in (await _state(http, sandbox))["generated"]["x"]}
    seen: dict[str, dict[str, Any]] = {}
    params = {"max_results": "100", "expansions": "author_id"}
    while True:
        status, body, _ = await _get(http, sandbox, _mentions(sandbox), **params)
        assert status == 200
        users = {u["id"]: u["username"] for u in body["includes"]["users"]}
        seen.update(
            {p["id"]: {"text": p["text"], "author": users[p["author_id"]]} for p in body["data"]}
        )
        if "next_token" not in body["meta"]:
            break
        params["pagination_token"] = body["meta"]["next_token"]
    assert set(seen) == set(truth)
    assert all(seen[i] == {"text": t["text"], "author": t["author"]} for i, t in truth.items())
    assert {t["kind"] for t in truth.values()} == {"mention", "reply", "quote"}
