"""Persistent item buttons: the item and the action live in the ``custom_id``.

:class:`ItemButton` is a :class:`discord.ui.DynamicItem`, registered once with
``bot.add_dynamic_items(ItemButton)``; a press on any card, even one posted before a restart,
is routed to the :class:`~cogs.items.ItemsCog`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

import discord

from cogs import _ids
from cogs.ports import Card, ItemStatus
from engagement.models import InteractionKind, Platform

__all__ = ["ActionHandler", "ItemButton", "card_view"]

_STYLE = {
    "reply": (discord.ButtonStyle.primary, "Reply", "💬"),
    "suggest": (discord.ButtonStyle.secondary, "Suggest", "💡"),
    "thank": (discord.ButtonStyle.success, "Thank", "💚"),
    "claim": (discord.ButtonStyle.secondary, "Claim", "✋"),
    "unclaim": (discord.ButtonStyle.secondary, "Unclaim", "↩️"),
    "done": (discord.ButtonStyle.secondary, "Done", "☑️"),
    "snooze": (discord.ButtonStyle.secondary, "Snooze 24 h", "💤"),
    "dismiss": (discord.ButtonStyle.danger, "Dismiss", "🗑️"),
}
ITEMS_COG = "ItemsCog"


class ActionHandler(Protocol):
    """What a button press is handed to (the items cog)."""

    async def handle_action(
        self, interaction: discord.Interaction[Any], action: str, platform: Platform, ref: str
    ) -> None:
        """Run ``action`` on the item ``ref`` of ``platform`` for the presser."""
        ...


class ItemButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=_ids.TEMPLATE,
):
    """One action button on an item card."""

    def __init__(
        self,
        action: str,
        platform: Platform,
        ref: str,
        *,
        disabled: bool = False,
        created_at: datetime | None = None,
    ) -> None:
        style, label, emoji = _STYLE[action]
        row = 0 if action in {"reply", "suggest", "thank", "claim", "unclaim"} else 1
        super().__init__(
            discord.ui.Button(
                style=style,
                label=label,
                emoji=emoji,
                custom_id=_ids.custom_id(action, platform, ref, created_at),
                disabled=disabled,
                row=row,
            )
        )
        self.action = action
        self.platform = platform
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ItemButton:
        """Rebuild the button from a pressed ``custom_id`` (works across restarts)."""
        parsed = _ids.parse(match.string)
        if parsed is None:  # pragma: no cover - the template already matched
            raise ValueError(f"bad custom id {match.string!r}")
        action, platform, ref = parsed
        return cls(action, platform, ref)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the press to the items cog."""
        handler: ActionHandler | None = interaction.client.get_cog(ITEMS_COG)
        if handler is None:
            await interaction.response.send_message(
                "The bot is starting up; try again in a moment.", ephemeral=True
            )
            return
        await handler.handle_action(interaction, self.action, self.platform, self.ref)


def card_view(card: Card) -> discord.ui.View:
    """The persistent buttons of a card, disabled where they no longer apply."""
    view = discord.ui.View(timeout=None)
    platform, ref = card.key
    closed = card.state.status.is_closed
    kind = InteractionKind.parse(card.item.kind)
    can_reply = kind is not None and kind.has_text
    claim = "unclaim" if card.state.status is ItemStatus.CLAIMED else "claim"
    for action in ("reply", "suggest", "thank", claim, "done", "snooze", "dismiss"):
        disabled = closed and action not in {"suggest"}
        if action in {"reply", "suggest"} and not can_reply:
            disabled = True
        view.add_item(
            ItemButton(action, platform, ref, disabled=disabled, created_at=card.item.created_at)
        )
    return view
