"""End to end, over loopback: the reply modal (limits, prefill, double submit) and Thank.

Real ``discord.Interaction``s through discord.py's own dispatch; Discord REST, Bluesky, X and
the LLM are the sandbox's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from _discord_env import settings_for
from _discord_harness import DiscordHarness
from test_e2e_discord import (
    ALICE,
    START,
    World,
    button,
    card_for,
    cards_in,
    polled,
    post_digest,
    service_of,
)

from cogs import _ids, _limits
from engagement.drafting import graphemes, length
from engagement.models import ActionKind, ActionStatus, Platform
from sandbox import ManualClock, SandboxServer

LLM = "POST /v1/chat/completions"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    clock = ManualClock(START)
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        clock.advance(timedelta(hours=3))
        yield World(sb, clock, settings_for(sb, tmp_path))


async def press_reply(h: DiscordHarness, card: dict[str, Any]) -> dict[str, Any]:
    """Press Reply on a card; the modal the bot opened."""
    before = len((await h.state())["discord"]["interaction_responses"])
    await h.press(ALICE, card, button(card, "reply"))
    response = (await h.state())["discord"]["interaction_responses"][before]
    assert response["type"] == 9, response
    modal: dict[str, Any] = response["data"]
    return modal


def text_input(modal: dict[str, Any]) -> dict[str, Any]:
    component: dict[str, Any] = modal["components"][0]["components"][0]
    return component


async def expected_draft(h: DiscordHarness, platform: Platform, external_id: str) -> str:
    """The first template draft of the item, as the service builds it."""
    service = service_of(h)
    async with service.db.unit_of_work() as uow:
        item = await uow.interactions.get(platform, external_id)
    assert item is not None
    drafts = await service.drafts((platform, external_id), 1, templates_only=True)
    return drafts[0]


async def test_the_modal_takes_discords_maximum_and_the_platform_counts(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        for platform, limit in ((Platform.BLUESKY, 300), (Platform.X, 280)):
            card, external_id = card_for(cards, platform, None)
            field = text_input(await press_reply(h, card))
            # Discord counts characters, the platforms do not: the box never blocks a valid
            # post (an X link weighs 23, an accented or emoji grapheme is several characters).
            assert field["max_length"] == _limits.TEXT_INPUT_MAX
            assert f"{limit}" in field["label"]
            draft = field["value"]
            assert draft == await expected_draft(h, platform, external_id)
            assert length(draft, platform) <= limit
        # 290 graphemes, 580 characters: over the old box's 300 characters, within Bluesky's.
        card, external_id = card_for(cards, Platform.BLUESKY, "reply")
        text = "Merci " + "e\u0301" * 284
        assert len(graphemes(text)) == 290
        assert len(text) > 300
        modal = await press_reply(h, card)
        await h.submit_modal(ALICE, modal, {"*": text}, card)
        state = await h.state()
        posts = [w for w in state["written"] if w["type"] == "post"]
        assert [(p["text"], p["reply_parent"]) for p in posts] == [(text, external_id)]
        assert state["discord"]["rejected"] == []


async def test_an_overlong_reply_is_refused_with_the_whole_text_back(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, _ = card_for(cards, Platform.BLUESKY, "reply")
        modal = await press_reply(h, card)
        text = " ".join(["Bonjour"] * 400)  # 3,199 characters: Discord lets it through
        await h.submit_modal(ALICE, modal, {"*": text}, card)
        state = await h.state()
        assert [w for w in state["written"] if w["type"] == "post"] == []
        refusal = state["discord"]["interaction_responses"][-1]
        assert refusal["type"] == 4
        assert refusal["data"]["flags"] & 64
        assert refusal["data"]["content"].startswith(
            "Not posted: the reply is 3199 characters long, the limit is 300."
        )
        assert refusal["data"]["embeds"][0]["description"] == f"```\n{text}\n```"


async def test_the_reply_box_opens_with_a_template_draft_even_with_a_model(world: World) -> None:
    llm = {
        k.removeprefix("ENGAGEBOT_").lower(): v
        for k, v in world.sb.env().items()
        if k.startswith("ENGAGEBOT_LLM_")
    }
    assert llm, "the sandbox serves an OpenAI-compatible endpoint"
    world.settings = settings_for(world.sb, world.settings.discord_state_dir.parent, **llm)
    assert world.settings.llm_base_url
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, Platform.BLUESKY, "reply")
        calls = (await h.state())["requests"].get(LLM, 0)
        field = text_input(await press_reply(h, card))
        # Prefilled from templates: the model (seconds away) is never awaited before the modal.
        assert (await h.state())["requests"].get(LLM, 0) == calls
        assert field["value"] == await expected_draft(h, Platform.BLUESKY, external_id)
        # Suggest defers first, so it may ask the model.
        await h.press(ALICE, card, button(card, "suggest"))
        assert (await h.state())["requests"].get(LLM, 0) == calls + 1


async def test_the_same_modal_submitted_twice_at_once_posts_once(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, Platform.BLUESKY, "mention")
        modal = await press_reply(h, card)
        text = "Bonjour ! Oui, l'export marche sur iPad depuis la 2.3."
        # Two INTERACTION_CREATEs for the same modal (a double click), handled concurrently.
        await asyncio.gather(
            h.submit_modal(ALICE, modal, {"*": text}, card),
            h.submit_modal(ALICE, modal, {"*": text}, card),
        )
        state = await h.state()
        posts = [w for w in state["written"] if w["type"] == "post"]
        assert len(posts) == 1
        service = service_of(h)
        record = await service.card((Platform.BLUESKY, external_id), world.clock.now())
        assert record is not None
        root = record.item.root.id if record.item.root else external_id
        assert (posts[0]["text"], posts[0]["reply_parent"], posts[0]["reply_root"]) == (
            text,
            external_id,
            root,
        )
        async with service.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, external_id)
        answered = [a for a in actions if a.kind is ActionKind.ANSWERED]
        assert [(a.actor_name, a.status, a.text) for a in answered] == [
            ("Alice", ActionStatus.CONFIRMED, text)
        ]
        notes = [m["content"] for m in state["discord"]["messages"] if m["via"] == "followup"]
        assert sorted(notes[-2:]) == ["Already posted (one reply only).", "Posted on bluesky."]


def thank_card(cards: list[dict[str, Any]], kind: str) -> tuple[dict[str, Any], str]:
    for message in cards:
        footer = message["embeds"][0]["footer"]["text"]
        if (
            footer.startswith("bluesky · thank · ")
            and f"· {kind} from" in (message["embeds"][0]["title"])
        ):
            return message, footer.split(" · ", 2)[2]
    raise AssertionError(f"no Bluesky {kind} card to thank")


def status_of(state: dict[str, Any], message_id: str) -> str:
    edited = next(m for m in state["discord"]["messages"] if m["id"] == message_id)
    fields = {f["name"]: f["value"] for f in edited["embeds"][0]["fields"]}
    return str(fields["Status"])


async def test_thank_follows_back_or_offers_drafts_and_says_so(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        thread, cards, _ = await post_digest(h)
        follow, follow_id = thank_card(cards, "follow")
        await h.press(ALICE, follow, button(follow, "thank"))
        state = await h.state()
        note = [m for m in state["discord"]["messages"] if m["via"] == "followup"][-1]
        assert note["flags"] & 64
        assert note["content"].startswith("Followed @")
        assert note["content"].endswith(" back on bluesky.")
        assert [w["type"] for w in state["written"]] == ["follow"]
        assert status_of(state, follow["id"]).endswith("· followed back")
        like_or_repost = next(
            (c for c in cards_in(state["discord"], thread) if _is(c, ("like", "repost"))), None
        )
        assert like_or_repost is not None, "launch-day has likes or reposts to thank"
        await h.press(ALICE, like_or_repost, button(like_or_repost, "thank"))
        state = await h.state()
        note = [m for m in state["discord"]["messages"] if m["via"] == "followup"][-1]
        assert note["flags"] & 64
        assert "**Nothing was posted**" in note["content"]
        (embed,) = note["embeds"]
        assert embed["title"] == "Thank-you drafts"
        assert len(embed["fields"]) == 3
        assert embed["footer"]["text"].startswith("Nothing was posted.")
        assert [w["type"] for w in state["written"]] == ["follow"]  # nothing more
        assert status_of(state, like_or_repost["id"]).endswith("· nothing posted")
        service = service_of(h)
        async with service.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, follow_id)
        assert {(a.kind, a.text) for a in actions if a.status is ActionStatus.CONFIRMED} == {
            (ActionKind.FOLLOWED, None),
            (ActionKind.THANKED, "followed back"),
        }
        assert all(
            c["disabled"]
            for row in like_or_repost["components"]
            for c in row["components"]
            if _ids.parse(c["custom_id"])[0] in {"reply", "suggest"}
        )


def _is(message: dict[str, Any], kinds: tuple[str, ...]) -> bool:
    footer = message["embeds"][0]["footer"]["text"]
    title = message["embeds"][0]["title"]
    return footer.startswith("bluesky · thank · ") and any(f"· {k} from" in title for k in kinds)
