"""Every Bluesky response of a realistic session validates against the real lexicons."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from _lexicon_check import LexiconValidator
from atproto import AsyncClient, models
from atproto_client.exceptions import BadRequestError, ModelError
from atproto_client.request import AsyncRequest

from sandbox import ManualClock, SandboxServer
from sandbox._credentials import BLUESKY_APP_PASSWORD
from sandbox.bluesky import STORE
from sandbox.bluesky._views import Views

LEXICONS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs" / "lexicons"

Exchange = tuple[str, int, Any]


@pytest.fixture(scope="module")
def validator() -> LexiconValidator:
    if not LEXICONS.is_dir():
        pytest.skip(f"lexicons not found at {LEXICONS} (../shared is absent)")
    return LexiconValidator(LEXICONS)


class Recorder:
    """Keeps every XRPC response the client receives: (nsid, status, json body)."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []

    async def __call__(self, response: httpx.Response) -> None:
        await response.aread()
        nsid = response.url.path.split("/xrpc/", 1)[1]
        body = json.loads(response.content) if response.content else None
        self.exchanges.append((nsid, response.status_code, body))


@pytest.fixture
async def recorded(live_sandbox: SandboxServer) -> AsyncIterator[tuple[AsyncClient, Recorder]]:
    recorder = Recorder()
    request = AsyncRequest(event_hooks={"response": [recorder]})
    client = AsyncClient(base_url=live_sandbox.bluesky_service, request=request)
    yield client, recorder
    await request.close()


async def _raw(sb: SandboxServer, recorder: Recorder, method: str, nsid: str, **kw: Any) -> Any:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{sb.url}/xrpc/{nsid}", **kw) as resp,
    ):
        raw = await resp.read()
        body = json.loads(raw) if raw else None
        recorder.exchanges.append((nsid, resp.status, body))
        return body


async def _session(
    sb: SandboxServer, clock: ManualClock, client: AsyncClient, rec: Recorder
) -> None:
    """A day in the life of the bot: read everything, answer, thank, discover, refresh."""
    brand = sb.bluesky_handle
    await client.login(brand, BLUESKY_APP_PASSWORD)
    notes: list[models.AppBskyNotificationListNotifications.Notification] = []
    cursor = None
    for _ in range(4):
        page = await client.app.bsky.notification.list_notifications(
            params={"limit": 50, "cursor": cursor}
        )
        notes += page.notifications
        cursor = page.cursor
    await client.app.bsky.notification.list_notifications(params={"reasons": ["quote", "repost"]})
    await client.app.bsky.notification.get_unread_count()
    await client.app.bsky.notification.update_seen(data={"seen_at": client.get_current_time_iso()})
    texts = [n.uri for n in notes if n.reason in {"reply", "mention", "quote"}]
    posts = (await client.get_posts(texts[:25])).posts
    await client.get_profiles(list(dict.fromkeys(n.author.did for n in notes))[:25])
    await client.get_profile(notes[0].author.handle)
    launch = next(n.reason_subject for n in notes if n.reason == "like")
    assert launch is not None
    await client.get_post_thread(launch, depth=3)
    deep = next(
        p
        for p in posts
        if isinstance(p.record, models.AppBskyFeedPost.Record) and p.record.reply is not None
    )
    await client.get_post_thread(deep.uri, parent_height=5)
    record = deep.record
    assert isinstance(record, models.AppBskyFeedPost.Record)
    assert record.reply is not None
    sent = await client.send_post(
        "Merci ! 🙏",
        reply_to=models.AppBskyFeedPost.ReplyRef(
            root=record.reply.root, parent=models.create_strong_ref(deep)
        ),
        langs=["fr"],
    )
    like = await client.like(deep.uri, deep.cid)
    quote = next(p for p in posts if p.embed is not None)
    await client.repost(quote.uri, quote.cid)
    await client.follow(notes[0].author.did)
    await client.get_author_feed(brand)
    await client.get_author_feed(notes[0].author.did, filter="posts_no_replies")
    await client.get_post_thread(sent.uri)
    await client.delete_like(like.uri)
    await client.com.atproto.repo.get_record(
        params={"repo": brand, "collection": "app.bsky.feed.post", "rkey": sent.uri.split("/")[-1]}
    )
    await client.app.bsky.feed.search_posts(params={"q": "markdown", "limit": 10})
    await client.app.bsky.feed.search_posts(params={"q": "Plume", "lang": "fr", "sort": "top"})
    with pytest.raises(BadRequestError):
        await client.get_post_thread(sent.uri.replace(sent.uri.split("/")[-1], "3zzzzzzzzzzzz"))
    with pytest.raises(BadRequestError):
        await client.send_post("trop long " * 40)
    clock.advance(timedelta(hours=3))  # later traffic, and the access token expires
    session = client._session
    assert session is not None
    refreshed = await _raw(
        sb,
        rec,
        "POST",
        "com.atproto.server.refreshSession",
        headers={"Authorization": f"Bearer {session.refresh_jwt}"},
    )
    token = {"Authorization": f"Bearer {refreshed['accessJwt']}"}
    await _raw(sb, rec, "GET", "com.atproto.server.getSession", headers=token)
    await _raw(
        sb,
        rec,
        "GET",
        "app.bsky.notification.listNotifications",
        params={"limit": "100"},
        headers=token,
    )
    await _raw(
        sb,
        rec,
        "GET",
        "app.bsky.notification.listNotifications",
        params={"seenAt": "2026-01-01T00:00:00Z"},
        headers=token,
    )
    await _raw(
        sb,
        rec,
        "GET",
        "com.atproto.server.getSession",
        headers={"Authorization": f"Bearer {session.access_jwt}"},
    )


async def test_every_response_of_a_session_conforms(
    validator: LexiconValidator,
    live_sandbox: SandboxServer,
    live_clock: ManualClock,
    recorded: tuple[AsyncClient, Recorder],
) -> None:
    client, recorder = recorded
    await _session(live_sandbox, live_clock, client, recorder)
    errors: list[str] = []
    for nsid, status, body in recorder.exchanges:
        if status == 200:
            errors += validator.output_errors(nsid, body)
        else:
            errors += validator.error_errors(nsid, body)
    assert errors == []
    covered = {nsid for nsid, status, _ in recorder.exchanges if status == 200}
    assert covered >= {
        "com.atproto.server.createSession",
        "com.atproto.server.refreshSession",
        "com.atproto.server.getSession",
        "app.bsky.actor.getProfile",
        "app.bsky.actor.getProfiles",
        "app.bsky.notification.listNotifications",
        "app.bsky.notification.getUnreadCount",
        "app.bsky.notification.updateSeen",
        "app.bsky.feed.getPosts",
        "app.bsky.feed.getPostThread",
        "app.bsky.feed.getAuthorFeed",
        "app.bsky.feed.searchPosts",
        "com.atproto.repo.createRecord",
        "com.atproto.repo.deleteRecord",
        "com.atproto.repo.getRecord",
    }
    failures = {(nsid, body["error"]) for nsid, status, body in recorder.exchanges if status != 200}
    assert failures == {
        ("app.bsky.feed.getPostThread", "NotFound"),
        ("com.atproto.repo.createRecord", "InvalidRequest"),
        ("app.bsky.notification.listNotifications", "InvalidRequest"),
        ("com.atproto.server.getSession", "ExpiredToken"),
    }


async def test_every_record_conforms_to_its_record_lexicon(
    validator: LexiconValidator,
    live_sandbox: SandboxServer,
    live_clock: ManualClock,
    recorded: tuple[AsyncClient, Recorder],
) -> None:
    client, recorder = recorded
    await _session(live_sandbox, live_clock, client, recorder)
    store = live_sandbox.app[STORE]
    records = [p.record for p in store.posts.values()] + [x.record for x in store.links.values()]
    assert len(records) > 600  # every record delivered or not, plus what the session wrote
    assert {r["$type"] for r in records} == {
        "app.bsky.feed.post",
        "app.bsky.feed.like",
        "app.bsky.feed.repost",
        "app.bsky.graph.follow",
    }
    errors = [e for r in records for e in validator.record_errors(r)]
    assert errors == []
    assert validator.record_errors({"$type": "app.bsky.feed.like", "createdAt": "yesterday"})


async def test_broken_output_makes_the_check_fail(
    validator: LexiconValidator,
    live_sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    recorded: tuple[AsyncClient, Recorder],
) -> None:
    client, recorder = recorded
    original_notification = Views.notification
    original_profile = Views.profile_basic

    def broken_notification(self: Views, notice: Any) -> dict[str, Any]:
        view = original_notification(self, notice)
        del view["isRead"]  # a required field
        view["indexedAt"] = view["indexedAt"].replace("T", " ")  # not an atproto datetime
        return view

    def broken_profile(self: Views, persona: Any) -> dict[str, Any]:
        view = original_profile(self, persona)
        view["did"] = "plc:missing-method"
        return view

    monkeypatch.setattr(Views, "notification", broken_notification)
    await client.login(live_sandbox.bluesky_handle, BLUESKY_APP_PASSWORD)
    with pytest.raises(ModelError, match="isRead"):  # the SDK's own models notice too
        await client.app.bsky.notification.list_notifications(params={"limit": 2})
    monkeypatch.setattr(Views, "profile_basic", broken_profile)
    await client.get_profile(live_sandbox.bluesky_handle)
    errors = [
        e for nsid, _, body in recorder.exchanges for e in validator.output_errors(nsid, body)
    ]
    assert any("missing required field 'isRead'" in e for e in errors)
    assert any("bad datetime" in e and "indexedAt" in e for e in errors)
    assert any("bad did" in e for e in errors)


def test_validator_catches_nested_union_and_string_rules(validator: LexiconValidator) -> None:
    did = "did:plc:abcdefghijklmnopqrstuvwx"
    author = {"did": did, "handle": "someone.bsky.social"}
    post = {
        "uri": f"at://{did}/app.bsky.feed.post/3k2a",
        "author": author,
        "cid": "bafyreia7syd7q5jcrskjjn3p5yoass7yf6nd5ksvr5t46x4hxisndkghya",
        "record": {
            "$type": "app.bsky.feed.post",
            "text": "ok",
            "createdAt": "2026-03-10T08:00:00.000Z",
        },
        "indexedAt": "2026-03-10T08:00:01.000Z",
    }
    good = {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": post}}
    assert validator.output_errors("app.bsky.feed.getPostThread", good) == []
    cases: dict[str, Any] = {
        "union member without $type": {"thread": {"post": post}},
        "bad cid": {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {**post, "cid": "bafy-not-a-cid-at-all"},
            }
        },
        "more than 300 graphemes": {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {**post, "record": {**post["record"], "text": "a" * 301}},
            }
        },
        "expected integer": {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {**post, "likeCount": "3"},
            }
        },
        "bad handle": {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {**post, "author": {**author, "handle": "no_dots"}},
            }
        },
        "bad at-uri": {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": {**post, "uri": "https://bsky.app/x"},
            }
        },
    }
    for expected, body in cases.items():
        errors = validator.output_errors("app.bsky.feed.getPostThread", body)
        assert any(expected in e for e in errors), (expected, errors)
    # Open unions tolerate other $types; closed ones (applyWrites results) do not.
    other = {"thread": {"$type": "app.bsky.feed.defs#postView", **post}}
    assert validator.output_errors("app.bsky.feed.getPostThread", other) == []
    closed = {"results": [{"$type": "com.atproto.repo.applyWrites#create"}]}
    errors = validator.output_errors("com.atproto.repo.applyWrites", closed)
    assert any("not in closed union" in e for e in errors), errors
    assert (
        validator.error_errors("app.bsky.feed.getPostThread", {"error": "NotFound", "message": "x"})
        == []
    )
    assert validator.error_errors("app.bsky.feed.getPosts", {"error": "Bogus", "message": "x"})


def test_routes_are_real_lexicon_methods_with_the_right_verb(
    validator: LexiconValidator, sandbox: SandboxServer
) -> None:
    seen = 0
    for route in sandbox.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if not path.startswith("/xrpc/") or "{" in path or route.method == "HEAD":
            continue
        nsid = path.removeprefix("/xrpc/")
        method = validator.method(nsid)
        verb = "GET" if method.type == "query" else "POST"
        assert route.method == verb, nsid
        seen += 1
    assert seen >= 16
