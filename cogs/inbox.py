"""Slash commands for the team: ``/inbox``, ``/suggest``, ``/reply``, ``/stats``."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs import _ids, _limits
from cogs._common import BrandRoleError, Clock, has_role, refuse_without_role, tell
from cogs._inbox_view import InboxView, inbox_embed
from cogs.items import ItemsCog, drafts_embed
from cogs.modals import text_back
from cogs.ports import InboxQuery, InboxService, ItemKey, ItemStatus
from engagement.models import InteractionKind, Platform

PLATFORM_CHOICES = [app_commands.Choice(name=p.value.capitalize(), value=p.value) for p in Platform]
KIND_CHOICES = [app_commands.Choice(name=k.value, value=k.value) for k in InteractionKind]
STATUS_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in ItemStatus]


class InboxCog(commands.Cog, name="InboxCog"):
    """Browse the to-do list and answer from slash commands."""

    def __init__(self, service: InboxService, items: ItemsCog, clock: Clock) -> None:
        self.service = service
        self.items = items
        self.clock = clock

    async def _refused(self, interaction: discord.Interaction[Any]) -> bool:
        config = await self.service.get_config()
        return await refuse_without_role(interaction, config.brand_role)

    async def _resolve(self, interaction: discord.Interaction[Any], text: str) -> ItemKey | None:
        token = _ids.parse_token(text)
        key: ItemKey | None = None
        if token is not None and not token[1].startswith("#"):
            key = token
        else:
            key = await self.service.resolve(token[1] if token else text.strip())
        if key is None or await self.service.card(key, self.clock()) is None:
            await tell(interaction, f"No item matches `{_limits.truncate(text, 80)}`.")
            return None
        return key

    async def item_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Open items whose author or text contains what was typed (at most 25).

        Members without the brand role are offered nothing (item texts are for the team).
        """
        config = await self.service.get_config()
        try:
            if not has_role(interaction, config.brand_role):
                return []
        except BrandRoleError:
            return []
        page = await self.service.inbox(InboxQuery(page_size=100), self.clock())
        needle = current.casefold()
        choices = []
        for card in page.cards:
            item = card.item
            label = f"{item.platform.value} @{item.author.handle}: {item.text or item.kind}"
            if needle and needle not in label.casefold():
                continue
            value = _ids.item_token(item.platform, item.external_id, item.created_at)
            choices.append(app_commands.Choice(name=_limits.truncate(label, 100), value=value))
            if len(choices) == 25:
                break
        return choices

    @app_commands.command(name="inbox", description="List open items, newest first, by page.")
    @app_commands.describe(
        platform="Only items from this platform.",
        kind="Only this kind of interaction (mention, reply, quote…).",
        status="Only items in this state (default: everything still open).",
    )
    @app_commands.choices(platform=PLATFORM_CHOICES, kind=KIND_CHOICES, status=STATUS_CHOICES)
    @app_commands.guild_only()
    async def inbox(
        self,
        interaction: discord.Interaction[Any],
        platform: app_commands.Choice[str] | None = None,
        kind: app_commands.Choice[str] | None = None,
        status: app_commands.Choice[str] | None = None,
    ) -> None:
        """Show the first page of matching items, with paging buttons."""
        if await self._refused(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        query = InboxQuery(
            platform=Platform(platform.value) if platform else None,
            kind=kind.value if kind else None,
            status=ItemStatus(status.value) if status else None,
        )
        page = await self.service.inbox(query, self.clock())
        view = InboxView(self.service, self.clock, page, owner_id=interaction.user.id)
        await interaction.followup.send(embed=inbox_embed(page), view=view, ephemeral=True)

    @app_commands.command(name="suggest", description="Three reply drafts for an item or a post.")
    @app_commands.describe(item="An item from the list, or paste a Bluesky/X post URL.")
    @app_commands.guild_only()
    async def suggest(self, interaction: discord.Interaction[Any], item: str) -> None:
        """Show three drafts, only to the member who asked."""
        if await self._refused(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        key = await self._resolve(interaction, item)
        if key is None:
            return
        drafts = await self.service.drafts(key, 3)
        await interaction.followup.send(
            embed=drafts_embed(self.service, key, drafts), ephemeral=True
        )

    @suggest.autocomplete("item")
    async def _suggest_item(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.item_autocomplete(interaction, current)

    @app_commands.command(name="reply", description="Reply to an item as the brand.")
    @app_commands.describe(
        item="An item from the list, or paste a Bluesky/X post URL.",
        text="The reply; leave empty to open an editor prefilled with the best draft.",
    )
    @app_commands.guild_only()
    async def reply(
        self, interaction: discord.Interaction[Any], item: str, text: str | None = None
    ) -> None:
        """Post ``text`` (checked against the platform's limit) or open the reply modal."""
        config = await self.service.get_config()
        if await refuse_without_role(interaction, config.brand_role):
            return
        key = await self._resolve(interaction, item)
        if key is None:
            return
        if text is None:
            await self.items.open_reply(interaction, key)
            return
        size, limit = self.service.measure(key[0], text), self.service.text_limit(key[0])
        if size > limit or not text.strip():
            await tell(
                interaction,
                f"Not posted: {size}/{limit}; shorten it and try again. Your text:",
                embed=text_back(text),
            )
            return
        await self.items.post_reply(interaction, key, text.strip())

    @reply.autocomplete("item")
    async def _reply_item(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.item_autocomplete(interaction, current)

    @app_commands.command(name="stats", description="This period's headline figures.")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        """Headline figures against the previous period, visible only to the asker."""
        if await self._refused(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        figures = await self.service.stats(self.clock())
        embed = discord.Embed(title="Engagement this period", colour=discord.Colour.blurple())
        for figure in figures[: _limits.FIELDS]:
            value = f"{figure.value} ({figure.delta})" if figure.delta else figure.value
            embed.add_field(
                name=_limits.truncate(figure.label, _limits.FIELD_NAME),
                value=_limits.truncate(value or "—", _limits.FIELD_VALUE),
            )
        await interaction.followup.send(embed=embed, ephemeral=True)
