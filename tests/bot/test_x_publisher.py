"""The X publisher against the sandbox: refusals without a request, idempotent writes, costs."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
import x_sandbox
from x_sandbox import RecordingAlerts, advance, catch_up, control, open_x, sandbox_state

from bot.pollers import build_pollers, build_publisher, close_pollers
from bot.publishing import MAY_HAVE_POSTED, PlatformPublisher
from bot.x import XConnection, XPublisher
from engagement.models import (
    ActionKind,
    ActionStatus,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import URL_COSTS_MORE, Actor, WriteKind, WriteRefusedError
from sandbox import ManualClock, SandboxServer
from sandbox._credentials import X_BEARER_TOKEN
from storage import Database

# storage's interaction reader still calls Result.tuples() (deprecated in SQLAlchemy 2.1);
# reported to the storage owner. Only that warning is ignored.
pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")

# Fixtures shared by the X tests.
clock = x_sandbox.clock
db = x_sandbox.db
launch_day = x_sandbox.launch_day

ALICE = Actor("4242", "Alice (CM)")
TWEETS = "POST /2/tweets"


@pytest.fixture
async def x(launch_day: SandboxServer, db: Database, clock: ManualClock) -> Any:
    connection = await open_x(launch_day, db, clock)
    advance(clock, 6)
    await catch_up(connection.poller(RecordingAlerts()))
    yield connection
    await connection.close()


async def _stored(db: Database, kind: str) -> InteractionRecord:
    async with db.unit_of_work() as uow:
        ids = sorted(await uow.interactions.external_ids(Platform.X))
        for external_id in ids:
            record = await uow.interactions.get(Platform.X, external_id)
            if record is not None and record.kind == kind:
                return record
    raise AssertionError(f"no stored {kind}")


async def _writes(sb: SandboxServer) -> tuple[dict[str, int], list[dict[str, Any]]]:
    state = await sandbox_state(sb)
    return state["requests"], [w for w in state["written"] if w.get("platform", "x") == "x"]


async def test_reply_twice_posts_once(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    first = await publisher.reply(mention, "Merci pour votre message !", ALICE)
    second = await publisher.reply(mention, "Merci pour votre message !", ALICE)
    assert first.status is ActionStatus.CONFIRMED
    assert second == first
    assert first.actor_id == "4242"
    assert first.result_id
    requests, written = await _writes(launch_day)
    assert requests[TWEETS] == 1
    posts = [w for w in written if w["type"] == "post"]
    assert len(posts) == 1
    assert posts[0]["id"] == first.result_id
    assert posts[0]["reply_parent"] == mention.external_id
    ledger = (await sandbox_state(launch_day))["x"]["entries"]
    assert [e["item"] for e in ledger if e["endpoint"] == TWEETS] == ["summoned_reply"]


async def test_refusals_happen_before_any_request(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    reply = await _stored(db, "reply")
    with pytest.raises(WriteRefusedError) as too_long:
        await publisher.reply(reply, "é" * 260 + " https://example.com/a/very/long/path", ALICE)
    assert too_long.value.reason == "too_long"
    assert "284" in str(too_long.value)  # the link counts 23, not its 36 characters
    assert "4 over" in str(too_long.value)
    with pytest.raises(WriteRefusedError) as really_too_long:
        await publisher.reply(reply, "a" * 300, ALICE)
    assert really_too_long.value.reason == "too_long"
    assert "20 over" in str(really_too_long.value)
    # A reply that does not mention the brand: X would refuse a reply to it.
    raw = dict(reply.raw)
    raw["text"] = "I agree with you"
    raw["entities"] = {}
    silent = replace(reply, external_id="1999999999999999999", raw=raw, text=raw["text"])
    async with db.unit_of_work() as uow:
        await uow.ingest([silent], None)
        await uow.commit()
    with pytest.raises(WriteRefusedError) as not_summoned:
        await publisher.reply(silent, "Merci !", ALICE)
    assert not_summoned.value.reason == "not_summoned"
    assert not_summoned.value.suggestion is not None
    assert "Like it" in not_summoned.value.suggestion
    stranger = replace(reply, external_id="1888888888888888888")  # never seen by the bot
    with pytest.raises(WriteRefusedError) as unknown:
        await publisher.reply(stranger, "Merci !", ALICE)
    assert unknown.value.reason == "not_summoned"
    with pytest.raises(WriteRefusedError) as empty:
        await publisher.reply(reply, "   ", ALICE)
    assert empty.value.reason == "empty"
    with pytest.raises(WriteRefusedError) as follow:
        await publisher.act(reply, WriteKind.FOLLOW, ALICE)
    assert follow.value.reason == "unsupported"
    requests, written = await _writes(launch_day)
    assert TWEETS not in requests
    assert written == []


async def test_a_link_needs_explicit_confirmation(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    quote = await _stored(db, "quote")
    text = "Tout est expliqué ici : https://plume.app/guide"
    with pytest.raises(WriteRefusedError) as refused:
        await publisher.reply(quote, text, ALICE)
    assert refused.value.reason == URL_COSTS_MORE
    assert "$0.20" in str(refused.value)
    assert TWEETS not in (await sandbox_state(launch_day))["requests"]
    done = await publisher.reply(quote, text, ALICE, allow_url_cost=True)
    assert done.status is ActionStatus.CONFIRMED
    ledger = (await sandbox_state(launch_day))["x"]["entries"]
    assert [e["item"] for e in ledger if e["endpoint"] == TWEETS] == ["url_post"]


async def test_like_unlike_like_again_and_repost(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    liked = await publisher.act(mention, WriteKind.LIKE, ALICE)
    assert await publisher.act(mention, WriteKind.LIKE, ALICE) == liked  # double click
    unliked = await publisher.act(mention, WriteKind.UNLIKE, ALICE)
    again = await publisher.act(mention, WriteKind.LIKE, ALICE)
    reposted = await publisher.act(mention, WriteKind.REPOST, ALICE)
    undone = await publisher.act(mention, WriteKind.UNREPOST, ALICE)
    for action in (liked, unliked, again, reposted, undone):
        assert action.status is ActionStatus.CONFIRMED
    assert len({liked.idempotency_key, again.idempotency_key}) == 2
    _, written = await _writes(launch_day)
    assert [(w["type"], w.get("undo")) for w in written] == [
        ("like", None),
        ("delete", "like"),
        ("like", None),
        ("repost", None),
        ("delete", "repost"),
    ]


async def test_a_refused_send_is_recorded_and_a_retry_posts_once(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    # A clean 4xx: X did not create the post, so the action may be sent again.
    await control(launch_day, "/_sandbox/faults", {"endpoint": TWEETS, "status": 400})
    failed = await publisher.reply(mention, "Bonjour !", ALICE)
    assert failed.status is ActionStatus.FAILED
    assert failed.error is not None
    assert "400" in failed.error
    retried = await publisher.reply(mention, "Bonjour !", ALICE)
    assert retried.status is ActionStatus.CONFIRMED
    assert await publisher.reply(mention, "Bonjour !", ALICE) == retried
    _, written = await _writes(launch_day)
    assert [w["type"] for w in written] == ["post"]


async def test_budget_and_read_only_refusals(
    launch_day: SandboxServer, db: Database, clock: ManualClock, x: XConnection
) -> None:
    mention = await _stored(db, "mention")
    capped = await open_x(launch_day, db, clock, x_monthly_budget_usd=0.01)
    try:
        with pytest.raises(WriteRefusedError) as budget:
            await capped.publisher().reply(mention, "Merci !", ALICE)
        assert budget.value.reason == "budget_reached"
    finally:
        await capped.close()
    read_only = await open_x(launch_day, db, clock, x_client_id=None)
    try:
        publisher = read_only.publisher()
        assert isinstance(publisher, XPublisher)
        with pytest.raises(WriteRefusedError) as bearer:
            await publisher.act(mention, WriteKind.LIKE, ALICE)
        assert bearer.value.reason == "read_only"
    finally:
        await read_only.close()
    assert TWEETS not in (await sandbox_state(launch_day))["requests"]


async def test_wired_through_build_pollers_and_build_publisher(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    settings = x_sandbox.settings_for(
        launch_day, "sqlite+aiosqlite:///unused.db", bluesky_handle=None
    )
    pollers = await build_pollers(settings, db, RecordingAlerts(), clock=clock.now)
    try:
        assert [p.name for p in pollers] == ["x:1456789012345678901"]
        advance(clock, 2)
        outcome = await pollers[0].poll_once()
        assert outcome.inserted > 0
        publisher = build_publisher(db, pollers, clock=clock.now)
        assert isinstance(publisher, PlatformPublisher)
        item = outcome.new_items[0]
        assert item.known_kind in {InteractionKind.MENTION, InteractionKind.REPLY}
        action = await publisher.reply(item, "Merci beaucoup !", ALICE)
        assert action.status is ActionStatus.CONFIRMED
        x_publisher = publisher.for_platform(Platform.X)
        assert isinstance(x_publisher, XPublisher)
    finally:
        await close_pollers(pollers)


@pytest.mark.parametrize(
    "fault",
    [
        {"drop": True},
        {"malformed": True},
        {"status": 503},
        {"delay_s": 1.0},  # X posts, then answers after the client gave up (timeout)
    ],
    ids=["dropped", "malformed", "5xx", "timeout"],
)
async def test_an_unclear_reply_is_confirmed_from_x_never_posted_twice(
    x: XConnection, launch_day: SandboxServer, db: Database, fault: dict[str, Any]
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    text = "Merci, c'est corrigé !"
    if "delay_s" in fault:
        x.client._timeout = aiohttp.ClientTimeout(total=0.3)
    # X creates the post, then the answer is lost, garbled or an error.
    await control(launch_day, "/_sandbox/faults", {"endpoint": TWEETS, "after": True, **fault})
    unclear = await publisher.reply(mention, text, ALICE)
    assert unclear.status is ActionStatus.PENDING
    assert unclear.error is not None
    assert MAY_HAVE_POSTED in unclear.error
    _, written = await _writes(launch_day)
    (post,) = [w for w in written if w["type"] == "post"]
    # The repeat finds the reply on X (search) and confirms it instead of posting again.
    confirmed = await publisher.reply(mention, text, ALICE)
    again = await publisher.reply(mention, text, ALICE)
    assert confirmed.status is ActionStatus.CONFIRMED
    assert confirmed.result_id == post["id"]
    assert again == confirmed
    await asyncio.sleep(fault.get("delay_s", 0.0))  # the late answer is counted once sent
    requests, written = await _writes(launch_day)
    assert requests[TWEETS] == 1
    assert requests["GET /2/tweets/search/recent"] == 1
    assert [w["type"] for w in written] == ["post"]


async def test_an_unclear_reply_that_x_does_not_show_is_never_resent(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    # 503 before X processed anything: the bot cannot know that, so it must not resend.
    await control(launch_day, "/_sandbox/faults", {"endpoint": TWEETS, "status": 503})
    first = await publisher.reply(mention, "Bonjour !", ALICE)
    second = await publisher.reply(mention, "Bonjour !", ALICE)
    for record in (first, second):
        assert record.status is ActionStatus.PENDING
        assert record.error is not None
        assert MAY_HAVE_POSTED in record.error
    requests, written = await _writes(launch_day)
    assert requests[TWEETS] == 1
    assert written == []


async def test_a_confirmed_write_is_returned_even_when_the_budget_is_spent(
    launch_day: SandboxServer, db: Database, clock: ManualClock, x: XConnection
) -> None:
    mention = await _stored(db, "mention")
    done = await x.publisher().reply(mention, "Merci !", ALICE)
    liked = await x.publisher().act(mention, WriteKind.LIKE, ALICE)
    capped = await open_x(launch_day, db, clock, x_monthly_budget_usd=0.01)
    try:
        publisher = capped.publisher()
        assert await publisher.reply(mention, "Merci !", ALICE) == done
        assert await publisher.act(mention, WriteKind.LIKE, ALICE) == liked
        with pytest.raises(WriteRefusedError) as budget:
            await publisher.reply(mention, "Un autre message", ALICE)
        assert budget.value.reason == "budget_reached"
    finally:
        await capped.close()
    requests, _ = await _writes(launch_day)
    assert requests[TWEETS] == 1


async def test_delete_reply_removes_the_brand_reply(
    x: XConnection, launch_day: SandboxServer, db: Database
) -> None:
    publisher = x.publisher()
    mention = await _stored(db, "mention")
    with pytest.raises(WriteRefusedError) as nothing:
        await publisher.act(mention, WriteKind.DELETE_REPLY, ALICE)
    assert nothing.value.reason == "nothing_to_undo"
    posted = await publisher.reply(mention, "Merci pour le signalement !", ALICE)
    deleted = await publisher.act(mention, WriteKind.DELETE_REPLY, ALICE)
    assert deleted.status is ActionStatus.CONFIRMED
    assert deleted.kind is ActionKind.UNDONE
    assert deleted.text == "delete_reply"
    assert deleted.result_id == posted.result_id
    assert await publisher.act(mention, WriteKind.DELETE_REPLY, ALICE) == deleted  # repeat
    _, written = await _writes(launch_day)
    assert [(w["type"], w["id"], w.get("undo")) for w in written] == [
        ("post", posted.result_id, None),
        ("delete", posted.result_id, "post"),
    ]
    async with aiohttp.ClientSession() as http:
        url = f"{launch_day.url}/2/tweets/{posted.result_id}"
        headers = {"Authorization": f"Bearer {X_BEARER_TOKEN}"}
        async with http.get(url, headers=headers) as response:
            body = await response.json()
    assert "data" not in body  # the thread no longer shows it
