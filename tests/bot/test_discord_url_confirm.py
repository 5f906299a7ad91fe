"""A reply with a link on X (billed $0.20 instead of $0.01) is confirmed before it is posted.

Real ``discord.Interaction``s through discord.py's own dispatch; Discord REST, Bluesky and X
are the sandbox's, whose X cost ledger shows what each write was billed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from _discord_harness import DiscordHarness, Member, card_button
from _discord_launch import launch_day_harness, service_of

from bot.publishing import PlatformPublisher
from cogs import _ids
from cogs.confirm import ConfirmReplyView
from cogs.digest import DigestCog
from cogs.ports import InboxQuery
from engagement.models import ActionKind, ActionStatus, Platform
from engagement.ports import URL_COSTS_MORE, Actor, WriteRefusedError

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Member(900000000000000001, "Alice", brand=True)
# Alice again, after an admin took the brand role away from her.
ALICE_WITHOUT_ROLE = Member(ALICE.id, "Alice", brand=False)
LINK_REPLY = "Thanks! The iPad export guide is here: https://example.com/plume/export"
TWEETS = "POST /2/tweets"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    async with launch_day_harness(tmp_path, START) as harness:
        yield harness


async def digest_card(
    h: DiscordHarness, platform: Platform, kind: str
) -> tuple[dict[str, Any], str]:
    """Post the digest; one answer card of ``platform`` and ``kind``, and its item id."""
    cog = h.bot.get_cog("DigestCog")
    assert isinstance(cog, DigestCog)
    posted = await cog.post_scheduled()
    assert posted is not None
    for message in (await h.state())["discord"]["messages"]:
        if message["id"] not in {str(i) for i in posted.card_ids}:
            continue
        embed = message["embeds"][0]
        footer = embed["footer"]["text"]
        if (
            footer.startswith(f"{platform.value} · answer · ")
            and f"· {kind} from" in embed["title"]
        ):
            return message, footer.split(" · ", 2)[2]
    raise AssertionError(f"no {platform.value} {kind} card")


def labelled(message: dict[str, Any], label: str) -> dict[str, Any]:
    for row in message["components"]:
        for component in row["components"]:
            if component.get("label") == label:
                return dict(component)
    raise AssertionError(f"no {label!r} button in {message.get('content')!r}")


async def reply_with_modal(
    h: DiscordHarness, member: Member, card: dict[str, Any], text: str
) -> None:
    before = len((await h.state())["discord"]["interaction_responses"])
    await h.press(member, card, card_button(card, "reply"))
    modal = (await h.state())["discord"]["interaction_responses"][before]
    assert modal["type"] == 9, modal
    await h.submit_modal(member, modal["data"], {"*": text}, card)


async def x_posts(h: DiscordHarness) -> list[dict[str, Any]]:
    state = await h.state()
    return [w for w in state["written"] if w["platform"] == "x" and w["type"] == "post"]


async def url_charges(h: DiscordHarness) -> list[dict[str, Any]]:
    entries = (await h.state())["x"]["entries"]
    return [e for e in entries if e["item"] == "url_post"]


async def followups(h: DiscordHarness) -> list[dict[str, Any]]:
    return [m for m in (await h.state())["discord"]["messages"] if m["via"] == "followup"]


async def ask_for_link_reply(h: DiscordHarness) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Reply with a link to an X reply (it @-mentions the brand) from its card."""
    card, external_id = await digest_card(h, Platform.X, "reply")
    await reply_with_modal(h, ALICE, card, LINK_REPLY)
    question = (await followups(h))[-1]
    return card, external_id, question


def card_status(state: dict[str, Any], message_id: str) -> str:
    message = next(m for m in state["discord"]["messages"] if m["id"] == message_id)
    return str({f["name"]: f["value"] for f in message["embeds"][0]["fields"]}["Status"])


async def answered(h: DiscordHarness, external_id: str) -> list[tuple[str, ActionStatus, str]]:
    async with service_of(h).db.unit_of_work() as uow:
        actions = await uow.actions.for_interaction(Platform.X, external_id)
    return [
        (a.actor_name, a.status, a.text or "") for a in actions if a.kind is ActionKind.ANSWERED
    ]


async def test_a_link_reply_on_x_warns_first_and_posts_nothing(h: DiscordHarness) -> None:
    card, external_id, question = await ask_for_link_reply(h)
    # Nothing reached X: no request, no post, no charge.
    state = await h.state()
    assert state["requests"].get(TWEETS, 0) == 0
    assert await x_posts(h) == []
    assert await url_charges(h) == []
    assert await answered(h, external_id) == []
    # The member alone sees the cost and the text, with Post anyway and Cancel.
    assert question["flags"] & 64
    assert "$0.20" in question["content"]
    assert "$0.01" in question["content"]
    assert "https://example.com/plume/export" in question["content"]
    assert question["embeds"][0]["description"] == f"```\n{LINK_REPLY}\n```"
    post, cancel = labelled(question, "Post anyway"), labelled(question, "Cancel")
    assert post["style"] == 4  # danger
    assert not post.get("disabled")
    assert not cancel.get("disabled")
    # The card is still open.
    assert "Answered" not in card_status(state, card["id"])
    assert state["discord"]["rejected"] == []


async def test_post_anyway_posts_the_link_once_at_the_url_price(h: DiscordHarness) -> None:
    card, external_id, question = await ask_for_link_reply(h)
    await h.press(ALICE, question, labelled(question, "Post anyway")["custom_id"])
    state = await h.state()
    # The buttons were disabled in the same answer as the press.
    confirmed = state["discord"]["interaction_responses"][-1]
    assert confirmed["type"] == 7
    assert all(c["disabled"] for row in confirmed["data"]["components"] for c in row["components"])
    posts = await x_posts(h)
    assert [(p["text"], p["reply_parent"]) for p in posts] == [(LINK_REPLY, external_id)]
    charges = await url_charges(h)
    assert [(c["endpoint"], c["units"], c["cost_usd"]) for c in charges] == [(TWEETS, 1, 0.2)]
    assert await answered(h, external_id) == [("Alice", ActionStatus.CONFIRMED, LINK_REPLY)]
    note = (await followups(h))[-1]
    assert note["content"] == "Posted on x."
    assert note["flags"] & 64
    # The card updated in place, as for any reply.
    assert card_status(state, card["id"]).startswith(f"✅ Answered by <@{ALICE.id}>")
    assert state["discord"]["rejected"] == []


async def test_post_anyway_pressed_twice_at_once_posts_once(h: DiscordHarness) -> None:
    _, external_id, question = await ask_for_link_reply(h)
    post = labelled(question, "Post anyway")["custom_id"]
    before = len(await followups(h))
    await asyncio.gather(h.press(ALICE, question, post), h.press(ALICE, question, post))
    assert len(await x_posts(h)) == 1
    assert len(await url_charges(h)) == 1
    assert (await h.state())["requests"][TWEETS] == 1
    assert await answered(h, external_id) == [("Alice", ActionStatus.CONFIRMED, LINK_REPLY)]
    notes = sorted(m["content"] for m in (await followups(h))[before:])
    assert notes == ["Already posted (one reply only).", "Posted on x."]


async def test_cancel_posts_nothing_and_ends_the_question(h: DiscordHarness) -> None:
    _, external_id, question = await ask_for_link_reply(h)
    await h.press(ALICE, question, labelled(question, "Cancel")["custom_id"])
    cancelled = (await h.state())["discord"]["interaction_responses"][-1]
    assert cancelled["type"] == 7
    assert cancelled["data"]["content"].startswith("Cancelled: nothing was posted.")
    assert cancelled["data"]["embeds"][0]["description"] == f"```\n{LINK_REPLY}\n```"
    assert all(c["disabled"] for row in cancelled["data"]["components"] for c in row["components"])
    # A late press on the old message (a stale client) is not acted on.
    await h.press(ALICE, question, labelled(question, "Post anyway")["custom_id"])
    assert await x_posts(h) == []
    assert await url_charges(h) == []
    assert await answered(h, external_id) == []


async def test_post_anyway_checks_the_brand_role_again(h: DiscordHarness) -> None:
    _, external_id, question = await ask_for_link_reply(h)
    post = labelled(question, "Post anyway")["custom_id"]
    await h.press(ALICE_WITHOUT_ROLE, question, post)
    refused = (await h.state())["discord"]["interaction_responses"][-1]
    assert refused["type"] == 4
    assert refused["data"]["flags"] & 64
    assert "You need the **Community** role" in refused["data"]["content"]
    assert await x_posts(h) == []
    assert await answered(h, external_id) == []
    # The question stays open for a member who has the role.
    await h.press(ALICE, question, post)
    assert [p["text"] for p in await x_posts(h)] == [LINK_REPLY]


async def test_an_expired_question_posts_nothing(h: DiscordHarness) -> None:
    _, external_id, question = await ask_for_link_reply(h)
    stored = h.bot._connection._view_store._views[int(question["id"])]
    view = next(iter(stored.values())).view
    assert isinstance(view, ConfirmReplyView)
    assert view.timeout == 600
    await view.on_timeout()  # what discord.py calls once the 10 minutes have passed
    expired = next(m for m in (await h.state())["discord"]["messages"] if m["id"] == question["id"])
    assert expired["content"].startswith("Expired: nothing was posted.")
    assert all(c["disabled"] for row in expired["components"] for c in row["components"])
    await h.press(ALICE, question, labelled(question, "Post anyway")["custom_id"])
    assert await x_posts(h) == []
    assert await answered(h, external_id) == []


async def test_reply_command_with_a_link_on_x_asks_first(h: DiscordHarness) -> None:
    service = service_of(h)
    page = await service.inbox(InboxQuery(platform=Platform.X, kind="mention"), START)
    mention = page.cards[0].item
    token = _ids.item_token(Platform.X, mention.external_id)
    await h.command(
        ALICE,
        "reply",
        [
            {"type": 3, "name": "item", "value": token},
            {"type": 3, "name": "text", "value": LINK_REPLY},
        ],
    )
    state = await h.state()
    assert state["discord"]["interaction_responses"][-1]["type"] == 5  # thinking, ephemeral
    question = [m for m in state["discord"]["messages"] if m["via"] == "interaction"][-1]
    assert "$0.20" in question["content"]
    assert await x_posts(h) == []
    await h.press(ALICE, question, labelled(question, "Post anyway")["custom_id"])
    assert [(p["text"], p["reply_parent"]) for p in await x_posts(h)] == [
        (LINK_REPLY, mention.external_id)
    ]
    assert len(await url_charges(h)) == 1
    assert (await followups(h))[-1]["content"] == "Posted on x."


async def test_a_link_reply_on_bluesky_posts_without_asking(h: DiscordHarness) -> None:
    card, external_id = await digest_card(h, Platform.BLUESKY, "mention")
    await reply_with_modal(h, ALICE, card, LINK_REPLY)
    state = await h.state()
    posts = [w for w in state["written"] if w["platform"] == "bluesky" and w["type"] == "post"]
    assert [(p["text"], p["reply_parent"]) for p in posts] == [(LINK_REPLY, external_id)]
    note = (await followups(h))[-1]
    assert note["content"] == "Posted on bluesky."
    assert note["components"] == []
    assert card_status(state, card["id"]).startswith(f"✅ Answered by <@{ALICE.id}>")


async def test_the_publisher_refuses_then_posts_a_confirmed_link_reply_once(
    h: DiscordHarness,
) -> None:
    service = service_of(h)
    publisher = service.publisher
    assert isinstance(publisher, PlatformPublisher)
    page = await service.inbox(InboxQuery(platform=Platform.X, kind="mention"), START)
    item = page.cards[0].item
    actor = Actor(str(ALICE.id), "Alice")
    with pytest.raises(WriteRefusedError) as refused:
        await publisher.reply(item, LINK_REPLY, actor)
    assert refused.value.reason == URL_COSTS_MORE
    # Confirmed twice at once (a double click): the ledger sends one post.
    first, second = await asyncio.gather(
        publisher.reply(item, LINK_REPLY, actor, allow_url_cost=True),
        publisher.reply(item, LINK_REPLY, actor, allow_url_cost=True),
    )
    assert first.status is ActionStatus.CONFIRMED
    assert (second.idempotency_key, second.status, second.result_id) == (
        first.idempotency_key,
        ActionStatus.CONFIRMED,
        first.result_id,
    )
    assert [p["id"] for p in await x_posts(h)] == [first.result_id]
    assert len(await url_charges(h)) == 1
    # Once posted, the same reply is answered from the ledger: no question, nothing sent.
    again = await publisher.reply(item, LINK_REPLY, actor)
    assert again.result_id == first.result_id
    assert (await h.state())["requests"][TWEETS] == 1
