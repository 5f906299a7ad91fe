"""The brand role: compared by id, a configured name resolved to exactly one role, and never
@everyone or a managed role; every team command and the reply path check it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _discord_env import DIGEST_CHANNEL_ID, GUILD_ID, ROLE_ID
from _discord_harness import DiscordHarness, Member, _role, snowflake
from _discord_launch import launch_day_harness, service_of

from cogs import _ids
from cogs.ports import InboxQuery
from engagement.models import Platform
from engagement.ports import Actor

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Member(900000000000000001, "Alice", brand=True)
ADMIN = Member(900000000000000009, "Admin", brand=False, admin=True)
MALLORY = Member(900000000000000003, "Mallory", brand=False)
OTHER_ROLE_ID = 700000000000000077
# Mallory holds a role that is *named* like the brand role but is another role.
IMPOSTOR = Member(900000000000000004, "Imposter", brand=False)
IMPOSTOR.roles = [str(OTHER_ROLE_ID)]
REFUSED = "You need the **Community** role"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[DiscordHarness]:
    async with launch_day_harness(tmp_path, START) as harness:
        yield harness


async def last_response(h: DiscordHarness) -> dict[str, Any]:
    return dict((await h.state())["discord"]["interaction_responses"][-1])


def add_role(h: DiscordHarness, role_id: int, name: str, *, managed: bool = False) -> None:
    role = _role(role_id, name, 2)
    role["managed"] = managed
    h.bot._connection.parse_guild_role_create({"guild_id": str(GUILD_ID), "role": role})


async def set_role_option(h: DiscordHarness, member: Member, role_id: int) -> None:
    guild = h.bot.get_guild(GUILD_ID)
    assert guild is not None
    role = guild.get_role(role_id)
    assert role is not None
    data = {
        "id": snowflake(),
        "name": "config",
        "type": 1,
        "guild_id": str(GUILD_ID),
        "options": [
            {
                "type": 1,
                "name": "role",
                "options": [{"type": 8, "name": "role", "value": str(role_id)}],
            }
        ],
        "resolved": {
            "roles": {
                str(role_id): _role(role_id, role.name, role.position) | {"managed": role.managed}
            }
        },
    }
    await h.dispatch(h._interaction(2, data, member, DIGEST_CHANNEL_ID, None))


@pytest.mark.parametrize("command", ["inbox", "stats"])
async def test_inbox_and_stats_need_the_brand_role(h: DiscordHarness, command: str) -> None:
    await h.command(MALLORY, command)
    refused = await last_response(h)
    assert refused["type"] == 4
    assert refused["data"]["flags"] & 64
    assert REFUSED in refused["data"]["content"]
    state = await h.state()
    assert [m for m in state["discord"]["messages"] if m["via"] == "followup"] == []
    await h.command(ALICE, command)
    assert (await last_response(h))["type"] == 5


async def test_a_role_named_like_the_brand_role_is_not_the_brand_role(h: DiscordHarness) -> None:
    add_role(h, OTHER_ROLE_ID, "Community")  # same name, another role
    await h.command(IMPOSTOR, "stats")
    assert REFUSED in (await last_response(h))["data"]["content"]


async def test_a_configured_name_resolves_to_one_role_and_ambiguity_is_refused(
    h: DiscordHarness,
) -> None:
    service = service_of(h)
    await service.set_config({"brand_role": "community"}, Actor("1", "Admin"), START)
    await h.command(ALICE, "stats")
    assert (await last_response(h))["type"] == 5  # "community" is exactly the Community role
    add_role(h, OTHER_ROLE_ID, "Community")
    for member in (ALICE, IMPOSTOR):
        await h.command(member, "stats")
        refused = await last_response(h)
        assert refused["type"] == 4
        assert "2 roles are named **community**" in refused["data"]["content"]
    assert (await h.state())["written"] == []


async def test_everyone_as_the_configured_role_lets_nobody_act(h: DiscordHarness) -> None:
    service = service_of(h)
    await service.set_config({"brand_role": str(GUILD_ID)}, Actor("1", "Admin"), START)
    page = await service.inbox(InboxQuery(platform=Platform.BLUESKY), START + timedelta(hours=3))
    token = _ids.item_token(Platform.BLUESKY, page.cards[0].item.external_id)
    for member in (ALICE, MALLORY):
        await h.command(
            member,
            "reply",
            [
                {"type": 3, "name": "item", "value": token},
                {"type": 3, "name": "text", "value": "Hi"},
            ],
        )
        refused = await last_response(h)
        assert refused["type"] == 4
        assert "@everyone cannot be the brand role" in refused["data"]["content"]
    assert (await h.state())["written"] == []


@pytest.mark.parametrize(
    ("role_id", "name", "managed", "why"),
    [
        (GUILD_ID, "@everyone", False, "@everyone cannot be the brand role"),
        (OTHER_ROLE_ID, "engagebot", True, "managed by an integration"),
    ],
)
async def test_config_role_refuses_everyone_and_managed_roles(
    h: DiscordHarness, role_id: int, name: str, managed: bool, why: str
) -> None:
    if role_id != GUILD_ID:
        add_role(h, role_id, name, managed=managed)
    await set_role_option(h, ADMIN, role_id)
    refused = await last_response(h)
    assert refused["data"]["flags"] & 64
    assert refused["data"]["content"].startswith("Not saved")
    assert why in refused["data"]["content"]
    assert (await service_of(h).get_config()).brand_role == str(ROLE_ID)
    await set_role_option(h, ADMIN, ROLE_ID)
    assert (await last_response(h))["data"]["content"] == "Saved."
