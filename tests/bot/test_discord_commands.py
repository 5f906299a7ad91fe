"""Slash commands, /config permissions, alerts and webhook-only mode against the recorder."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from _discord_env import ALERTS_CHANNEL_ID, DIGEST_CHANNEL_ID
from _discord_harness import DiscordHarness, Member
from _discord_launch import launch_day_harness

from bot.discord_app import TeamInbox, post_digest_via_webhook
from bot.discord_app._webhook_mode import webhook_digest_once
from cogs.alerts import AlertsCog
from cogs.digest import DigestCog
from cogs.inbox import InboxCog
from cogs.ports import DigestPage
from cogs.render import summary_embed
from engagement.models import ActionKind, ActionRecord, ActionStatus, Platform

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Member(900000000000000001, "Alice", brand=True)
ADMIN = Member(900000000000000009, "Admin", brand=False, admin=True)
MALLORY = Member(900000000000000003, "Mallory", brand=False)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    async with launch_day_harness(tmp_path, START) as harness:
        assert harness.bot.runtime is not None
        assert len(harness.bot.runtime.pollers) == 2
        yield harness


def _service(h: DiscordHarness) -> TeamInbox:
    assert h.bot.runtime is not None
    service = h.bot.runtime.service
    assert isinstance(service, TeamInbox)
    return service


async def _responses(h: DiscordHarness) -> list[dict[str, Any]]:
    return list((await h.state())["discord"]["interaction_responses"])


async def _messages(h: DiscordHarness, via: str) -> list[dict[str, Any]]:
    return [m for m in (await h.state())["discord"]["messages"] if m["via"] == via]


async def test_config_needs_manage_server_and_persists(h: DiscordHarness, tmp_path: Path) -> None:
    group = h.bot.tree.get_command("config")
    assert group is not None
    assert group.default_permissions is not None
    assert group.default_permissions.manage_guild
    await h.command(MALLORY, "config", sub="show")
    refused = (await _responses(h))[-1]
    assert refused["type"] == 4
    assert refused["data"]["flags"] & 64
    assert "Manage Server" in refused["data"]["content"]

    await h.command(
        ADMIN, "config", [{"type": 3, "name": "time", "value": "25:00"}], sub="schedule"
    )
    assert "Not saved" in (await _responses(h))[-1]["data"]["content"]
    await h.command(
        ADMIN,
        "config",
        [
            {"type": 3, "name": "time", "value": "07:30"},
            {"type": 3, "name": "timezone", "value": "America/Montreal"},
        ],
        sub="schedule",
    )
    saved = (await _responses(h))[-1]
    assert saved["data"]["content"] == "Saved."
    stored = json.loads((tmp_path / "state" / "team-config.json").read_text())
    assert stored == {"digest_time": "07:30", "timezone": "America/Montreal"}
    cog = h.bot.get_cog("DigestCog")
    assert isinstance(cog, DigestCog)
    at = cog.daily.time[0]
    assert (at.hour, at.minute, str(at.tzinfo)) == (7, 30, "America/Montreal")


async def test_sync_publishes_commands_with_admin_only_config(h: DiscordHarness) -> None:
    assert await h.bot.sync_commands() >= 6
    commands = (await h.state())["discord"]["commands"]
    (scope,) = commands
    by_name = {c["name"]: c for c in commands[scope]}
    assert set(by_name) >= {"inbox", "suggest", "reply", "stats", "digest", "config"}
    assert str(by_name["config"]["default_member_permissions"]) == str(1 << 5)
    assert by_name["inbox"]["default_member_permissions"] is None
    for command in by_name.values():
        assert command["description"]
        for option in command.get("options", []):
            assert option["description"], (command["name"], option["name"])


async def test_inbox_pages_with_buttons_only_for_its_owner(h: DiscordHarness) -> None:
    await h.command(ALICE, "inbox", [{"type": 3, "name": "platform", "value": "bluesky"}])
    assert (await _responses(h))[-1]["type"] == 5
    page = (await _messages(h, "followup"))[-1]
    assert page["flags"] & 64
    assert "page 1/" in page["embeds"][0]["title"]
    nxt = next(
        c for row in page["components"] for c in row["components"] if c.get("label") == "Next ▶"
    )
    await h.press(MALLORY, page, nxt["custom_id"])
    assert "your own list" in (await _responses(h))[-1]["data"]["content"]
    await h.press(ALICE, page, nxt["custom_id"])
    moved = (await _responses(h))[-1]
    assert moved["type"] == 7
    assert "page 2/" in moved["data"]["embeds"][0]["title"]


async def test_stats_and_digest_now(h: DiscordHarness) -> None:
    await h.command(ALICE, "stats")
    stats = (await _messages(h, "followup"))[-1]
    labels = {f["name"] for f in stats["embeds"][0]["fields"]}
    assert {"Interactions", "Comments", "Still to answer"} <= labels
    summary = summary_embed(await _service(h).digest(h.bot.clock()))
    budget = next(f.value for f in summary.fields if f.name == "X budget")
    assert budget.endswith("spent this month (no cap)")
    await h.command(MALLORY, "digest", sub="now")
    assert "Community" in (await _responses(h))[-1]["data"]["content"]
    await h.command(ALICE, "digest", sub="now")
    note = (await _messages(h, "followup"))[-1]
    assert note["content"].startswith(f"Digest posted in <#{DIGEST_CHANNEL_ID}>")
    channel = [
        m for m in await _messages(h, "channel") if m["channel_id"] == str(DIGEST_CHANNEL_ID)
    ]
    assert channel[0]["embeds"][0]["title"].startswith("Engagement digest")
    posted = {f["name"]: f["value"] for f in channel[0]["embeds"][0]["fields"]}
    assert posted["X budget"] == budget  # the summary as posted carries the X budget
    assert (await h.state())["discord"]["rejected"] == []


async def test_autocomplete_offers_open_items(h: DiscordHarness) -> None:
    cog = h.bot.get_cog("InboxCog")
    assert isinstance(cog, InboxCog)
    choices = await cog.item_autocomplete(h.interaction_of(ALICE), "")
    assert 1 <= len(choices) <= 25
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in choices)
    some = choices[0].name.split("@", 1)[1].split(":", 1)[0]
    assert all(some in c.name for c in await cog.item_autocomplete(h.interaction_of(ALICE), some))
    # Item texts are for the team: a member without the role is offered nothing.
    assert await cog.item_autocomplete(h.interaction_of(MALLORY), "") == []


async def test_a_burst_of_urgent_items_is_one_alert(h: DiscordHarness) -> None:
    service = _service(h)
    now = h.bot.clock()
    async with service.db.unit_of_work() as uow:
        records = await uow.interactions.list_between(now - timedelta(days=1), now)
    urgent = await service.urgent(records, now)
    assert len(urgent) >= 2, "launch-day has questions from large accounts"
    cog = h.bot.get_cog("AlertsCog")
    assert isinstance(cog, AlertsCog)
    assert cog.batcher.pending == 0  # the fixture stopped the pollers and flushed
    # The first poll cycles already alerted on their own urgent items.
    automatic = [
        m for m in await _messages(h, "channel") if m["channel_id"] == str(ALERTS_CHANNEL_ID)
    ]
    assert automatic
    await cog.new_items(records)
    await cog.platform_alert(Platform.X, "1", "monthly budget reached")
    await cog.batcher.aclose()
    alerts = [
        m for m in await _messages(h, "channel") if m["channel_id"] == str(ALERTS_CHANNEL_ID)
    ][len(automatic) :]
    assert len(alerts) == 1
    assert f"{len(urgent)} urgent item(s)" in alerts[0]["content"]
    assert "monthly budget reached" in alerts[0]["content"]
    assert 1 <= len(alerts[0]["embeds"]) <= 10


async def test_an_alert_refused_by_discord_is_sent_again_later(h: DiscordHarness) -> None:
    cog = h.bot.get_cog("AlertsCog")
    assert isinstance(cog, AlertsCog)
    cog.batcher.retry_s = 0.05
    endpoint = "POST /api/v10/channels/:channel_id/messages"

    async def alerts() -> list[dict[str, Any]]:
        return [
            m for m in await _messages(h, "channel") if m["channel_id"] == str(ALERTS_CHANNEL_ID)
        ]

    before = len(await alerts())
    async with aiohttp.ClientSession() as http:
        fault = {"endpoint": endpoint, "count": 1, "status": 403}
        async with http.post(f"{h.sb.url}/_sandbox/faults", json=fault) as resp:
            assert resp.status == 200
    await cog.platform_alert(Platform.X, "1", "X API credits are depleted")
    # Nothing else happens: the refused batch is tried again on its own.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while len(await alerts()) == before:
        assert loop.time() < deadline, "the refused alert was never sent again"
        await asyncio.sleep(0.05)
    sent = (await alerts())[before:]
    assert len(sent) == 1
    assert "X API credits are depleted" in sent[0]["content"]
    log = [e["status"] for e in (await _request_log(h)) if e["endpoint"] == endpoint]
    assert log[-2:] == [403, 200]
    assert (await h.state())["faults_pending"] == {}
    assert cog.batcher.pending == 0


async def _request_log(h: DiscordHarness) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"{h.sb.url}/_sandbox/state") as resp:
        data: dict[str, Any] = await resp.json()
    return list(data["request_log"])


async def test_webhook_only_mode_posts_the_digest_once(h: DiscordHarness) -> None:
    service = _service(h)
    built: list[DigestPage] = []
    build = service.digest

    async def digest(now: datetime) -> DigestPage:
        built.append(await build(now))
        return built[-1]

    service.digest = digest  # type: ignore[method-assign]
    async with aiohttp.ClientSession() as session:
        url = h.sb.discord_webhook_url
        ids = await webhook_digest_once(service, url, session, h.bot.clock())
        assert ids
        assert await webhook_digest_once(service, url, session, h.bot.clock()) is None
        hooked = await _messages(h, "webhook")
        assert [m["id"] for m in hooked] == [str(i) for i in ids]
        assert all(m["components"] == [] for m in hooked)
        assert len(hooked) >= 3  # summary, then more cards than one message holds
        (sent,) = built  # the page actually posted (the second call stopped at the claim)
        assert sum(len(m["embeds"]) for m in hooked[1:]) == len(sent.cards)
        assert hooked[0]["embeds"][0]["title"] == sent.title
        with pytest.raises(ValueError, match="webhook URL"):
            await post_digest_via_webhook(
                "https://example.com/x", await service.digest(h.bot.clock()), session
            )
    assert (await h.state())["discord"]["rejected"] == []


async def test_an_answer_made_on_the_platform_updates_the_card_after_a_poll(
    h: DiscordHarness,
) -> None:
    cog = h.bot.get_cog("DigestCog")
    assert isinstance(cog, DigestCog)
    posted = await cog.post_scheduled()
    assert posted is not None
    service = _service(h)
    page = await service.digest(h.bot.clock())
    first = page.cards[0]
    # What bot/bluesky/_answered.py records when the brand answered in the Bluesky app.
    async with service.db.unit_of_work() as uow:
        await uow.actions.begin(
            ActionRecord(
                idempotency_key="bluesky:platform-answer:test",
                kind=ActionKind.ANSWERED,
                status=ActionStatus.CONFIRMED,
                actor_id="platform",
                actor_name="Bluesky app",
                created_at=h.bot.clock(),
                platform=first.item.platform,
                interaction_id=first.item.external_id,
                text="Answered in the app",
                completed_at=h.bot.clock(),
            )
        )
        await uow.commit()
    outcome = next(iter(h.bot.last_outcomes.values()))
    outcome = replace(outcome, platform=first.item.platform, new_items=())
    patch = "PATCH /api/v10/channels/:channel_id/messages/:message_id"
    await h.bot.on_poll_outcome(outcome)
    edits = (await h.state())["requests"].get(patch, 0)
    # Every message showing that item (its digest card, and its alert if it had one) is
    # edited once, and no other message.
    edited = [m for m in (await h.state())["discord"]["messages"] if m["edited_timestamp"]]
    assert edits == len(edited) >= 1
    for message in edited:
        fields = {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}
        assert fields["Status"].startswith("✅ Answered by Bluesky app")
    await h.bot.on_poll_outcome(outcome)  # nothing changed since: no second edit
    assert (await h.state())["requests"].get(patch, 0) == edits
    messages = {m["id"]: m for m in (await h.state())["discord"]["messages"]}
    card = messages[str(posted.card_ids[0])]
    status = {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}["Status"]
    assert status.startswith("✅ Answered by Bluesky app")
    # The cards of other items are untouched (the same item may also have a creator card).
    quoted = first.item.text[:40]
    others = [messages[str(i)] for i in posted.card_ids[1:]]
    others = [m for m in others if quoted not in json.dumps(m["embeds"], ensure_ascii=False)]
    assert others
    assert not any(m["edited_timestamp"] for m in others)
