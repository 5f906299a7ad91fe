"""Typed settings, read from the environment and ``.env`` with the ``ENGAGEBOT_`` prefix.

Settings are built once, at start-up, by :func:`load_settings`; nothing here runs at import.
Each concern keeps its fields in a small mixin module; :class:`Settings` combines them.
"""

from __future__ import annotations

from bot.settings._core import CoreSettings, SettingsError, load_settings
from bot.settings._platforms import BlueskySettings, XSettings
from bot.settings._team import DiscordSettings, DraftingSettings, TriageSettings


class Settings(
    DiscordSettings,
    DraftingSettings,
    TriageSettings,
    XSettings,
    BlueskySettings,
    CoreSettings,
):
    """Every setting of engagebot (see ``.env.example`` for the full list)."""


__all__ = ["Settings", "SettingsError", "load_settings"]
