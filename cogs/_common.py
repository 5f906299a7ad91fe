"""Small helpers every cog shares: who is acting, the brand-role check, replying ephemerally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord

from engagement.ports import Actor

Clock = Callable[[], datetime]


def actor_of(interaction: discord.Interaction[Any]) -> Actor:
    """The member behind an interaction, for the audit trail."""
    user = interaction.user
    return Actor(id=str(user.id), name=user.display_name)


def has_role(interaction: discord.Interaction[Any], role: str) -> bool:
    """Whether the presser holds ``role`` (an id or a name) in this guild."""
    user = interaction.user
    if not isinstance(user, discord.Member):
        return False
    wanted = role.strip()
    if wanted.isdigit():
        return any(r.id == int(wanted) for r in user.roles)
    return any(r.name.casefold() == wanted.casefold() for r in user.roles)


def role_label(interaction: discord.Interaction[Any], role: str) -> str:
    """How to name ``role`` to a person (its name when the id is known)."""
    guild = interaction.guild
    if role.isdigit() and guild is not None:
        found = guild.get_role(int(role))
        if found is not None:
            return found.name
    return role


async def tell(interaction: discord.Interaction[Any], message: str) -> None:
    """Answer ephemerally, whether or not the interaction was acknowledged already."""
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True)
    else:
        await interaction.response.send_message(message, ephemeral=True)


async def refuse_without_role(interaction: discord.Interaction[Any], role: str) -> bool:
    """Refuse ephemerally when the presser lacks ``role``; return whether it was refused."""
    if has_role(interaction, role):
        return False
    await tell(
        interaction,
        f"You need the **{role_label(interaction, role)}** role to act as the brand.",
    )
    return True
