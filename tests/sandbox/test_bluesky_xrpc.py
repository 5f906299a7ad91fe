"""Raw XRPC behaviour: writes (rkey, duplicates, deletes, limits), reads' bounds, search."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sandbox import SandboxServer
from sandbox._credentials import BLUESKY_APP_PASSWORD


class Xrpc:
    def __init__(self, sb: SandboxServer, http: aiohttp.ClientSession, token: str) -> None:
        self.sb, self.http = sb, http
        self.headers = {"Authorization": f"Bearer {token}"}

    async def get(self, nsid: str, **params: Any) -> tuple[int, Any, Any]:
        url = f"{self.sb.url}/xrpc/{nsid}"
        async with self.http.get(url, params=params, headers=self.headers) as resp:
            return resp.status, await resp.json(), resp.headers

    async def post(self, nsid: str, body: dict[str, Any]) -> tuple[int, Any, Any]:
        url = f"{self.sb.url}/xrpc/{nsid}"
        async with self.http.post(url, json=body, headers=self.headers) as resp:
            payload = await resp.json() if resp.content_length else None
            return resp.status, payload, resp.headers


@pytest.fixture
async def xrpc(live_sandbox: SandboxServer, http: aiohttp.ClientSession) -> AsyncIterator[Xrpc]:
    login = {"identifier": live_sandbox.bluesky_handle, "password": BLUESKY_APP_PASSWORD}
    url = f"{live_sandbox.url}/xrpc/com.atproto.server.createSession"
    async with http.post(url, json=login) as resp:
        token = (await resp.json())["accessJwt"]
    return Xrpc(live_sandbox, http, token)


async def _a_reply(x: Xrpc) -> dict[str, Any]:
    status, page, _ = await x.get("app.bsky.notification.listNotifications", reasons="reply")
    assert status == 200
    notification: dict[str, Any] = page["notifications"][0]
    return notification


def _record(x: Xrpc, collection: str, **fields: Any) -> dict[str, Any]:
    return {
        "repo": x.sb.bluesky_handle,
        "collection": collection,
        "record": {"$type": collection, "createdAt": "2026-03-10T09:00:00.000Z", **fields},
    }


async def test_rkey_makes_writes_idempotent(xrpc: Xrpc) -> None:
    body = {**_record(xrpc, "app.bsky.feed.post", text="Bonjour !"), "rkey": "answer-42"}
    status, created, headers = await xrpc.post("com.atproto.repo.createRecord", body)
    assert status == 200
    assert created["uri"].endswith("/app.bsky.feed.post/answer-42")
    assert headers["ratelimit-policy"] == "5000;w=3600"
    assert headers["ratelimit-remaining"] == "4997"  # a create costs 3 points
    status, again, _ = await xrpc.post("com.atproto.repo.createRecord", body)
    assert status == 400
    assert again["error"] == "InvalidRequest"
    assert "already exists" in again["message"]
    status, got, _ = await xrpc.get(
        "com.atproto.repo.getRecord",
        repo=xrpc.sb.bluesky_handle,
        collection="app.bsky.feed.post",
        rkey="answer-42",
    )
    assert status == 200
    assert (got["uri"], got["cid"]) == (created["uri"], created["cid"])
    assert [w["id"] for w in xrpc.sb.world.written] == [created["uri"]]
    status, bad, _ = await xrpc.post("com.atproto.repo.createRecord", {**body, "rkey": "a/b"})
    assert status == 400
    assert "Record Key" in bad["message"]


async def test_a_second_like_replaces_the_first_and_delete_removes_it(xrpc: Xrpc) -> None:
    target = await _a_reply(xrpc)
    subject = {"uri": target["uri"], "cid": target["cid"]}
    like = _record(xrpc, "app.bsky.feed.like", subject=subject)
    _, first, _ = await xrpc.post("com.atproto.repo.createRecord", like)
    _, second, _ = await xrpc.post("com.atproto.repo.createRecord", like)
    status, posts, _ = await xrpc.get("app.bsky.feed.getPosts", uris=target["uri"])
    assert status == 200
    assert posts["posts"][0]["viewer"]["like"] == second["uri"]
    likes_before = posts["posts"][0]["likeCount"]
    rkey = second["uri"].rsplit("/", 1)[1]
    status, _, _ = await xrpc.post(
        "com.atproto.repo.deleteRecord",
        {"repo": xrpc.sb.bluesky_handle, "collection": "app.bsky.feed.like", "rkey": rkey},
    )
    assert status == 200
    _, posts, _ = await xrpc.get("app.bsky.feed.getPosts", uris=target["uri"])
    assert posts["posts"][0]["likeCount"] == likes_before - 1
    assert "like" not in posts["posts"][0]["viewer"]
    types = [(w["type"], w["id"]) for w in xrpc.sb.world.written]
    assert types == [
        ("like", first["uri"]),
        ("delete", first["uri"]),
        ("like", second["uri"]),
        ("delete", second["uri"]),
    ]


async def test_follow_and_repost_show_in_views(xrpc: Xrpc) -> None:
    target = await _a_reply(xrpc)
    did = target["author"]["did"]
    _, follow, _ = await xrpc.post(
        "com.atproto.repo.createRecord", _record(xrpc, "app.bsky.graph.follow", subject=did)
    )
    _, profile, _ = await xrpc.get("app.bsky.actor.getProfile", actor=did)
    assert profile["viewer"]["following"] == follow["uri"]
    subject = {"uri": target["uri"], "cid": target["cid"]}
    _, repost, _ = await xrpc.post(
        "com.atproto.repo.createRecord", _record(xrpc, "app.bsky.feed.repost", subject=subject)
    )
    _, feed, _ = await xrpc.get("app.bsky.feed.getAuthorFeed", actor=xrpc.sb.bluesky_handle)
    top = feed["feed"][0]
    assert top["post"]["uri"] == target["uri"]
    assert top["reason"]["uri"] == repost["uri"]
    status, err, _ = await xrpc.post(
        "com.atproto.repo.createRecord", _record(xrpc, "app.bsky.graph.follow", subject="did:plc:x")
    )
    assert status == 400
    assert "known DID" in err["message"]


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"repo": "someone-else.bsky.social"}, 400, "InvalidRequest"),
        ({"collection": "app.bsky.graph.block"}, 400, "InvalidRequest"),
        ({"record": {"$type": "app.bsky.feed.like", "text": "x"}}, 400, "InvalidRequest"),
        (
            {"record": {"$type": "app.bsky.feed.post", "text": "x", "createdAt": "today"}},
            400,
            "InvalidRequest",
        ),
        (
            {"record": {"$type": "app.bsky.feed.post", "createdAt": "2026-03-10T09:00:00Z"}},
            400,
            "InvalidRequest",
        ),
        ({"validate": False}, 400, "InvalidRequest"),
    ],
)
async def test_bad_writes_are_refused(
    xrpc: Xrpc, change: dict[str, Any], status: int, error: str
) -> None:
    body = {**_record(xrpc, "app.bsky.feed.post", text="ok"), **change}
    got, payload, _ = await xrpc.post("com.atproto.repo.createRecord", body)
    assert (got, payload["error"]) == (status, error)
    assert xrpc.sb.world.written == []


async def test_writing_into_another_repo_is_401(xrpc: Xrpc) -> None:
    other = xrpc.sb.scenario.personas[0].bsky_handle
    body = {**_record(xrpc, "app.bsky.feed.post", text="ok"), "repo": other}
    status, payload, _ = await xrpc.post("com.atproto.repo.createRecord", body)
    assert status == 401
    assert payload["error"] == "AuthenticationRequired"


async def test_read_bounds(xrpc: Xrpc) -> None:
    status, err, _ = await xrpc.get("app.bsky.notification.listNotifications", limit="101")
    assert (status, err["error"]) == (400, "InvalidRequest")
    status, err, _ = await xrpc.get("app.bsky.notification.listNotifications", limit="zero")
    assert status == 400
    status, err, _ = await xrpc.get("app.bsky.notification.listNotifications", cursor="%%%")
    assert status == 400
    actors = [p.bsky_did for p in xrpc.sb.scenario.personas[:26]]
    url = f"{xrpc.sb.url}/xrpc/app.bsky.actor.getProfiles"
    params = [("actors", a) for a in actors]
    async with xrpc.http.get(url, params=params, headers=xrpc.headers) as resp:
        assert resp.status == 400
    async with xrpc.http.get(url, params=params[:25], headers=xrpc.headers) as resp:
        assert len((await resp.json())["profiles"]) == 25
    status, err, _ = await xrpc.get("app.bsky.actor.getProfile", actor="nobody.bsky.social")
    assert status == 400
    async with xrpc.http.get(f"{xrpc.sb.url}/xrpc/app.bsky.feed.getTimeline") as resp:
        assert resp.status == 501
        assert (await resp.json())["error"] == "MethodNotImplemented"


async def test_search_over_corpus_and_traffic(xrpc: Xrpc) -> None:
    status, found, _ = await xrpc.get("app.bsky.feed.searchPosts", q="markdown", limit="5")
    assert status == 200
    assert found["hitsTotal"] > 5
    assert len(found["posts"]) == 5
    assert all("markdown" in p["record"]["text"].lower() for p in found["posts"])
    _, page2, _ = await xrpc.get(
        "app.bsky.feed.searchPosts", q="markdown", limit="5", cursor=found["cursor"]
    )
    assert {p["uri"] for p in page2["posts"]}.isdisjoint({p["uri"] for p in found["posts"]})
    _, french, _ = await xrpc.get("app.bsky.feed.searchPosts", q="prise de notes", lang="fr")
    assert french["posts"]
    assert all("fr" in p["record"]["langs"] for p in french["posts"])
    _, accents, _ = await xrpc.get("app.bsky.feed.searchPosts", q="PRODUCTIVITE")
    assert any("Productivité" in p["record"]["text"] for p in accents["posts"])
    status, _err, _ = await xrpc.get("app.bsky.feed.searchPosts")
    assert status == 400
