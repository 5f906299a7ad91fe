"""One error handler for slash commands: people get one ephemeral line, logs get the rest."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from cogs._common import tell

log = logging.getLogger(__name__)


def describe(error: app_commands.AppCommandError) -> str:
    """The line shown to the person for a command error."""
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the **" + ", ".join(error.missing_permissions) + "** permission(s)."
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You do not have the role this command needs."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"`{error.value}` is not a valid value here."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return "Something went wrong; the team's logs have the details."


async def on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """Answer ephemerally; log unexpected errors with their traceback."""
    if not isinstance(error, app_commands.CheckFailure | app_commands.TransformerError):
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command %s failed", command, exc_info=error)
    try:
        await tell(interaction, describe(error))
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


def install(tree: app_commands.CommandTree[Any]) -> None:
    """Make :func:`on_app_command_error` the tree's error handler."""
    tree.error(on_app_command_error)
