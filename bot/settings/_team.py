"""Discord, drafting (brand voice, LLM) and triage settings."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings


class DiscordSettings(BaseSettings):
    """Where the team meets the bot."""

    discord_token: SecretStr | None = Field(default=None, description="Discord bot token.")
    discord_webhook_url: SecretStr | None = Field(
        default=None, description="Webhook URL for webhook-only mode (digest without buttons)."
    )
    discord_guild_id: int | None = Field(
        default=None, description="Guild (server) id for command sync."
    )
    discord_digest_channel_id: int | None = Field(
        default=None, description="Channel id the daily digest is posted to."
    )
    discord_alerts_channel_id: int | None = Field(
        default=None, description="Channel id for real-time alerts."
    )
    discord_brand_role: str = Field(
        default="Community",
        description="Role (name or id) a member needs to post as the brand.",
    )
    digest_time: time = Field(
        default=time(9, 0), description="Local time of the daily digest (HH:MM)."
    )
    alert_batch_seconds: float = Field(
        default=60.0, gt=0, description="Alerts arriving within this window form one message."
    )
    discord_state_dir: Path = Field(
        default=Path("./data"),
        description="Directory for the /config overrides and the card locations.",
    )
    discord_api_base: str = Field(
        default="https://discord.com/api/v10",
        description="Discord REST base (change only for a Discord-compatible test server).",
    )


class DraftingSettings(BaseSettings):
    """The brand's voice and the optional OpenAI-compatible model."""

    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1)."
    )
    llm_model: str | None = Field(default=None, description="Model name for drafting.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the model.")
    llm_timeout_s: float = Field(default=20.0, gt=0, description="Model request timeout.")
    brand_name: str = Field(default="our team", description="How drafts name the brand.")
    voice_tone: str = Field(
        default="practical",
        description="Tone preset: playful, practical, punchy or storytelling.",
    )
    voice_formality: str = Field(default="vous", description="French formality: tu or vous.")
    voice_emoji: bool = Field(default=True, description="Whether drafts may use emoji.")
    voice_signoff: str = Field(default="", description="Sign-off appended to drafts, if any.")
    voice_avoid_words: str = Field(
        default="", description="Comma-separated words drafts must never use."
    )
    voice_guide: str = Field(default="", description="Short free-text voice guide.")

    @field_validator("voice_tone")
    @classmethod
    def _check_tone(cls, value: str) -> str:
        allowed = {"playful", "practical", "punchy", "storytelling"}
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(sorted(allowed))}")
        return value

    @field_validator("voice_formality")
    @classmethod
    def _check_formality(cls, value: str) -> str:
        if value not in {"tu", "vous"}:
            raise ValueError("must be tu or vous")
        return value

    @field_validator("llm_base_url")
    @classmethod
    def _check_llm_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL (the OpenAI-compatible base, e.g. …/v1)")
        return value.rstrip("/")


class TriageSettings(BaseSettings):
    """Weights and thresholds of the engagement engine."""

    topics: str = Field(
        default="", description="Comma-separated topics the brand cares about (discovery)."
    )
    large_account_followers: int = Field(
        default=10_000, ge=0, description="Followers from which an author counts as large."
    )
    creator_min_followers: int = Field(
        default=2_000, ge=0, description="Followers from which an author counts as a creator."
    )
    digest_section_cap: int = Field(
        default=10, ge=1, le=50, description="Items shown per digest section."
    )
