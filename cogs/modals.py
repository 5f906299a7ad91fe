"""The reply modal: prefilled with the best draft, re-validated with the platform's own count.

The text box accepts Discord's maximum (4,000 characters) whatever the platform: Discord
counts characters, the platforms do not (on X a link weighs 23 however long it is; Bluesky
counts graphemes, and an emoji or an accented letter can be several characters). The gate is
the platform's own count, on submit; a refusal gives the text back so nothing is lost.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs import _limits
from cogs._common import refuse_without_role, tell
from cogs.ports import ItemKey
from engagement.drafting import fit_to_limit
from engagement.models import Platform

if TYPE_CHECKING:
    from cogs.items import ItemsCog

log = logging.getLogger(__name__)

_UNIT = {Platform.BLUESKY: "characters", Platform.X: "weighted characters"}
_LABEL = {
    Platform.BLUESKY: "Reply on Bluesky ({limit} characters max)",
    Platform.X: "Reply on X ({limit} max; a link counts 23)",
}


def prefill(draft: str, platform: Platform, limit: int) -> str | None:
    """The modal's initial text: ``draft`` fitted to the platform's limit its own way.

    Shortened at a word boundary (never mid-word or mid-grapheme) when it is too long;
    ``None`` when there is no draft, or when even the fitted draft is over Discord's 4,000
    characters (nothing rather than a broken text).
    """
    fitted = fit_to_limit(draft.strip(), platform, limit)
    if not fitted or len(fitted) > _limits.TEXT_INPUT_MAX:
        return None
    return fitted


def text_back(text: str) -> discord.Embed:
    """The member's whole text (at most 4,000 characters), ready to copy."""
    fenced = f"```\n{text}\n```"
    if "```" in text or len(fenced) > _limits.DESCRIPTION:
        fenced = text
    return discord.Embed(description=_limits.truncate(fenced or "(empty)", _limits.DESCRIPTION))


class ReplyModal(discord.ui.Modal):
    """Write (or edit the draft of) a reply; submitting posts it as the brand, once."""

    def __init__(self, cog: ItemsCog, key: ItemKey, author: str, draft: str, limit: int) -> None:
        platform = key[0]
        super().__init__(
            title=_limits.truncate(f"Reply to @{author}", _limits.MODAL_TITLE), timeout=900
        )
        self.cog = cog
        self.key = key
        self.limit = limit
        self.text: discord.ui.TextInput[ReplyModal] = discord.ui.TextInput(
            label=_limits.truncate(_LABEL[platform].format(limit=limit), _limits.TEXT_INPUT_LABEL),
            style=discord.TextStyle.paragraph,
            default=prefill(draft, platform, limit),
            # Discord's own cap, never the platform's limit: see the module docstring.
            max_length=_limits.TEXT_INPUT_MAX,
            min_length=1,
            required=True,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Check the role and the length, then post through the service."""
        config = await self.cog.service.get_config()
        if await refuse_without_role(interaction, config.brand_role):
            return
        text = self.text.value.strip()
        platform = self.key[0]
        size = self.cog.service.measure(platform, text)
        if not text or size > self.limit:
            await tell(
                interaction,
                f"Not posted: the reply is {size} {_UNIT[platform]} long, the limit is "
                f"{self.limit}. Your text is below: shorten it and press Reply again.",
                embed=text_back(self.text.value),
            )
            return
        await self.cog.post_reply(interaction, self.key, text)

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Log and answer ephemerally; nothing is retried automatically."""
        log.exception("reply modal failed", exc_info=error)
        await tell(interaction, "Something went wrong; the reply may not have been posted.")


__all__ = ["ReplyModal", "prefill", "text_back"]
