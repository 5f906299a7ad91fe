"""Confirming a reply that costs more: on X a reply with a link is billed $0.20, not $0.01.

The service answers such a reply with an :class:`~cogs.ports.Outcome` whose ``confirm`` is
the warning; nothing is posted. The member gets the warning ephemerally, with their text and
a :class:`ConfirmReplyView`: **Post anyway** (the brand role is checked again, then the reply
is posted with ``allow_url_cost=True``) or **Cancel**. The text lives only in this view, in
memory: the view is not persistent, expires after :data:`CONFIRM_TIMEOUT_S` and its buttons
are disabled once used. A double press posts once (the service's per-item lock and the
publisher's ledger both make the same reply to the same post one post).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs import _limits
from cogs._common import refuse_without_role, tell
from cogs.modals import text_back
from cogs.ports import ItemKey

if TYPE_CHECKING:
    from cogs.items import ItemsCog

log = logging.getLogger(__name__)

CONFIRM_TIMEOUT_S = 600.0
"""How long a confirmation may wait (within the 15 minutes an interaction token lives)."""


class ConfirmReplyView(discord.ui.View):
    """**Post anyway** / **Cancel** for one reply that needs the member's go-ahead.

    Args:
        cog: The items cog (service, clock, card updates).
        key: The item replied to.
        text: The reply, exactly as it will be posted.
        warning: What confirming means (the cost), from the publisher.
        card_from: The interaction pressed on the item's card, to update that card in place
            once posted; ``None`` when the reply came from ``/reply``.
    """

    def __init__(
        self,
        cog: ItemsCog,
        key: ItemKey,
        text: str,
        warning: str,
        *,
        card_from: discord.Interaction[Any] | None,
    ) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_S)
        self.cog = cog
        self.key = key
        self.text = text
        self.warning = warning
        self.card_from = card_from
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        """The confirmation message, set once sent (edited when the view expires)."""

    def prompt(self) -> str:
        """The confirmation message's text: the warning and what each button does."""
        return _limits.truncate(
            f"⚠️ {self.warning}\n**Post anyway** pays it; **Cancel** posts nothing. "
            "Your reply is below.",
            _limits.CONTENT,
        )

    def _close(self) -> None:
        """Stop listening and disable both buttons (a confirmation is used once)."""
        self.stop()
        for child in self.children:
            if isinstance(child, discord.ui.Button):
                child.disabled = True

    @discord.ui.button(label="Post anyway", style=discord.ButtonStyle.danger, emoji="💸")
    async def post_anyway(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[ConfirmReplyView]
    ) -> None:
        """Check the brand role again, then post the reply with its extra cost accepted."""
        config = await self.cog.service.get_config()
        if await refuse_without_role(interaction, config.brand_role):
            return
        self._close()
        await interaction.response.edit_message(
            content=_limits.truncate(f"{self.warning}\nConfirmed: posting…", _limits.CONTENT),
            view=self,
        )
        await self.cog.post_confirmed(interaction, self.key, self.text, card_from=self.card_from)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[ConfirmReplyView]
    ) -> None:
        """Post nothing; give the text back (without the link, the reply costs the usual)."""
        self._close()
        await interaction.response.edit_message(
            content="Cancelled: nothing was posted. Your text is below; without the link the "
            "reply costs the usual price.",
            embed=text_back(self.text),
            view=self,
        )

    async def on_timeout(self) -> None:
        """Disable the buttons: an unanswered confirmation posts nothing."""
        self._close()
        if self.message is None:
            return
        try:
            await self.message.edit(
                content="Expired: nothing was posted. Reply again to post it.", view=self
            )
        except discord.HTTPException as exc:
            log.info("could not mark the confirmation as expired: %s", exc)

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
        /,
    ) -> None:
        """Log and answer ephemerally; nothing is retried automatically."""
        log.exception("confirmation of a reply failed", exc_info=error)
        await tell(interaction, "Something went wrong; the reply may not have been posted.")


async def ask_to_confirm(
    cog: ItemsCog,
    interaction: discord.Interaction[Any],
    key: ItemKey,
    text: str,
    warning: str,
    *,
    on_card: bool,
) -> ConfirmReplyView:
    """Show ``warning`` and the text to the member only, with Post anyway / Cancel.

    Args:
        cog: The items cog.
        interaction: The deferred interaction that asked to post (modal submit or ``/reply``).
        key: The item replied to.
        text: The reply.
        warning: The service's ``Outcome.confirm``.
        on_card: Whether the interaction came from an item card (deferred as an update: the
            question is a follow-up) or from ``/reply`` (deferred ephemerally: it is the answer).

    Returns:
        The view, listening until used or expired.
    """
    view = ConfirmReplyView(cog, key, text, warning, card_from=interaction if on_card else None)
    embed = text_back(text)
    if on_card:
        view.message = await interaction.followup.send(
            view.prompt(), embed=embed, view=view, ephemeral=True, wait=True
        )
    else:
        view.message = await interaction.edit_original_response(
            content=view.prompt(), embeds=[embed], view=view
        )
    return view


__all__ = ["CONFIRM_TIMEOUT_S", "ConfirmReplyView", "ask_to_confirm"]
