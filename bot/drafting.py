"""Wire reply drafting from settings: the brand's voice and the optional LLM."""

from __future__ import annotations

import aiohttp

from bot.settings import SettingsError
from bot.settings._team import DraftingSettings
from engagement.drafting import Formality, Tone, Voice
from watchers.drafter import Drafter
from watchers.llm import LLMClient


def voice_from_settings(settings: DraftingSettings) -> Voice:
    """The :class:`Voice` described by the ``ENGAGEBOT_VOICE_*`` settings."""
    return Voice(
        tone=Tone(settings.voice_tone),
        formality=Formality(settings.voice_formality),
        emoji=settings.voice_emoji,
        signoff=settings.voice_signoff.strip(),
        avoid_words=Voice.parse_avoid_words(settings.voice_avoid_words),
        guide=settings.voice_guide.strip(),
        brand_name=settings.brand_name.strip() or "our team",
    )


def llm_client_from_settings(
    settings: DraftingSettings, session: aiohttp.ClientSession | None = None
) -> LLMClient | None:
    """The model client, or ``None`` when ``ENGAGEBOT_LLM_BASE_URL`` is not set.

    Raises:
        SettingsError: A base URL without a model name.
    """
    if not settings.llm_base_url:
        return None
    if not settings.llm_model:
        raise SettingsError("ENGAGEBOT_LLM_MODEL is required when ENGAGEBOT_LLM_BASE_URL is set")
    return LLMClient(
        settings.llm_base_url,
        settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        session=session,
    )


def build_drafter(
    settings: DraftingSettings, session: aiohttp.ClientSession | None = None
) -> tuple[Drafter, LLMClient | None]:
    """The drafter cogs use (as a ``DraftProvider``) and its client, to close on shutdown."""
    client = llm_client_from_settings(settings, session)
    return Drafter(client), client
