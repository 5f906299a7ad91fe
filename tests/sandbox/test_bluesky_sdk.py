"""The unmodified atproto AsyncClient (only base_url changed) against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import aiohttp
import httpx
import pytest
from atproto import AsyncClient, models
from atproto_client.exceptions import BadRequestError, RateLimitExceededError, UnauthorizedError

from sandbox import ManualClock, SandboxServer
from sandbox._credentials import BLUESKY_APP_PASSWORD

MakeClient = Callable[[SandboxServer], AsyncClient]


async def _login(sb: SandboxServer, bsky: MakeClient) -> AsyncClient:
    client = bsky(sb)
    await client.login(sb.bluesky_handle, BLUESKY_APP_PASSWORD)
    return client


async def test_login_page_read_reply_and_like(
    live_sandbox: SandboxServer, bsky: MakeClient
) -> None:
    sb = live_sandbox
    client = bsky(sb)
    profile = await client.login(sb.bluesky_handle, BLUESKY_APP_PASSWORD)
    assert profile is not None
    assert profile.did == sb.scenario.brand.bsky_did
    assert sb.world.sessions_created == 1

    # Page through every notification, newest first, with an opaque cursor.
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 40}
        if cursor:
            params["cursor"] = cursor
        page = await client.app.bsky.notification.list_notifications(params=params)
        seen += [n.uri for n in page.notifications]
        stamps = [n.indexed_at for n in page.notifications]
        assert stamps == sorted(stamps, reverse=True)
        cursor = page.cursor
        if not cursor:
            break
    truth = [g["id"] for g in sb.world.state()["generated"]["bluesky"]]
    assert len(seen) == len(set(seen)) == len(truth)
    assert set(seen) == set(truth)

    # reasons filter, sent as a repeated parameter by the SDK.
    replies = await client.app.bsky.notification.list_notifications(
        params={"limit": 100, "reasons": ["reply", "mention"]}
    )
    assert replies.notifications
    assert {n.reason for n in replies.notifications} <= {"reply", "mention"}
    reply = next(n for n in replies.notifications if n.reason == "reply")

    # Read the post and the authors.
    posts = await client.get_posts([reply.uri])
    (post,) = posts.posts
    assert post.cid == reply.cid
    profiles = await client.get_profiles(list({n.author.did for n in replies.notifications})[:25])
    assert all(p.followers_count is not None for p in profiles.profiles)

    # Threaded reply: root from the parent's own reply ref.
    record = post.record
    assert isinstance(record, models.AppBskyFeedPost.Record)
    assert record.reply is not None
    sent = await client.send_post(
        "Merci pour votre message, on regarde ça !",
        reply_to=models.AppBskyFeedPost.ReplyRef(
            root=record.reply.root, parent=models.create_strong_ref(post)
        ),
        langs=["fr"],
    )
    liked = await client.like(post.uri, post.cid)

    state = sb.world.state()
    written = {w["id"]: w for w in state["written"]}
    assert written[sent.uri]["reply_parent"] == post.uri
    assert written[sent.uri]["reply_root"] == record.reply.root.uri
    assert written[liked.uri]["type"] == "like"
    answered = {g["id"]: g["answered"] for g in state["generated"]["bluesky"]}
    assert answered[reply.uri] is True

    # The reply shows in the thread and in the brand's feed; the like on the post.
    thread = await client.get_post_thread(post.uri)
    assert isinstance(thread.thread, models.AppBskyFeedDefs.ThreadViewPost)
    assert sent.uri in [r.post.uri for r in thread.thread.replies or []]  # type: ignore[union-attr]
    assert thread.thread.post.viewer is not None
    assert thread.thread.post.viewer.like == liked.uri
    feed = await client.get_author_feed(sb.bluesky_handle, limit=5)
    assert feed.feed[0].post.uri == sent.uri


async def test_unknown_uri_and_bad_reply_refs_are_refused(
    live_sandbox: SandboxServer, bsky: MakeClient
) -> None:
    client = await _login(live_sandbox, bsky)
    with pytest.raises(BadRequestError) as not_found:
        await client.get_post_thread("at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/app.bsky.feed.post/3k")
    assert not_found.value.response is not None
    assert not_found.value.response.content.error == "NotFound"

    page = await client.app.bsky.notification.list_notifications(params={"reasons": ["reply"]})
    target = page.notifications[0]
    wrong_cid = models.ComAtprotoRepoStrongRef.Main(uri=target.uri, cid="bafyreie" + "a" * 51)
    with pytest.raises(BadRequestError, match="cid does not match"):
        await client.send_post(
            "x", reply_to=models.AppBskyFeedPost.ReplyRef(root=wrong_cid, parent=wrong_cid)
        )
    # A reply whose root is not the parent's thread root.
    own = models.ComAtprotoRepoStrongRef.Main(uri=target.uri, cid=target.cid)
    with pytest.raises(BadRequestError, match="root"):
        await client.send_post("x", reply_to=models.AppBskyFeedPost.ReplyRef(root=own, parent=own))
    with pytest.raises(BadRequestError, match="300 graphemes"):
        await client.send_post("é" * 301)
    assert live_sandbox.world.written == []
    # 300 graphemes made of multi-codepoint emoji are fine (the limit is graphemes, not bytes).
    await client.send_post("👍🏽" * 300)


async def test_seen_at_is_rejected_and_update_seen_marks_read(
    live_sandbox: SandboxServer, live_clock: ManualClock, bsky: MakeClient
) -> None:
    client = await _login(live_sandbox, bsky)
    with pytest.raises(BadRequestError, match="seenAt"):
        await client.app.bsky.notification.list_notifications(
            params={"seen_at": "2026-01-01T00:00:00Z"}
        )
    unread = await client.app.bsky.notification.get_unread_count()
    assert unread.count > 0
    await client.app.bsky.notification.update_seen(
        data={"seen_at": live_clock.now().isoformat().replace("+00:00", "Z")}
    )
    assert (await client.app.bsky.notification.get_unread_count()).count == 0
    page = await client.app.bsky.notification.list_notifications(params={"limit": 3})
    assert all(n.is_read for n in page.notifications)
    live_clock.advance(timedelta(hours=1))
    assert (await client.app.bsky.notification.get_unread_count()).count > 0


async def test_create_session_rate_limit(live_sandbox: SandboxServer, bsky: MakeClient) -> None:
    sb = live_sandbox
    async with aiohttp.ClientSession() as http:
        url = f"{sb.url}/xrpc/com.atproto.server.createSession"
        body = {"identifier": sb.bluesky_handle, "password": BLUESKY_APP_PASSWORD}
        for expected_remaining in range(29, -1, -1):
            async with http.post(url, json=body) as resp:
                assert resp.status == 200
                assert resp.headers["ratelimit-limit"] == "30"
                assert resp.headers["ratelimit-policy"] == "30;w=300"
                assert int(resp.headers["ratelimit-remaining"]) == expected_remaining
    client = bsky(sb)
    with pytest.raises(RateLimitExceededError) as limited:
        await client.login(sb.bluesky_handle, BLUESKY_APP_PASSWORD)
    assert limited.value.response is not None
    assert limited.value.response.headers["ratelimit-remaining"] == "0"
    assert int(limited.value.response.headers["ratelimit-reset"]) > 0
    state = sb.world.state()
    assert state["sessions_created"] == 30
    assert state["rate_limited"] == {"com.atproto.server.createSession": 1}


async def test_wrong_password_is_401(live_sandbox: SandboxServer, bsky: MakeClient) -> None:
    client = bsky(live_sandbox)
    with pytest.raises(UnauthorizedError):
        await client.login(live_sandbox.bluesky_handle, "wrong-password")
    assert live_sandbox.world.sessions_created == 0


async def test_access_token_expiry_refresh_and_revocation(
    live_sandbox: SandboxServer, live_clock: ManualClock, bsky: MakeClient
) -> None:
    sb = live_sandbox
    client = await _login(sb, bsky)
    session = client._session  # the SDK's own session object
    assert session is not None
    live_clock.advance(timedelta(hours=2, minutes=1))  # the server's clock passes exp
    with pytest.raises(BadRequestError) as expired:
        await client.app.bsky.notification.get_unread_count()
    assert expired.value.response is not None
    assert expired.value.response.content.error == "ExpiredToken"

    async with aiohttp.ClientSession() as http:
        refresh_url = f"{sb.url}/xrpc/com.atproto.server.refreshSession"
        auth = {"Authorization": f"Bearer {session.refresh_jwt}"}
        async with http.post(refresh_url, headers=auth) as resp:
            assert resp.status == 200
            fresh = await resp.json()
        async with http.post(refresh_url, headers=auth) as resp:  # rotated: revoked now
            assert resp.status == 400
            assert await resp.json() == {
                "error": "ExpiredToken",
                "message": "Token has been revoked",
            }
        get_session = f"{sb.url}/xrpc/com.atproto.server.getSession"
        headers = {"Authorization": f"Bearer {fresh['accessJwt']}"}
        async with http.get(get_session, headers=headers) as resp:
            assert resp.status == 200
            assert (await resp.json())["did"] == sb.scenario.brand.bsky_did
        tampered = fresh["accessJwt"][:-2] + (
            "AA" if not fresh["accessJwt"].endswith("AA") else "BB"
        )
        async with http.get(get_session, headers={"Authorization": f"Bearer {tampered}"}) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"] == "InvalidToken"
        async with http.get(get_session) as resp:
            assert resp.status == 401
            assert (await resp.json())["error"] == "AuthMissing"
        # A refresh token is not an access token.
        async with http.get(
            get_session, headers={"Authorization": f"Bearer {fresh['refreshJwt']}"}
        ) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"] == "InvalidToken"


async def test_faults_reach_the_sdk(
    live_sandbox: SandboxServer, bsky: MakeClient, http: aiohttp.ClientSession
) -> None:
    from atproto_client.exceptions import NetworkError

    client = await _login(live_sandbox, bsky)
    endpoint = "app.bsky.notification.listNotifications"
    faults = f"{live_sandbox.url}/_sandbox/faults"
    await http.post(faults, json={"endpoint": endpoint, "status": 502})
    with pytest.raises(NetworkError):
        await client.app.bsky.notification.list_notifications()
    await http.post(faults, json={"endpoint": endpoint, "malformed": True})
    with pytest.raises(ValueError, match="EOF while parsing"):  # truncated JSON
        await client.app.bsky.notification.list_notifications()
    await http.post(faults, json={"endpoint": endpoint, "drop": True})
    with pytest.raises(httpx.RemoteProtocolError):  # the SDK lets httpx's error through
        await client.app.bsky.notification.list_notifications()
    page = await client.app.bsky.notification.list_notifications()  # faults used up
    assert page.notifications
    log = [e.status for e in live_sandbox.world.request_log if e.endpoint == endpoint]
    assert log[-4:] == [502, 200, 0, 200]
