"""The Discord recorder, driven by discord.py itself (webhooks, bot REST, interactions)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import Route

from sandbox import SandboxServer
from sandbox import _credentials as creds


@pytest.fixture
def discord_base(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    monkeypatch.setattr(Route, "BASE", sandbox.discord_api_base)
    return sandbox


def _webhook(sb: SandboxServer, session: aiohttp.ClientSession) -> discord.Webhook:
    # discord.py's own parse of the URL; requests go to Route.BASE + /webhooks/{id}/{token}.
    return discord.Webhook.from_url(sb.discord_webhook_url, session=session)


async def _recorded(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, Any]:
    async with http.get(f"{sb.url}/_sandbox/discord") as resp:
        result: dict[str, Any] = await resp.json()
        return result


@pytest.fixture
async def client(discord_base: SandboxServer) -> AsyncIterator[discord.Client]:
    bot = discord.Client(intents=discord.Intents.none())
    await bot.login(creds.DISCORD_BOT_TOKEN)
    yield bot
    await bot.close()


async def test_webhook_send_wait_returns_a_webhook_message(
    discord_base: SandboxServer, http: aiohttp.ClientSession
) -> None:
    hook = _webhook(discord_base, http)
    embed = discord.Embed(title="Digest du jour", description="3 commentaires à traiter")
    embed.add_field(name="@alice", value="Est-ce que la synchro marche ?").set_footer(
        text="engagebot"
    )
    chart = discord.File(io.BytesIO(b"\x89PNG fake"), filename="chart.png")
    message = await hook.send(content="Bonjour l'équipe", embed=embed, file=chart, wait=True)
    assert isinstance(message, discord.WebhookMessage)
    assert message.content == "Bonjour l'équipe"
    assert message.embeds[0].title == "Digest du jour"
    assert message.embeds[0].fields[0].name == "@alice"
    assert message.attachments[0].filename == "chart.png"
    assert message.attachments[0].size == 9
    edited = await message.edit(content="Mis à jour")
    assert edited.content == "Mis à jour"
    assert edited.edited_at is not None
    fetched = await hook.fetch_message(message.id)
    assert fetched.embeds[0].description == "3 commentaires à traiter"
    await message.delete()
    recorded = (await _recorded(http, discord_base))["messages"]
    assert [(m["via"], m["content"], m["deleted"]) for m in recorded] == [
        ("webhook", "Mis à jour", True)
    ]
    async with http.get(f"{discord_base.url}/_sandbox/state", params={"log": "0"}) as resp:
        assert (await resp.json())["discord"]["messages"][0]["id"] == str(message.id)


async def test_oversize_embed_is_refused_with_discords_error(
    discord_base: SandboxServer, http: aiohttp.ClientSession
) -> None:
    hook = _webhook(discord_base, http)
    with pytest.raises(discord.HTTPException) as info:
        await hook.send(embed=discord.Embed(description="x" * 4097), wait=True)
    assert info.value.status == 400
    assert info.value.code == 50035
    assert "embeds.0.description" in info.value.text
    (rejected,) = (await _recorded(http, discord_base))["rejected"]
    assert rejected["error"]["code"] == 50035
    assert (await _recorded(http, discord_base))["messages"] == []


def _embed(**kw: Any) -> dict[str, Any]:
    return {"title": "t", **kw}


def _row(n: int, custom_id: str = "b") -> dict[str, Any]:
    return {
        "type": 1,
        "components": [
            {"type": 2, "style": 1, "label": "go", "custom_id": f"{custom_id}{i}"} for i in range(n)
        ],
    }


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [_embed()] * 11}, "embeds"),
        ({"embeds": [_embed(title="x" * 257)]}, "title"),
        ({"embeds": [_embed(fields=[{"name": "n", "value": "v"}] * 26)]}, "fields"),
        ({"embeds": [_embed(fields=[{"name": "n" * 257, "value": "v"}])]}, "name"),
        ({"embeds": [_embed(fields=[{"name": "n", "value": "v" * 1025}])]}, "value"),
        ({"embeds": [_embed(footer={"text": "f" * 2049})]}, "footer"),
        ({"embeds": [_embed(author={"name": "a" * 257})]}, "author"),
        (
            {"embeds": [_embed(description="d" * 4000), _embed(description="d" * 2000)]},
            "MAX_EMBED_SIZE_EXCEEDED",
        ),
        ({"content": "x", "components": [_row(1)] * 6}, "components"),
        ({"content": "x", "components": [_row(6)]}, "components"),
        ({"content": "x", "components": [_row(1, "c" * 100)]}, "custom_id"),
    ],
)
async def test_each_discord_limit_is_enforced(
    sandbox: SandboxServer, http: aiohttp.ClientSession, payload: dict[str, Any], path: str
) -> None:
    async with http.post(sandbox.discord_webhook_url, json=payload, params={"wait": "true"}) as r:
        assert r.status == 400
        assert r.headers["Content-Type"] == "application/json"
        body = await r.json()
    assert body["code"] == 50035
    assert path in str(body["errors"])


async def test_limits_exactly_at_the_edge_are_accepted(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    payload = {
        "content": "x" * 2000,
        "embeds": [_embed(title="t" * 256, description="d" * 4096, footer={"text": "f" * 1647})]
        + [_embed(title="")] * 9,
        "components": [_row(5, "b" * 99)] * 5,
    }
    async with http.post(sandbox.discord_webhook_url, json=payload, params={"wait": "true"}) as r:
        assert r.status == 200, await r.text()
        assert r.headers["Content-Type"] == "application/json"
        message = await r.json()
    assert len(message["embeds"]) == 10
    assert int(message["id"]) > 0
    assert message["channel_id"]
    assert message["author"]["bot"] is True
    assert message["timestamp"].startswith(sandbox.clock.now().date().isoformat())


async def test_plain_webhook_url_errors(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    url = sandbox.discord_webhook_url
    async with http.post(url, json={"content": "hi"}) as r:
        assert r.status == 204  # no ?wait=true: no body
    async with http.post(url, json={}) as r:
        assert (await r.json())["code"] == 50006
    async with http.post(url, data=b"{oops", headers={"Content-Type": "application/json"}) as r:
        assert (await r.json())["code"] == 50109
    async with http.post(url.rsplit("/", 1)[0] + "/wrong-token", json={"content": "x"}) as r:
        assert (r.status, (await r.json())["code"]) == (401, 50027)
    async with http.post(
        f"{sandbox.url}/api/webhooks/1/{creds.DISCORD_WEBHOOK_TOKEN}", json={"content": "x"}
    ) as r:
        assert (r.status, (await r.json())["code"]) == (404, 10015)


async def test_bot_login_channel_message_buttons_and_thread(
    client: discord.Client, discord_base: SandboxServer, http: aiohttp.ClientSession
) -> None:
    assert client.user is not None
    assert client.user.bot
    channel = client.get_partial_messageable(1300000000000000200)
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Répondre", custom_id="mention:reply:1"))
    message = await channel.send(embed=discord.Embed(title="Alerte"), view=view)
    assert message.components[0].children[0].custom_id == "mention:reply:1"  # type: ignore[union-attr]
    # A PartialMessageable has no guild, so go through discord.py's HTTP client directly.
    thread = await client.http.start_thread_with_message(
        message.channel.id, message.id, name="Réponses", auto_archive_duration=1440
    )
    assert thread["id"] == str(message.id)
    assert thread["parent_id"] == "1300000000000000200"
    edited = await message.edit(content="traité", view=None)
    assert edited.content == "traité"
    recorded = await _recorded(http, discord_base)
    assert recorded["messages"][0]["via"] == "channel"
    assert recorded["threads"][0]["name"] == "Réponses"


async def test_wrong_bot_token_fails_login(discord_base: SandboxServer) -> None:
    bot = discord.Client(intents=discord.Intents.none())
    with pytest.raises(discord.LoginFailure):
        await bot.login("not-the-token")
    await bot.close()


def _interaction(client: discord.Client, number: int) -> discord.Interaction[discord.Client]:
    payload: dict[str, Any] = {
        "id": str(1300000000000000500 + number),
        "application_id": str(client.application_id),
        "type": 2,
        "token": f"interaction-token-{number}",
        "version": 1,
        "data": {"id": "1", "name": "digest", "type": 1},
        "channel_id": "1300000000000000777",
        "user": {"id": "42", "username": "cm", "discriminator": "0", "avatar": None},
        "locale": "fr",
        "app_permissions": "0",
        "entitlements": [],
        "context": 0,
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
    }
    return discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]


class _ReplyModal(discord.ui.Modal, title="Répondre"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Texte", max_length=280)


async def test_interaction_defer_followup_edit_original_and_modal(
    client: discord.Client, discord_base: SandboxServer, http: aiohttp.ClientSession
) -> None:
    inter = _interaction(client, 1)
    await inter.response.defer(thinking=True, ephemeral=True)
    followup = await inter.followup.send(embed=discord.Embed(title="3 à traiter"), wait=True)
    assert followup.embeds[0].title == "3 à traiter"
    original = await inter.edit_original_response(content="Fait")
    assert original.content == "Fait"
    with pytest.raises(discord.HTTPException) as info:
        await inter.followup.send(content="x" * 2001)
    assert info.value.code == 50035

    await _interaction(client, 2).response.send_modal(_ReplyModal())
    recorded = await _recorded(http, discord_base)
    assert [r["type"] for r in recorded["interaction_responses"]] == [5, 9]
    assert recorded["interaction_responses"][1]["data"]["title"] == "Répondre"
    assert {m["via"] for m in recorded["messages"]} == {"interaction", "followup"}
    # Discord refuses a second acknowledgement of the same interaction.
    async with http.post(
        f"{discord_base.discord_api_base}/interactions/1300000000000000501/interaction-token-1/callback",
        json={"type": 4, "data": {"content": "again"}},
    ) as resp:
        assert (resp.status, (await resp.json())["code"]) == (400, 40060)


async def test_gateway_and_command_sync(
    client: discord.Client, discord_base: SandboxServer
) -> None:
    tree = discord.app_commands.CommandTree(client)

    @tree.command(name="digest", description="Le digest du jour")
    async def digest(interaction: discord.Interaction) -> None:  # pragma: no cover - not invoked
        del interaction

    guild = discord.Object(id=1300000000000000900)
    tree.copy_global_to(guild=guild)
    synced = await tree.sync(guild=guild)
    assert [c.name for c in synced] == ["digest"]
    assert synced[0].id > 0
    gateway = await client.http.get_bot_gateway()
    assert gateway[0] == 1


class _LongLabelModal(discord.ui.Modal, title="Répondre"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(label="L" * 46, max_length=280)


class _OverfullModal(discord.ui.Modal, title="Répondre"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Texte", max_length=10, default="x" * 11
    )


class _EdgeModal(discord.ui.Modal, title="Répondre"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="L" * 45, max_length=4000, default="x" * 4000
    )


@pytest.mark.parametrize(
    ("modal", "path"),
    [(_LongLabelModal, "label"), (_OverfullModal, "value")],
)
async def test_modal_text_input_limits_are_enforced(
    client: discord.Client,
    discord_base: SandboxServer,
    http: aiohttp.ClientSession,
    modal: type[discord.ui.Modal],
    path: str,
) -> None:
    with pytest.raises(discord.HTTPException) as info:
        await _interaction(client, 3).response.send_modal(modal())
    assert info.value.code == 50035
    recorded = await _recorded(http, discord_base)
    assert recorded["interaction_responses"] == []
    assert path in str(recorded["rejected"][-1]["error"]["errors"])
    await _interaction(client, 4).response.send_modal(_EdgeModal())
    recorded = await _recorded(http, discord_base)
    assert [r["type"] for r in recorded["interaction_responses"]] == [9]
