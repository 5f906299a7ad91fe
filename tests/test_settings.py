"""Settings: every field documented in .env.example and the README; clear one-line errors."""

from __future__ import annotations

import os
import re
import runpy
import shutil
from pathlib import Path

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings

from bot.settings import Settings, SettingsError, load_settings
from bot.settings._core import ENV_PREFIX, CoreSettings

ROOT = Path(__file__).resolve().parents[1]
ENV_LINE = re.compile(r"^(ENGAGEBOT_[A-Z0-9_]+)=(.*)$")


def _variables() -> set[str]:
    return {ENV_PREFIX + name.upper() for name in Settings.model_fields}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No ENGAGEBOT_ variable and no .env from the developer's machine."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_env_example_lists_every_setting_with_a_comment_above() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    seen: list[str] = []
    for number, line in enumerate(lines):
        match = ENV_LINE.match(line)
        if match is None:
            assert not line or line.startswith("#"), f"line {number + 1}: {line!r}"
            continue
        seen.append(match.group(1))
        above = lines[number - 1] if number else ""
        assert re.match(r"^# \S", above), f"{match.group(1)} has no one-line comment above"
    assert len(seen) == len(set(seen)), "a variable is listed twice"
    assert set(seen) - _variables() == set(), "in .env.example but not a setting"
    assert _variables() - set(seen) == set(), "a setting missing from .env.example"


def test_env_example_copied_to_dot_env_loads_the_defaults(clean_env: Path) -> None:
    shutil.copy(ROOT / ".env.example", clean_env / ".env")
    assert load_settings(Settings) == Settings()
    assert load_settings(Settings).database_url.startswith("sqlite+aiosqlite://")


def test_readme_table_matches_the_settings_class() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "settings_table.py"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script["readme_with_table"](readme) == readme, (
        "README.md's configuration table is stale: run python scripts/settings_table.py --write"
    )
    assert all(f"`{name}`" in readme for name in _variables())


def test_dot_env_and_environment_are_read(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text(
        "ENGAGEBOT_TIMEZONE=America/Montreal\nENGAGEBOT_LOG_LEVEL=debug\n"
    )
    monkeypatch.setenv("ENGAGEBOT_LOG_LEVEL", "warning")
    settings = load_settings(Settings)
    assert settings.timezone == "America/Montreal"
    assert settings.log_level == "WARNING"  # the environment wins over .env


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("ENGAGEBOT_DATABASE_URL", "mysql://u@h/db", "ENGAGEBOT_DATABASE_URL: must start with"),
        ("ENGAGEBOT_TIMEZONE", "Mars/Olympus_Mons", "ENGAGEBOT_TIMEZONE: unknown IANA timezone"),
        ("ENGAGEBOT_BLUESKY_POLL_INTERVAL_S", "0", "ENGAGEBOT_BLUESKY_POLL_INTERVAL_S:"),
        ("ENGAGEBOT_DISCORD_GUILD_ID", "not-a-number", "ENGAGEBOT_DISCORD_GUILD_ID:"),
        ("ENGAGEBOT_DIGEST_TIME", "25:99", "ENGAGEBOT_DIGEST_TIME:"),
    ],
)
def test_invalid_values_name_the_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as info:
        load_settings(Settings)
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message


class _NeedsToken(CoreSettings):
    api_token: str = Field(description="A required value.")


def test_missing_required_value_names_the_variable(clean_env: Path) -> None:
    with pytest.raises(SettingsError, match=r"^ENGAGEBOT_API_TOKEN is required but not set$"):
        load_settings(_NeedsToken)


def test_empty_value_means_not_set(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_DISCORD_GUILD_ID", "")
    monkeypatch.setenv("ENGAGEBOT_BLUESKY_POLL_INTERVAL_S", "")
    settings = load_settings(Settings)
    assert settings.discord_guild_id is None
    assert (
        settings.bluesky_poll_interval_s == Settings.model_fields["bluesky_poll_interval_s"].default
    )


def test_secrets_never_show_in_repr(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_BLUESKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    settings = load_settings(Settings)
    assert "abcd-efgh" not in repr(settings)
    assert "abcd-efgh" not in str(settings.model_dump())
    assert settings.bluesky_app_password is not None
    assert settings.bluesky_app_password.get_secret_value() == "abcd-efgh-ijkl-mnop"


def test_every_field_is_described() -> None:
    undocumented = [n for n, f in Settings.model_fields.items() if not f.description]
    assert undocumented == []
    assert issubclass(Settings, BaseSettings)
