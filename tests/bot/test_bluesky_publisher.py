"""Writing as the brand through the real SDK: replies in the right thread, idempotent, undoable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from atproto_client import models
from bsky_sandbox import (
    advance,
    catch_up,
    clock_fixture,  # noqa: F401 - fixture
    control,
    launch_day_fixture,  # noqa: F401 - fixture
    open_bluesky,
    open_db,
    sandbox_state,
)

from bot.bluesky import BlueskyConnection
from bot.publishing import text_digest
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    Author,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor, WriteKind, WriteRefusedError
from sandbox import ManualClock, SandboxServer
from storage import Database
from watchers.bluesky import tid_for

ALICE = Actor("111", "Alice (CM)")


@dataclass
class World:
    sb: SandboxServer
    db: Database
    bsky: BlueskyConnection
    items: list[InteractionRecord]

    def first(self, kind: InteractionKind, *, threaded: bool | None = None) -> InteractionRecord:
        for item in self.items:
            if item.kind != kind:
                continue
            if threaded is None or (item.root is not None) == threaded:
                return item
        raise AssertionError(f"no {kind} item")

    async def written(self) -> list[dict[str, Any]]:
        return [w for w in (await sandbox_state(self.sb))["written"] if w["platform"] == "bluesky"]

    async def requests(self) -> int:
        return sum((await sandbox_state(self.sb))["requests"].values())


@pytest.fixture(params=["sqlite", "postgres"])
async def world(
    request: pytest.FixtureRequest, launch_day: SandboxServer, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[World]:
    async with open_db(request.param, tmp_path) as db:
        advance(clock, 6)
        bsky = open_bluesky(launch_day, db, clock)
        try:
            outcomes, faults = await catch_up(bsky.pollers[0])
            assert faults == []
            items = [item for o in outcomes for item in o.new_items]
            yield World(launch_day, db, bsky, items)
        finally:
            await bsky.aclose()


async def _record(world: World, uri: str) -> dict[str, Any]:
    session = world.bsky.sessions[0]
    did, collection, rkey = uri.removeprefix("at://").split("/")
    params = models.ComAtprotoRepoGetRecord.Params(repo=did, collection=collection, rkey=rkey)
    return await session.query(
        "com.atproto.repo.getRecord", params, session.client.get_current_time()
    )


async def test_reply_to_a_reply_lands_in_its_thread_with_facets_and_langs(world: World) -> None:
    item = world.first(InteractionKind.REPLY, threaded=True)
    assert item.root is not None
    text = f"Merci @{item.author.handle} ! Toutes les réponses sont ici : https://example.com/faq"
    action = await world.bsky.publisher.reply(item, text, ALICE)
    assert action.status is ActionStatus.CONFIRMED
    assert action.kind is ActionKind.ANSWERED
    assert action.actor_id == ALICE.id
    assert action.interaction_id == item.external_id
    (post,) = [w for w in await world.written() if w["type"] == "post"]
    assert post["id"] == action.result_id
    assert post["reply_parent"] == item.external_id
    assert post["reply_root"] == item.root.id  # the thread's root, not the parent
    assert post["text"] == text
    value = (await _record(world, post["id"]))["value"]
    assert value["langs"] == ["fr"]
    features = {f["features"][0]["$type"]: f for f in value["facets"]}
    mention = features["app.bsky.richtext.facet#mention"]
    assert mention["features"][0]["did"] == item.author.platform_id
    start, end = mention["index"]["byteStart"], mention["index"]["byteEnd"]
    assert text.encode()[start:end].decode() == f"@{item.author.handle}"
    assert features["app.bsky.richtext.facet#link"]["features"][0]["uri"] == (
        "https://example.com/faq"
    )


async def test_reply_to_a_top_level_mention_uses_it_as_root_and_parent(world: World) -> None:
    item = world.first(InteractionKind.MENTION, threaded=False)
    action = await world.bsky.publisher.reply(item, "Thanks, we are on it!", ALICE)
    (post,) = [w for w in await world.written() if w["type"] == "post"]
    assert post["reply_root"] == post["reply_parent"] == item.external_id
    assert (await _record(world, action.result_id or ""))["value"]["langs"] == ["en"]


async def test_301_graphemes_are_refused_without_any_request(world: World) -> None:
    item = world.first(InteractionKind.MENTION)
    before = await world.requests()
    with pytest.raises(WriteRefusedError) as info:
        await world.bsky.publisher.reply(item, "🇫🇷" * 301, ALICE)
    assert info.value.reason == "too_long"
    assert "1 over" in str(info.value)
    assert await world.requests() == before
    key = f"bluesky:reply:{item.account_id}:{item.external_id}:{text_digest('🇫🇷' * 301)}"
    async with world.db.unit_of_work() as uow:
        assert await uow.actions.get(key) is None  # nothing recorded either


async def test_a_reply_requested_twice_is_posted_once(world: World) -> None:
    item = world.first(InteractionKind.QUOTE)
    publisher = world.bsky.publisher
    first, second = await asyncio.gather(
        publisher.reply(item, "Merci pour le partage !", ALICE),
        publisher.reply(item, "Merci pour le partage !", Actor("222", "Bob")),
    )
    third = await publisher.reply(item, "Merci pour le partage !", ALICE)
    assert first.id == second.id == third.id
    assert first.result_id == third.result_id
    assert first.actor_id in {ALICE.id, "222"}
    assert len([w for w in await world.written() if w["type"] == "post"]) == 1


async def test_a_retry_after_a_crash_between_send_and_confirm_posts_once(world: World) -> None:
    item = world.first(InteractionKind.MENTION)
    text = "On regarde ça tout de suite."
    key = f"bluesky:reply:{item.account_id}:{item.external_id}:{text_digest(text)}"
    crashed_at = world.bsky.sessions[0].client.get_current_time()
    # The first attempt recorded its action and sent the post, then the process died.
    async with world.db.unit_of_work() as uow:
        await uow.actions.begin(
            ActionRecord(
                key,
                ActionKind.ANSWERED,
                ActionStatus.PENDING,
                ALICE.id,
                ALICE.name,
                crashed_at,
                item.platform,
                item.external_id,
                text,
            )
        )
        await uow.commit()
    writer = world.bsky.publisher._writers[0]
    sent = await writer.reply(
        item.post, text, rkey=tid_for(key, crashed_at), at=crashed_at, root=item.root or item.post
    )
    action = await world.bsky.publisher.reply(item, text, ALICE)
    assert action.status is ActionStatus.CONFIRMED
    assert action.result_id == sent.uri
    assert len([w for w in await world.written() if w["type"] == "post"]) == 1


async def test_a_failed_send_is_recorded_and_a_retry_posts_once(world: World) -> None:
    item = world.first(InteractionKind.REPLY)
    await control(
        world.sb, "/_sandbox/faults", {"endpoint": "com.atproto.repo.createRecord", "status": 503}
    )
    failed = await world.bsky.publisher.reply(item, "Bonne question !", ALICE)
    assert failed.status is ActionStatus.FAILED
    assert failed.error
    assert "503" in failed.error
    retried = await world.bsky.publisher.reply(item, "Bonne question !", ALICE)
    assert retried.status is ActionStatus.CONFIRMED
    assert len([w for w in await world.written() if w["type"] == "post"]) == 1


@pytest.mark.parametrize(
    "fault",
    [{"drop": True}, {"malformed": True}, {"status": 502}],
    ids=["dropped", "malformed", "5xx"],
)
async def test_an_unclear_reply_is_posted_once_after_retries(
    world: World, fault: dict[str, Any]
) -> None:
    item = world.first(InteractionKind.MENTION)
    text = "C'est réparé, merci de votre patience."
    # The PDS creates the record, then the answer is lost, garbled or an error.
    await control(
        world.sb,
        "/_sandbox/faults",
        {"endpoint": "com.atproto.repo.createRecord", "after": True, **fault},
    )
    first = await world.bsky.publisher.reply(item, text, ALICE)
    if first.status is not ActionStatus.CONFIRMED:
        # Unclear: a repeat resends under the same record key and finds the record.
        assert first.status is ActionStatus.FAILED
        first = await world.bsky.publisher.reply(item, text, ALICE)
    again = await world.bsky.publisher.reply(item, text, ALICE)
    assert first.status is ActionStatus.CONFIRMED
    assert again == first
    (post,) = [w for w in await world.written() if w["type"] == "post"]
    assert post["id"] == first.result_id


async def test_a_too_long_reply_does_not_even_log_in(
    launch_day: SandboxServer, clock: ManualClock, tmp_path: Path
) -> None:
    async with open_db("sqlite", tmp_path) as db:
        bsky = open_bluesky(launch_day, db, clock)
        try:
            item = InteractionRecord(
                platform=Platform.BLUESKY,
                kind=InteractionKind.MENTION,
                external_id="at://did:plc:someone/app.bsky.feed.post/3kabc",
                account_id="did:plc:brand",
                author=Author(Platform.BLUESKY, "did:plc:someone", "someone.bsky.social"),
                created_at=clock.now(),
                indexed_at=clock.now(),
                text="hello",
                cid="bafyrei",
            )
            for text in ("🇫🇷" * 301, "   "):
                with pytest.raises(WriteRefusedError):
                    await bsky.publisher.reply(item, text, ALICE)
            state = await sandbox_state(launch_day)
            assert state["requests"] == {}
            assert state["sessions_created"] == 0
        finally:
            await bsky.aclose()


async def test_a_reply_can_be_deleted(world: World) -> None:
    item = world.first(InteractionKind.MENTION)
    publisher = world.bsky.publisher
    with pytest.raises(WriteRefusedError) as nothing:
        await publisher.act(item, WriteKind.DELETE_REPLY, ALICE)
    assert nothing.value.reason == "nothing_to_undo"
    posted = await publisher.reply(item, "Merci !", ALICE)
    deleted = await publisher.act(item, WriteKind.DELETE_REPLY, ALICE)
    assert deleted.status is ActionStatus.CONFIRMED
    assert deleted.kind is ActionKind.UNDONE
    assert deleted.text == "delete_reply"
    assert deleted.result_id == posted.result_id
    assert await publisher.act(item, WriteKind.DELETE_REPLY, ALICE) == deleted
    written = await world.written()
    assert [(w["type"], w["id"]) for w in written] == [
        ("post", posted.result_id),
        ("delete", posted.result_id),
    ]
    session = world.bsky.sessions[0]
    params = models.AppBskyFeedGetPostThread.Params(uri=item.external_id, depth=2)
    thread = await session.query(
        "app.bsky.feed.getPostThread", params, session.client.get_current_time()
    )
    replies = [r["post"]["uri"] for r in thread["thread"].get("replies", [])]
    assert posted.result_id not in replies


async def test_like_repost_follow_and_their_undo(world: World) -> None:
    item = world.first(InteractionKind.MENTION)
    publisher = world.bsky.publisher
    liked = await publisher.act(item, WriteKind.LIKE, ALICE)
    again = await publisher.act(item, WriteKind.LIKE, ALICE)
    assert liked.id == again.id
    assert liked.kind is ActionKind.LIKED
    reposted = await publisher.act(item, WriteKind.REPOST, ALICE)
    followed = await publisher.act(item, WriteKind.FOLLOW, ALICE)
    unliked = await publisher.act(item, WriteKind.UNLIKE, ALICE)
    await publisher.act(item, WriteKind.UNREPOST, ALICE)
    await publisher.act(item, WriteKind.UNFOLLOW, ALICE)
    assert unliked.kind is ActionKind.UNDONE
    assert unliked.result_id == liked.result_id
    liked_again = await publisher.act(item, WriteKind.LIKE, ALICE)
    assert liked_again.id != liked.id
    written = await world.written()
    made = [(w["type"], w["id"]) for w in written]
    assert ("like", liked.result_id) in made
    assert ("repost", reposted.result_id) in made
    assert ("follow", followed.result_id) in made
    deleted = {w["id"] for w in written if w["type"] == "delete"}
    assert {liked.result_id, reposted.result_id, followed.result_id} <= deleted
    assert liked_again.result_id not in deleted
    like_subjects = [w["subject"] for w in written if w["type"] == "like"]
    assert like_subjects == [item.external_id, item.external_id]


async def test_refusals_send_nothing(world: World) -> None:
    like = world.first(InteractionKind.LIKE)
    follow = world.first(InteractionKind.FOLLOW)
    mention = world.first(InteractionKind.MENTION)
    before = await world.requests()
    with pytest.raises(WriteRefusedError) as info:
        await world.bsky.publisher.reply(follow, "hello", ALICE)
    assert info.value.reason == "not_a_post"
    with pytest.raises(WriteRefusedError):
        await world.bsky.publisher.act(like, WriteKind.REPOST, ALICE)
    with pytest.raises(WriteRefusedError) as undo:
        await world.bsky.publisher.act(mention, WriteKind.UNREPOST, ALICE)
    assert undo.value.reason == "nothing_to_undo"
    assert await world.requests() == before
