"""The paginated ``/inbox`` message: a page of items, paging buttons, and an item picker."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord

from cogs import _ids, _limits
from cogs._common import Clock
from cogs.buttons import card_view
from cogs.ports import InboxPage, InboxService
from cogs.render import card_embed, format_waiting


def inbox_embed(page: InboxPage) -> discord.Embed:
    """One page of the inbox as a compact list."""
    query = page.query
    filters = [
        f"platform={query.platform.value}" if query.platform else "",
        f"kind={query.kind}" if query.kind else "",
        f"status={query.status.value}" if query.status else "status=open",
    ]
    embed = discord.Embed(
        title=f"Inbox · {page.total} item(s) · page {query.page + 1}/{page.pages}",
        colour=discord.Colour.blurple(),
    )
    lines = []
    for index, card in enumerate(page.cards, start=1 + query.page * query.page_size):
        item = card.item
        text = _limits.truncate((item.text or item.kind).replace("\n", " "), 140)
        lines.append(
            f"**{index}.** {item.platform.value} · {item.kind} · @{item.author.handle} · "
            f"waiting {format_waiting(card.waiting)} · {card.state.status.value}\n> {text}"
        )
    embed.description = _limits.truncate("\n".join(lines) or "Nothing here.", _limits.DESCRIPTION)
    embed.set_footer(text=" ".join(f for f in filters if f))
    return embed


class InboxView(discord.ui.View):
    """Paging and picking for one member's ``/inbox`` (only they can use it)."""

    def __init__(self, service: InboxService, clock: Clock, page: InboxPage, owner_id: int) -> None:
        super().__init__(timeout=600)
        self.service = service
        self.clock = clock
        self.page = page
        self.owner_id = owner_id
        self.pick: discord.ui.Select[InboxView] = discord.ui.Select(
            placeholder="Open an item…", row=0
        )
        self.pick.callback = self._pick  # type: ignore[method-assign]
        self.previous: discord.ui.Button[InboxView] = discord.ui.Button(
            label="◀ Previous", style=discord.ButtonStyle.secondary, row=1
        )
        self.previous.callback = self._previous  # type: ignore[method-assign]
        self.next: discord.ui.Button[InboxView] = discord.ui.Button(
            label="Next ▶", style=discord.ButtonStyle.secondary, row=1
        )
        self.next.callback = self._next  # type: ignore[method-assign]
        for item in (self.pick, self.previous, self.next):
            self.add_item(item)
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page.query.page <= 0
        self.next.disabled = self.page.query.page + 1 >= self.page.pages
        options = []
        for card in self.page.cards:
            label = f"@{card.item.author.handle}: {card.item.text or card.item.kind}"
            options.append(
                discord.SelectOption(
                    label=_limits.truncate(label, 100),
                    value=_ids.item_token(*card.key, card.item.created_at),
                )
            )
        self.pick.options = options or [discord.SelectOption(label="Nothing to open", value="-")]
        self.pick.disabled = not options

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Only the member who ran ``/inbox`` pages it."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message("Run /inbox to get your own list.", ephemeral=True)
        return False

    async def _goto(self, interaction: discord.Interaction[Any], page_no: int) -> None:
        query = replace(self.page.query, page=page_no)
        self.page = await self.service.inbox(query, self.clock())
        self._sync()
        await interaction.response.edit_message(embed=inbox_embed(self.page), view=self)

    async def _previous(self, interaction: discord.Interaction[Any]) -> None:
        await self._goto(interaction, max(0, self.page.query.page - 1))

    async def _next(self, interaction: discord.Interaction[Any]) -> None:
        await self._goto(interaction, self.page.query.page + 1)

    async def _pick(self, interaction: discord.Interaction[Any]) -> None:
        token = _ids.parse_token(self.pick.values[0])
        card = await self.service.card(token, self.clock()) if token else None
        if card is None:
            await interaction.response.send_message("That item is gone.", ephemeral=True)
            return
        await interaction.response.send_message(
            embed=card_embed(card), view=card_view(card), ephemeral=True
        )
