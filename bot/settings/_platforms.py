"""Bluesky and X connection settings."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings


class BlueskySettings(BaseSettings):
    """How to reach and log in to the brand's Bluesky account(s)."""

    bluesky_service: str = Field(
        default="https://bsky.social", description="Bluesky PDS / entryway base URL."
    )
    bluesky_handle: str | None = Field(default=None, description="Brand account handle.")
    bluesky_app_password: SecretStr | None = Field(
        default=None, description="App password for the brand account (never the main one)."
    )
    bluesky_extra_accounts: SecretStr | None = Field(
        default=None,
        description="More accounts to watch, as handle:app-password pairs separated by commas.",
    )
    bluesky_poll_interval_s: float = Field(
        default=30.0, gt=0, description="Seconds between two notification polls."
    )

    @field_validator("bluesky_service")
    @classmethod
    def _check_service(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    def bluesky_credentials(self) -> list[tuple[str, SecretStr]]:
        """Every configured (handle, app password) pair, the main account first."""
        pairs: list[tuple[str, SecretStr]] = []
        if self.bluesky_handle and self.bluesky_app_password:
            pairs.append((self.bluesky_handle, self.bluesky_app_password))
        if self.bluesky_extra_accounts:
            for chunk in self.bluesky_extra_accounts.get_secret_value().split(","):
                handle, sep, password = chunk.strip().partition(":")
                if chunk.strip() and (not sep or not handle or not password):
                    raise ValueError(
                        "ENGAGEBOT_BLUESKY_EXTRA_ACCOUNTS: each entry must be handle:app-password"
                    )
                if handle:
                    pairs.append((handle.strip(), SecretStr(password.strip())))
        return pairs


class XSettings(BaseSettings):
    """How to reach X API v2 and what it may cost."""

    x_api_base: str = Field(default="https://api.x.com", description="X API base URL.")
    x_bearer_token: SecretStr | None = Field(
        default=None, description="App-only bearer token (read-only setup)."
    )
    x_client_id: str | None = Field(default=None, description="OAuth 2.0 client id.")
    x_client_secret: SecretStr | None = Field(
        default=None, description="OAuth 2.0 client secret (confidential clients only)."
    )
    x_refresh_token: SecretStr | None = Field(
        default=None,
        description="Initial OAuth 2.0 refresh token; rotated ones are kept in the database.",
    )
    x_redirect_uri: str = Field(
        default="http://127.0.0.1:8765/callback",
        description="OAuth 2.0 redirect URI registered for the app.",
    )
    x_authorize_url: str = Field(
        default="https://x.com/i/oauth2/authorize", description="OAuth 2.0 authorize page."
    )
    x_user_id: str | None = Field(
        default=None, description="The brand's X user id (looked up with /2/users/me if unset)."
    )
    x_monthly_budget_usd: float | None = Field(
        default=None, ge=0, description="Monthly X API spending cap in USD (unset: no cap)."
    )
    x_poll_interval_s: float = Field(
        default=60.0, gt=0, description="Base seconds between two mention polls."
    )
    x_price_owned_read_usd: float = Field(
        default=0.001, ge=0, description="Price per post of an owned read (your own mentions)."
    )
    x_price_post_read_usd: float = Field(
        default=0.005, ge=0, description="Price per post read (other reads)."
    )
    x_price_user_read_usd: float = Field(
        default=0.010, ge=0, description="Price per user read (includes expansions)."
    )
    x_price_post_create_usd: float = Field(
        default=0.015, ge=0, description="Price of creating a post."
    )
    x_price_summoned_reply_usd: float = Field(
        default=0.010, ge=0, description="Price of a reply to a post that mentioned you."
    )
    x_price_url_post_usd: float = Field(
        default=0.200, ge=0, description="Price of a post containing a URL."
    )
    x_price_interaction_usd: float = Field(
        default=0.015, ge=0, description="Price of a like, repost or follow."
    )
    x_price_interaction_delete_usd: float = Field(
        default=0.010, ge=0, description="Price of undoing a like or repost."
    )

    @field_validator("x_api_base")
    @classmethod
    def _check_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")
