"""Core settings (database, logging, time) and the loader that turns errors into one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "ENGAGEBOT_"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/engagebot.db"

S = TypeVar("S", bound=BaseSettings)


class SettingsError(Exception):
    """A setting is missing or invalid; the message names the variable and the problem."""


class CoreSettings(BaseSettings):
    """Database, logging and local-time settings."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # `ENGAGEBOT_X=` (as in .env.example) means "not set"
        validate_default=True,
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: SQLite (default) or postgresql+asyncpg://…",
    )
    log_level: str = Field(default="INFO", description="Logging level.")
    timezone: str = Field(default="Europe/Paris", description="IANA timezone for local times.")

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// (async drivers)"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return upper

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)

    def sqlite_path(self) -> Path | None:
        """The SQLite database file, or ``None`` for another backend or in-memory SQLite."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        rest = self.database_url[len(prefix) :]
        return None if rest in {"", ":memory:"} else Path(rest)


def _describe(error: Any) -> str:
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    name = ENV_PREFIX + loc[0].upper() if loc else "settings"
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "missing":
        message = "is required but not set"
        return f"{name} {message}"
    return f"{name}: {message}"


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Build settings once from the environment and ``.env``.

    Args:
        cls: The settings class to build.
        **overrides: Values that take precedence (tests, CLI flags).

    Returns:
        The validated settings.

    Raises:
        SettingsError: With one line naming the first bad variable and what is wrong.
    """
    try:
        return cls(**overrides)
    except ValidationError as exc:
        errors = exc.errors()
        raise SettingsError("; ".join(_describe(e) for e in errors)) from None
