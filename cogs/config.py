"""``/config``: channels, schedule, role, thresholds, voice, topics, and command sync. Admins only.

Discord hides the group from members without Manage Server (``default_permissions`` on the
top-level group; it is ignored on subcommands) and every subcommand checks again at run time,
since server admins can override the default visibility.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.ext import commands

from cogs import _limits
from cogs._common import Clock, actor_of, tell, unusable_role
from cogs.ports import InboxService, TeamConfig

TONES = ("playful", "practical", "punchy", "storytelling")
OnChange = Callable[[TeamConfig], Awaitable[None]]


def config_embed(config: TeamConfig) -> discord.Embed:
    """The configuration in force."""
    embed = discord.Embed(title="engagebot configuration", colour=discord.Colour.blurple())

    def channel(value: int | None) -> str:
        return f"<#{value}>" if value else "not set"

    embed.add_field(name="Digest channel", value=channel(config.digest_channel_id))
    embed.add_field(name="Alerts channel", value=channel(config.alerts_channel_id))
    embed.add_field(name="Digest time", value=f"{config.digest_time} ({config.timezone})")
    role = config.brand_role
    embed.add_field(name="Brand role", value=f"<@&{role}>" if role.isdigit() else role)
    embed.add_field(name="Large account from", value=f"{config.large_account_followers} followers")
    embed.add_field(name="Voice", value=config.voice_tone)
    topics = ", ".join(config.topics) or "none"
    embed.add_field(
        name="Topics", value=_limits.truncate(topics, _limits.FIELD_VALUE), inline=False
    )
    return embed


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class ConfigCog(commands.GroupCog, group_name="config", group_description="Configure engagebot."):
    """Admin configuration, persisted by the service."""

    def __init__(
        self,
        bot: commands.Bot,
        service: InboxService,
        clock: Clock,
        on_change: OnChange | None = None,
    ) -> None:
        self.bot = bot
        self.service = service
        self.clock = clock
        self.on_change = on_change
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse anyone without Manage Server, whatever the server's overrides say."""
        if interaction.permissions.manage_guild:
            return True
        await tell(interaction, "You need the **Manage Server** permission to change settings.")
        return False

    async def _apply(self, interaction: discord.Interaction[Any], changes: dict[str, str]) -> None:
        try:
            config = await self.service.set_config(changes, actor_of(interaction), self.clock())
        except ValueError as exc:
            await tell(interaction, f"Not saved: {exc}")
            return
        if self.on_change is not None:
            await self.on_change(config)
        await interaction.response.send_message(
            "Saved.", embed=config_embed(config), ephemeral=True
        )

    @app_commands.command(name="show", description="Show the configuration in force.")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        """Show every setting."""
        config = await self.service.get_config()
        await interaction.response.send_message(embed=config_embed(config), ephemeral=True)

    @app_commands.command(name="channels", description="Where the digest and alerts are posted.")
    @app_commands.describe(
        digest="Channel for the daily digest.", alerts="Channel for urgent alerts."
    )
    async def channels(
        self,
        interaction: discord.Interaction[Any],
        digest: discord.TextChannel | None = None,
        alerts: discord.TextChannel | None = None,
    ) -> None:
        """Set the digest and/or alerts channel."""
        changes = {}
        if digest is not None:
            changes["digest_channel_id"] = str(digest.id)
        if alerts is not None:
            changes["alerts_channel_id"] = str(alerts.id)
        await self._apply(interaction, changes)

    @app_commands.command(name="schedule", description="When the daily digest is posted.")
    @app_commands.describe(
        time="Local time, HH:MM (24 h), e.g. 09:00.", timezone="IANA timezone, e.g. Europe/Paris."
    )
    async def schedule(
        self, interaction: discord.Interaction[Any], time: str, timezone: str | None = None
    ) -> None:
        """Set the digest time and timezone."""
        changes = {"digest_time": time}
        if timezone:
            changes["timezone"] = timezone
        await self._apply(interaction, changes)

    @schedule.autocomplete("timezone")
    async def _timezones(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold()
        names = sorted(z for z in available_timezones() if needle in z.casefold())
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @app_commands.command(name="role", description="The role allowed to post as the brand.")
    @app_commands.describe(role="Members with this role can reply, thank, claim and dismiss.")
    async def role(self, interaction: discord.Interaction[Any], role: discord.Role) -> None:
        """Set the brand role (by id; never @everyone or a role an integration manages)."""
        problem = unusable_role(role)
        if problem is not None:
            await tell(interaction, f"Not saved: {problem}.")
            return
        await self._apply(interaction, {"brand_role": str(role.id)})

    @app_commands.command(name="thresholds", description="When an author counts as urgent.")
    @app_commands.describe(large_account_followers="Followers from which an author is urgent.")
    async def thresholds(
        self,
        interaction: discord.Interaction[Any],
        large_account_followers: app_commands.Range[int, 0, 100_000_000],
    ) -> None:
        """Set the large-account threshold."""
        await self._apply(interaction, {"large_account_followers": str(large_account_followers)})

    @app_commands.command(name="voice", description="The tone of reply drafts.")
    @app_commands.describe(tone="Tone preset used by drafts.")
    @app_commands.choices(tone=[app_commands.Choice(name=t, value=t) for t in TONES])
    async def voice(
        self, interaction: discord.Interaction[Any], tone: app_commands.Choice[str]
    ) -> None:
        """Set the drafting tone."""
        await self._apply(interaction, {"voice_tone": tone.value})

    @app_commands.command(name="topics", description="Topics the brand cares about.")
    @app_commands.describe(topics="Comma-separated topics, e.g. 'open source, rust, bluesky'.")
    async def topics(self, interaction: discord.Interaction[Any], topics: str) -> None:
        """Set the topics used to find creators to engage."""
        await self._apply(interaction, {"topics": topics})

    @app_commands.command(name="sync", description="Publish the slash commands to this server.")
    async def sync(self, interaction: discord.Interaction[Any]) -> None:
        """Sync the command tree to this guild (do it after an upgrade, not on every start)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild = interaction.guild
        if guild is None:  # pragma: no cover - guild_only
            return
        self.bot.tree.copy_global_to(guild=guild)
        synced = await self.bot.tree.sync(guild=guild)
        await interaction.followup.send(f"Synced {len(synced)} command(s).", ephemeral=True)
