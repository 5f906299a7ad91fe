"""What happens when somebody presses a card button or submits the reply modal."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

from cogs import _limits
from cogs._common import Clock, actor_of, refuse_without_role, tell
from cogs.board import CardBoard, Location
from cogs.buttons import ITEMS_COG, card_view
from cogs.confirm import ask_to_confirm
from cogs.modals import ReplyModal
from cogs.ports import Card, InboxService, ItemKey, ItemStatus, Outcome
from cogs.render import card_embed
from engagement.models import Platform

log = logging.getLogger(__name__)

DRAFT_TIMEOUT_S = 1.5  # a modal must be the first answer, within Discord's 3 s
SNOOZE = timedelta(hours=24)


class ItemsCog(commands.Cog, name=ITEMS_COG):
    """Routes item actions (buttons, modal) to the :class:`InboxService` and updates cards."""

    def __init__(self, service: InboxService, board: CardBoard, clock: Clock) -> None:
        self.service = service
        self.board = board
        self.clock = clock

    async def _card(self, interaction: discord.Interaction[Any], key: ItemKey) -> Card | None:
        card = await self.service.card(key, self.clock())
        if card is None:
            await tell(interaction, "This item is no longer known to the bot.")
        return card

    async def _key(self, platform: Platform, ref: str) -> ItemKey | None:
        if ref.startswith("#"):
            return await self.service.resolve(ref)
        return (platform, ref)

    async def handle_action(
        self, interaction: discord.Interaction[Any], action: str, platform: Platform, ref: str
    ) -> None:
        """Run one card action for the presser (the role is checked first)."""
        try:
            await self._handle(interaction, action, platform, ref)
        except Exception:
            log.exception("%s on %s:%s failed", action, platform.value, ref)
            await tell(interaction, "Something went wrong; nothing more was done. Try again.")

    async def _handle(
        self, interaction: discord.Interaction[Any], action: str, platform: Platform, ref: str
    ) -> None:
        config = await self.service.get_config()
        if await refuse_without_role(interaction, config.brand_role):
            return
        key = await self._key(platform, ref)
        if key is None:
            await tell(interaction, "This item is no longer known to the bot.")
            return
        if action == "reply":
            await self.open_reply(interaction, key)
        elif action == "suggest":
            await self.suggest(interaction, key)
        else:
            await self._state_action(interaction, action, key)

    async def open_reply(self, interaction: discord.Interaction[Any], key: ItemKey) -> None:
        """Open the reply modal prefilled with the best draft (unless someone else has it)."""
        card = await self._card(interaction, key)
        if card is None:
            return
        refusal = _reply_refusal(card, str(interaction.user.id))
        if refusal:
            await tell(interaction, refusal)
            return
        draft = card.draft or ""
        if not draft:
            # Template drafts only: a model may take seconds, and the modal must be the first
            # answer within Discord's 3 s (Suggest, which defers first, may use the model).
            try:
                drafts = await asyncio.wait_for(
                    self.service.drafts(key, 1, templates_only=True), DRAFT_TIMEOUT_S
                )
                draft = drafts[0] if drafts else ""
            except TimeoutError:
                draft = ""
        limit = self.service.text_limit(key[0])
        await interaction.response.send_modal(
            ReplyModal(self, key, card.item.author.handle, draft, limit)
        )

    async def post_reply(
        self, interaction: discord.Interaction[Any], key: ItemKey, text: str
    ) -> None:
        """Post a validated reply, update the card and tell the member what happened.

        A reply that costs more (a link on X) is not posted: the member is asked to confirm
        (:func:`cogs.confirm.ask_to_confirm`).
        """
        on_card = await _defer(interaction)
        outcome = await self.service.reply(key, text, actor_of(interaction), self.clock())
        if outcome.confirm is not None:
            await ask_to_confirm(self, interaction, key, text, outcome.confirm, on_card=on_card)
            return
        card_from = interaction if on_card else None
        await self._finish(interaction, key, outcome, card_from=card_from, followup=on_card)

    async def post_confirmed(
        self,
        interaction: discord.Interaction[Any],
        key: ItemKey,
        text: str,
        *,
        card_from: discord.Interaction[Any] | None,
    ) -> None:
        """Post a reply whose extra cost the member confirmed; the card updates in place.

        Args:
            interaction: The confirming press, already answered (the answer is a follow-up).
            key: The item replied to.
            text: The reply.
            card_from: The interaction pressed on the item's card, if the reply came from one.
        """
        outcome = await self.service.reply(
            key, text, actor_of(interaction), self.clock(), allow_url_cost=True
        )
        await self._finish(interaction, key, outcome, card_from=card_from, followup=True)

    async def suggest(self, interaction: discord.Interaction[Any], key: ItemKey) -> None:
        """Show three drafts to the presser only."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        drafts = await self.service.drafts(key, 3)
        await interaction.followup.send(
            embed=drafts_embed(self.service, key, drafts), ephemeral=True
        )

    async def _state_action(
        self, interaction: discord.Interaction[Any], action: str, key: ItemKey
    ) -> None:
        on_card = await _defer(interaction)
        actor, now = actor_of(interaction), self.clock()
        if action == "claim":
            outcome = await self.service.claim(key, actor, now)
        elif action == "unclaim":
            outcome = await self.service.unclaim(key, actor, now)
        elif action == "thank":
            outcome = await self.service.thank(key, actor, now)
        elif action == "snooze":
            outcome = await self.service.snooze(key, now + SNOOZE, actor, now)
        elif action == "done":
            outcome = await self.service.mark(key, ItemStatus.DONE, actor, now)
        else:
            outcome = await self.service.mark(key, ItemStatus.DISMISSED, actor, now)
        card_from = interaction if on_card else None
        await self._finish(interaction, key, outcome, card_from=card_from, followup=on_card)

    async def _finish(
        self,
        interaction: discord.Interaction[Any],
        key: ItemKey,
        outcome: Outcome,
        *,
        card_from: discord.Interaction[Any] | None,
        followup: bool,
    ) -> None:
        """Update the card pressed (``card_from``) and every tracked copy; tell the member.

        ``followup``: the answer is a new ephemeral message (the interaction was answered or
        deferred as an update), else it replaces the deferred ephemeral answer.
        """
        skip = None
        if card_from is not None and outcome.card is not None:
            skip = await _update_card(card_from, outcome.card)
        embeds = []
        if outcome.drafts:
            embeds.append(
                drafts_embed(
                    self.service,
                    key,
                    outcome.drafts,
                    title="Thank-you drafts",
                    footer="Nothing was posted. Use one in a post or a message of your own.",
                )
            )
        if followup:
            await interaction.followup.send(outcome.message, embeds=embeds, ephemeral=True)
        else:
            await interaction.edit_original_response(content=outcome.message, embeds=embeds)
        await self.board.refresh([key], self.clock(), skip=skip)


async def _update_card(origin: discord.Interaction[Any], card: Card) -> Location | None:
    """Re-render the card message ``origin`` was pressed on; its location if edited directly."""
    message = origin.message
    if message is None:
        return None
    embed, view = card_embed(card), card_view(card)
    try:
        if message.flags.ephemeral:
            await origin.edit_original_response(embed=embed, view=view)
        else:
            await message.edit(embed=embed, view=view)
            return (message.channel.id, message.id)
    except discord.HTTPException as exc:
        log.warning("could not update the card in place: %s", exc)
    return None


def _reply_refusal(card: Card, user_id: str) -> str | None:
    state = card.state
    who = state.by_name or "someone"
    if state.status.is_closed:
        return f"Already {state.status.value} by {who}; nothing to do."
    if state.status is ItemStatus.CLAIMED and state.by_id != user_id:
        return f"{who} is handling this one (claimed). Ask them, or wait until they unclaim it."
    return None


def drafts_embed(
    service: InboxService,
    key: ItemKey,
    drafts: Sequence[str],
    *,
    title: str = "Suggested replies",
    footer: str = "Copy one into Reply, or use /reply. Nothing is posted until you submit.",
) -> discord.Embed:
    """Three drafts, each with its length against the platform's limit."""
    platform = key[0]
    limit = service.text_limit(platform)
    embed = discord.Embed(title=title, colour=discord.Colour.blurple())
    if not drafts:
        embed.description = "No draft could be made for this item."
    for index, draft in enumerate(list(drafts)[:3], start=1):
        size = service.measure(platform, draft)
        embed.add_field(
            name=f"Draft {index} · {size}/{limit}",
            value=_limits.truncate(draft, _limits.FIELD_VALUE),
            inline=False,
        )
    embed.set_footer(text=footer)
    return embed


async def _defer(interaction: discord.Interaction[Any]) -> bool:
    """Acknowledge in time: an update of the card pressed, else a private "thinking…".

    Returns:
        Whether the interaction came from a card (a message with the item's buttons).
    """
    on_card = interaction.message is not None
    if on_card:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=True, thinking=True)
    return on_card
