"""End to end, in one process over loopback: sandbox → pollers → digest on Discord → a button
press and a modal submit as real ``discord.Interaction``s → the reply on the platform.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from _discord_env import DIGEST_CHANNEL_ID, settings_for
from _discord_harness import DiscordHarness, Member
from _discord_harness import card_button as button

from bot.discord_app import ForwardingAlerts, TeamInbox
from bot.discord_app._runtime import open_runtime
from bot.settings import Settings
from cogs import _ids, _limits
from cogs.digest import DigestCog
from cogs.ports import InboxQuery
from engagement.models import ActionKind, ActionStatus, Platform
from sandbox import ManualClock, SandboxServer

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris: the digest is due
ALICE = Member(900000000000000001, "Alice", brand=True)
BOB = Member(900000000000000002, "Bob", brand=True)
MALLORY = Member(900000000000000003, "Mallory", brand=False)


class World:
    def __init__(self, sb: SandboxServer, clock: ManualClock, settings: Settings) -> None:
        self.sb, self.clock, self.settings = sb, clock, settings

    def harness(self) -> DiscordHarness:
        alerts = ForwardingAlerts()
        return DiscordHarness(
            self.sb,
            lambda: open_runtime(self.settings, alerts, clock=self.clock.now),
            self.clock.now,
        )


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    clock = ManualClock(START)
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        clock.advance(timedelta(hours=3))
        yield World(sb, clock, settings_for(sb, tmp_path))


def service_of(h: DiscordHarness) -> TeamInbox:
    assert h.bot.runtime is not None
    assert isinstance(h.bot.runtime.service, TeamInbox)
    return h.bot.runtime.service


async def polled(h: DiscordHarness) -> None:
    """Let every poller the bot started in cog_load finish a cycle, then stop and await them."""
    assert h.bot.runtime is not None
    assert len(h.bot.runtime.pollers) == 2, "Bluesky and X pollers"
    await h.quiesce()


def cards_in(discord: dict[str, Any], thread_id: str) -> list[dict[str, Any]]:
    return [
        m for m in discord["messages"] if m["channel_id"] == thread_id and m["via"] == "channel"
    ]


def card_for(
    cards: list[dict[str, Any]], platform: Platform, kind: str | None, lang: str | None = None
) -> tuple[dict[str, Any], str]:
    for message in cards:
        footer = message["embeds"][0]["footer"]["text"]
        fields = {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}
        title = message["embeds"][0]["title"]
        if (
            footer.startswith(f"{platform.value} · answer · ")
            and (kind is None or f"· {kind} from" in title)
            and (lang is None or fields.get("Language") == {"fr": "🇫🇷", "en": "🇬🇧"}[lang])
        ):
            return message, footer.split(" · ", 2)[2]
    raise AssertionError(f"no {platform.value} {kind} card")


def check_limits(message: dict[str, Any]) -> None:
    embeds = message["embeds"]
    assert len(embeds) <= _limits.EMBEDS_PER_MESSAGE
    total = 0
    for e in embeds:
        assert len(e.get("title", "")) <= 256
        assert len(e.get("description", "")) <= 4096
        assert len(e.get("fields", [])) <= 25
        total += len(e.get("title", "")) + len(e.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
        total += len(e.get("footer", {}).get("text", ""))
        total += len(e.get("author", {}).get("name", ""))
    assert total <= 6000
    assert len(message["components"]) <= 5
    for row in message["components"]:
        assert len(row["components"]) <= 5
        assert all(len(c["custom_id"]) <= 100 for c in row["components"])


async def post_digest(h: DiscordHarness) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    cog = h.bot.get_cog("DigestCog")
    assert isinstance(cog, DigestCog)
    posted = await cog.post_scheduled()
    assert posted is not None
    state = await h.state()
    discord = state["discord"]
    assert discord["rejected"] == []
    summary = next(m for m in discord["messages"] if m["id"] == str(posted.summary_id))
    assert summary["channel_id"] == str(DIGEST_CHANNEL_ID)
    assert [t["id"] for t in discord["threads"]] == [str(posted.summary_id)]
    cards = cards_in(discord, str(posted.thread_id))
    assert [c["id"] for c in cards] == [str(i) for i in posted.card_ids]
    for message in [summary, *cards]:
        check_limits(message)
    return str(posted.thread_id), cards, state


async def reply_through_modal(
    h: DiscordHarness, member: Member, card: dict[str, Any], text: str
) -> dict[str, Any]:
    before = len((await h.state())["discord"]["interaction_responses"])
    await h.press(member, card, button(card, "reply"))
    responses = (await h.state())["discord"]["interaction_responses"]
    modal = responses[before]
    assert modal["type"] == 9, responses[before:]
    assert modal["data"]["components"][0]["components"][0]["value"], "prefilled with a draft"
    return await h.submit_modal(member, modal["data"], {"*": text}, card)


@pytest.mark.parametrize(
    ("platform", "kind", "text"),
    [
        (Platform.BLUESKY, "reply", "Merci ! L'export PDF arrive la semaine prochaine."),
        (Platform.X, "reply", "Thanks for the heads-up, we're on it!"),
    ],
)
async def test_reply_button_and_modal_post_on_the_platform(
    world: World, platform: Platform, kind: str, text: str
) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, platform, kind)
        await reply_through_modal(h, ALICE, card, text)
        state = await h.state()
        await check_answered(h, world, state, platform, external_id, text)
        edited = next(m for m in state["discord"]["messages"] if m["id"] == card["id"])
        status = {f["name"]: f["value"] for f in edited["embeds"][0]["fields"]}["Status"]
        assert status.startswith(f"✅ Answered by <@{ALICE.id}>")
        followups = [m for m in state["discord"]["messages"] if m["via"] == "followup"]
        assert followups[-1]["content"] == f"Posted on {platform.value}."
        assert followups[-1]["flags"] & 64  # ephemeral


async def test_reply_slash_command_to_an_x_mention(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        service = service_of(h)
        page = await service.inbox(
            InboxQuery(platform=Platform.X, kind="mention"), world.clock.now()
        )
        mention = page.cards[0].item
        token = _ids.item_token(Platform.X, mention.external_id)
        before = len((await h.state())["discord"]["interaction_responses"])
        await h.command(ALICE, "reply", [{"type": 3, "name": "item", "value": token}])
        modal = (await h.state())["discord"]["interaction_responses"][before]
        assert modal["type"] == 9
        text = "Hi! Yes, the iPad export works since 2.3 — tell us if it doesn't for you."
        await h.submit_modal(ALICE, modal["data"], {"*": text}, None)
        state = await h.state()
        thinking = state["discord"]["interaction_responses"][-1]
        assert thinking["type"] == 5
        original = [m for m in state["discord"]["messages"] if m["via"] == "interaction"][-1]
        assert original["content"] == "Posted on x."
        await check_answered(h, world, state, Platform.X, mention.external_id, text)


async def check_answered(
    h: DiscordHarness,
    world: World,
    state: dict[str, Any],
    platform: Platform,
    external_id: str,
    text: str,
) -> None:
    service = service_of(h)
    posts = [w for w in state["written"] if w["type"] == "post" and w["platform"] == platform.value]
    assert [p["text"] for p in posts] == [text]
    assert posts[0]["reply_parent"] == external_id
    card = await service.card((platform, external_id), world.clock.now())
    assert card is not None
    if platform is Platform.BLUESKY:
        assert card.item.root is not None
        assert posts[0]["reply_root"] == card.item.root.id
    async with service.db.unit_of_work() as uow:
        actions = await uow.actions.for_interaction(platform, external_id)
    answered = [a for a in actions if a.kind is ActionKind.ANSWERED]
    assert [(a.actor_id, a.actor_name, a.status, a.text) for a in answered] == [
        (str(ALICE.id), "Alice", ActionStatus.CONFIRMED, text)
    ]
    later = world.clock.now() + timedelta(days=1)
    assert (platform, external_id) not in {c.key for c in (await service.digest(later)).cards}
    page = await service.inbox(InboxQuery(platform=platform, page_size=500), later)
    assert (platform, external_id) not in {c.key for c in page.cards}


async def test_member_without_the_role_is_refused_and_nothing_is_posted(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, _ = card_for(cards, Platform.BLUESKY, "reply")
        for action in ("reply", "claim", "dismiss", "thank"):
            await h.press(MALLORY, card, button(card, action))
        state = await h.state()
        refusals = state["discord"]["interaction_responses"][-4:]
        assert [r["type"] for r in refusals] == [4, 4, 4, 4]
        for r in refusals:
            assert r["data"]["flags"] & 64
            assert "You need the **Community** role" in r["data"]["content"]
        assert state["written"] == []
        assert not any(
            m["edited_timestamp"] for m in cards_in(state["discord"], card["channel_id"])
        )


async def test_two_members_claim_the_same_card(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, Platform.BLUESKY, "mention")
        claim = button(card, "claim")
        before = asyncio.all_tasks()
        h.bot._connection.parse_interaction_create(
            h._interaction(
                3, {"custom_id": claim, "component_type": 2}, ALICE, int(card["channel_id"]), card
            )
        )
        h.bot._connection.parse_interaction_create(
            h._interaction(
                3, {"custom_id": claim, "component_type": 2}, BOB, int(card["channel_id"]), card
            )
        )
        await h.settle(before)
        state = await h.state()
        notes = [m["content"] for m in state["discord"]["messages"] if m["via"] == "followup"]
        assert len(notes) == 2
        assert sum(n == "Claimed: it is yours." for n in notes) == 1
        loser_note = next(n for n in notes if n != "Claimed: it is yours.")
        winner = loser_note.split(" ")[0]
        assert winner in {"Alice", "Bob"}
        assert loser_note in {f"{winner} claimed it first.", f"{winner} is handling this one."}
        edited = next(m for m in state["discord"]["messages"] if m["id"] == card["id"])
        status = {f["name"]: f["value"] for f in edited["embeds"][0]["fields"]}["Status"]
        winner_id = ALICE.id if winner == "Alice" else BOB.id
        assert status.startswith(f"✋ Claimed by <@{winner_id}>")
        assert button(edited, "unclaim")
        # The other member cannot open the reply box now.
        loser = BOB if winner == "Alice" else ALICE
        await h.press(loser, edited, button(edited, "reply"))
        last = (await h.state())["discord"]["interaction_responses"][-1]
        assert last["type"] == 4
        assert f"{winner} is handling this one" in last["data"]["content"]
        service = service_of(h)
        async with service.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, external_id)
        assert [a.actor_name for a in actions if a.kind is ActionKind.CLAIMED] == [winner]


async def test_a_button_pressed_after_a_restart_still_works(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
    card, _external_id = card_for(cards, Platform.BLUESKY, "mention")
    # A new process: new bot, same database and state directory, the old message and custom_id.
    async with world.harness() as h2:
        cog = h2.bot.get_cog("DigestCog")
        assert isinstance(cog, DigestCog)
        assert await cog.post_scheduled() is None  # once per period, across restarts
        await h2.press(ALICE, card, button(card, "done"))
        state = await h2.state()
        edited = next(m for m in state["discord"]["messages"] if m["id"] == card["id"])
        status = {f["name"]: f["value"] for f in edited["embeds"][0]["fields"]}["Status"]
        assert status.startswith(f"☑️ Done by <@{ALICE.id}>")
        assert all(
            c["disabled"]
            for row in edited["components"]
            for c in row["components"]
            if _ids.parse(c["custom_id"])[0] != "suggest"
        )
        assert len(state["discord"]["threads"]) == 1


async def test_a_double_submitted_modal_posts_once(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, Platform.BLUESKY, "mention")
        before = len((await h.state())["discord"]["interaction_responses"])
        await h.press(ALICE, card, button(card, "reply"))
        modal = (await h.state())["discord"]["interaction_responses"][before]["data"]
        text = "Bonjour ! Oui, l'export marche sur iPad depuis la 2.3."
        tasks_before = asyncio.all_tasks()
        for _ in range(2):  # the same modal submitted twice, before the first one finished
            rows = [
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 4,
                            "custom_id": modal["components"][0]["components"][0]["custom_id"],
                            "value": text,
                        }
                    ],
                }
            ]
            h.bot._connection.parse_interaction_create(
                h._interaction(
                    5,
                    {"custom_id": modal["custom_id"], "components": rows},
                    ALICE,
                    int(card["channel_id"]),
                    card,
                )
            )
        await h.settle(tasks_before)
        # And once more after it finished (a retry from a flaky client).
        await h.submit_modal(ALICE, modal, {"*": text}, card)
        state = await h.state()
        posts = [w for w in state["written"] if w["type"] == "post"]
        assert len(posts) == 1
        assert posts[0]["reply_parent"] == external_id
        service = service_of(h)
        async with service.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, external_id)
        answered = [a for a in actions if a.kind is ActionKind.ANSWERED]
        assert [(a.actor_name, a.status, a.text) for a in answered] == [
            ("Alice", ActionStatus.CONFIRMED, text)
        ]


async def test_french_and_english_cards_and_drafts(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        for lang, words in (("fr", ("merci", "vous", "bonjour")), ("en", ("thank", "you", "we"))):
            card, _ = card_for(cards, Platform.BLUESKY, None, lang)
            before = len((await h.state())["discord"]["interaction_responses"])
            await h.press(ALICE, card, button(card, "suggest"))
            state = await h.state()
            assert state["discord"]["interaction_responses"][before]["type"] == 5
            note = [m for m in state["discord"]["messages"] if m["via"] == "followup"][-1]
            assert note["flags"] & 64
            drafts = [f["value"] for f in note["embeds"][0]["fields"]]
            assert len(drafts) == 3
            assert any(w in " ".join(drafts).lower() for w in words), (lang, drafts)


async def test_a_platform_failure_is_reported_and_the_item_stays_open(world: World) -> None:
    async with world.harness() as h:
        await polled(h)
        _, cards, _ = await post_digest(h)
        card, external_id = card_for(cards, Platform.BLUESKY, "reply")
        async with aiohttp.ClientSession() as http:
            fault = {"endpoint": "com.atproto.repo.createRecord", "count": 10, "status": 503}
            async with http.post(f"{world.sb.url}/_sandbox/faults", json=fault) as resp:
                assert resp.status == 200
        await reply_through_modal(h, ALICE, card, "Merci, on regarde !")
        state = await h.state()
        assert [w for w in state["written"] if w["type"] == "post"] == []
        note = [m for m in state["discord"]["messages"] if m["via"] == "followup"][-1]
        assert note["flags"] & 64
        assert note["content"].startswith("Posting failed")
        service = service_of(h)
        again = await service.card((Platform.BLUESKY, external_id), world.clock.now())
        assert again is not None
        assert again.state.status.value == "open"
        async with service.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, external_id)
        assert [a.status for a in actions] == [ActionStatus.FAILED]
