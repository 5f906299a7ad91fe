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


class BrandRoleError(Exception):
    """The configured brand role cannot be used; the message says why, for a person."""


def unusable_role(role: discord.Role) -> str | None:
    """Why ``role`` cannot be the brand role (``@everyone``, a bot's managed role), or ``None``."""
    if role.is_default():
        return "@everyone cannot be the brand role: everybody would post as the brand"
    if role.managed:
        return f"**{role.name}** is managed by an integration; pick a role you assign yourself"
    return None


def resolve_role(guild: discord.Guild | None, configured: str) -> discord.Role:
    """The guild role the configuration names: by id, or by a name that exactly one role has.

    Raises:
        BrandRoleError: No such role, a name several roles share, ``@everyone`` or a managed role.
    """
    if guild is None:
        raise BrandRoleError("brand actions only work in the team's server")
    wanted = configured.strip().removeprefix("<@&").removesuffix(">")
    if wanted.isdigit():
        role = guild.get_role(int(wanted))
        if role is None:
            raise BrandRoleError(f"the brand role (id {wanted}) no longer exists; ask an admin")
    else:
        named = [r for r in guild.roles if r.name.casefold() == wanted.casefold()]
        if not named:
            raise BrandRoleError(f"no role is named **{wanted}**; ask an admin to run /config role")
        if len(named) > 1:
            raise BrandRoleError(
                f"{len(named)} roles are named **{wanted}**; ask an admin to pick one "
                "with /config role"
            )
        role = named[0]
    problem = unusable_role(role)
    if problem is not None:
        raise BrandRoleError(problem)
    return role


def has_role(interaction: discord.Interaction[Any], role: str) -> bool:
    """Whether the member holds the configured brand ``role`` (compared by id).

    Raises:
        BrandRoleError: The configured role cannot be used (see :func:`resolve_role`).
    """
    user = interaction.user
    wanted = resolve_role(interaction.guild, role)
    if not isinstance(user, discord.Member):
        return False
    return any(r.id == wanted.id for r in user.roles)


def role_label(interaction: discord.Interaction[Any], role: str) -> str:
    """How to name ``role`` to a person (its name when the id is known)."""
    guild = interaction.guild
    if role.isdigit() and guild is not None:
        found = guild.get_role(int(role))
        if found is not None:
            return found.name
    return role


async def tell(
    interaction: discord.Interaction[Any], message: str, *, embed: discord.Embed | None = None
) -> None:
    """Answer ephemerally, whether or not the interaction was acknowledged already."""
    embeds = [embed] if embed is not None else []
    if interaction.response.is_done():
        await interaction.followup.send(message, embeds=embeds, ephemeral=True)
    else:
        await interaction.response.send_message(message, embeds=embeds, ephemeral=True)


async def refuse_without_role(interaction: discord.Interaction[Any], role: str) -> bool:
    """Refuse ephemerally when the presser lacks ``role``; return whether it was refused."""
    try:
        if has_role(interaction, role):
            return False
    except BrandRoleError as exc:
        await tell(interaction, f"Nothing done: {exc}.")
        return True
    await tell(
        interaction,
        f"You need the **{role_label(interaction, role)}** role to act as the brand.",
    )
    return True
