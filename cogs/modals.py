"""The reply modal: prefilled with the best draft, re-validated with the platform's own count."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs import _limits
from cogs._common import refuse_without_role, tell
from cogs.ports import ItemKey
from engagement.models import Platform

if TYPE_CHECKING:
    from cogs.items import ItemsCog

log = logging.getLogger(__name__)

_UNIT = {Platform.BLUESKY: "characters", Platform.X: "weighted characters"}


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
            label=_limits.truncate(
                f"Reply on {platform.value.capitalize()} ({limit} max)", _limits.TEXT_INPUT_LABEL
            ),
            style=discord.TextStyle.paragraph,
            default=draft[: min(limit, _limits.TEXT_INPUT_MAX)] or None,
            max_length=min(limit, _limits.TEXT_INPUT_MAX),
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
                f"{self.limit}. Your text:\n```\n{_limits.truncate(text, 1500)}\n```",
            )
            return
        await self.cog.post_reply(interaction, self.key, text)

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Log and answer ephemerally; nothing is retried automatically."""
        log.exception("reply modal failed", exc_info=error)
        await tell(interaction, "Something went wrong; the reply may not have been posted.")


__all__ = ["ReplyModal"]
