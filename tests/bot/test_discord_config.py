import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.discord_app import ConfigStore, apply_changes, parse_webhook_url
from bot.discord_app._webhook_mode import seconds_until_next
from cogs.digest import is_due, period_key, scheduled_time
from cogs.ports import TeamConfig

DEFAULTS = TeamConfig(
    digest_channel_id=None,
    alerts_channel_id=None,
    digest_time="09:00",
    timezone="Europe/Paris",
    brand_role="Community",
    large_account_followers=10_000,
    voice_tone="practical",
    topics=(),
)


def test_changes_are_validated_and_persisted(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path / "sub" / "team.json", DEFAULTS)
    assert store.load() == DEFAULTS
    config = apply_changes(
        DEFAULTS,
        {
            "digest_channel_id": "<#123>",
            "digest_time": "7:05",
            "timezone": "America/Montreal",
            "brand_role": "<@&456>",
            "topics": "notes, pdf ,, notes",
            "voice_tone": "playful",
            "large_account_followers": "5000",
        },
    )
    store.save(config)
    assert ConfigStore(store.path, DEFAULTS).load() == config
    assert config.digest_time == "07:05"
    assert config.topics == ("notes", "pdf")
    assert config.brand_role == "456"
    saved = json.loads(store.path.read_text())
    assert "alerts_channel_id" not in saved  # only what differs from the settings


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"digest_time": "25:00"}, "not a time"),
        ({"timezone": "Mars/Olympus"}, "IANA"),
        ({"voice_tone": "angry"}, "tone must be"),
        ({"digest_channel_id": "general"}, "not a channel"),
        ({"large_account_followers": "-3"}, "number of followers"),
        ({"nope": "1"}, "unknown setting"),
    ],
)
def test_bad_values_are_refused(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        apply_changes(DEFAULTS, change)


def test_a_corrupt_file_falls_back_to_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    path.write_text("{not json")
    assert ConfigStore(path, DEFAULTS).load() == DEFAULTS
    path.write_text(json.dumps({"digest_time": "99:99", "voice_tone": "punchy"}))
    assert ConfigStore(path, DEFAULTS).load().voice_tone == "punchy"
    assert ConfigStore(path, DEFAULTS).load().digest_time == "09:00"


def test_the_configuration_is_cached_until_saved_or_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    store = ConfigStore(path, DEFAULTS)
    assert store.load() is DEFAULTS  # no file yet
    saved = apply_changes(DEFAULTS, {"voice_tone": "punchy"})
    store.save(saved)
    first = store.load()
    assert first == saved
    assert store.load() is first  # not read and validated again
    # Another process (or an admin) rewrites the file: the next load sees it.
    path.write_text(json.dumps({"voice_tone": "storytelling", "digest_time": "07:15"}), "utf-8")
    changed = store.load()
    assert (changed.voice_tone, changed.digest_time) == ("storytelling", "07:15")
    assert store.load() is changed
    path.write_text("{not json", "utf-8")
    assert store.load() == DEFAULTS
    path.unlink()
    assert store.load() is DEFAULTS
    store.save(apply_changes(DEFAULTS, {"digest_time": "08:45"}))
    assert store.load().digest_time == "08:45"


def test_schedule_uses_local_time_and_periods() -> None:
    at = scheduled_time(DEFAULTS)
    assert (at.hour, at.minute, str(at.tzinfo)) == (9, 0, "Europe/Paris")
    before = datetime(2026, 11, 25, 7, 59, tzinfo=UTC)  # 08:59 in Paris
    after = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert not is_due(before, DEFAULTS)
    assert is_due(after, DEFAULTS)
    assert period_key(datetime(2026, 11, 25, 23, 30, tzinfo=UTC), DEFAULTS) == "2026-11-26"
    assert seconds_until_next(before, DEFAULTS) == 60
    assert seconds_until_next(after, DEFAULTS) == 24 * 3600


@pytest.mark.parametrize(
    ("url", "base", "ident"),
    [
        (
            "https://discord.com/api/webhooks/123456789012345678/tok-EN_1.x",
            "https://discord.com/api/v10",
            123456789012345678,
        ),
        ("http://127.0.0.1:8080/api/webhooks/1/abc", "http://127.0.0.1:8080/api/v10", 1),
        (
            "http://127.0.0.1:8080/discord.com/api/webhooks/1/abc",
            "http://127.0.0.1:8080/api/v10",
            1,
        ),
        ("http://127.0.0.1:8080/api/v9/webhooks/1/abc", "http://127.0.0.1:8080/api/v9", 1),
    ],
)
def test_webhook_urls(url: str, base: str, ident: int) -> None:
    assert parse_webhook_url(url)[:2] == (base, ident)


@pytest.mark.parametrize("url", ["https://discord.com/api/channels/1", "ftp://x/webhooks/1/a", ""])
def test_bad_webhook_urls(url: str) -> None:
    with pytest.raises(ValueError, match="webhook URL"):
        parse_webhook_url(url)
