"""Voice and LLM wiring from settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.drafting import build_drafter, llm_client_from_settings, voice_from_settings
from bot.settings import Settings, SettingsError, load_settings
from engagement.drafting import Formality, Tone


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ENGAGEBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_voice_comes_from_voice_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_VOICE_TONE", "storytelling")
    monkeypatch.setenv("ENGAGEBOT_VOICE_FORMALITY", "tu")
    monkeypatch.setenv("ENGAGEBOT_VOICE_EMOJI", "false")
    monkeypatch.setenv("ENGAGEBOT_VOICE_SIGNOFF", "  — Léa ")
    monkeypatch.setenv("ENGAGEBOT_VOICE_AVOID_WORDS", "promo, , Gratuit ,promo, pas cher")
    monkeypatch.setenv("ENGAGEBOT_VOICE_GUIDE", "Chaleureux.")
    monkeypatch.setenv("ENGAGEBOT_BRAND_NAME", "Plume")
    voice = voice_from_settings(load_settings(Settings))
    assert voice.tone is Tone.STORYTELLING
    assert voice.formality is Formality.TU
    assert voice.emoji is False
    assert voice.signoff == "— Léa"
    assert voice.avoid_words == ("promo", "Gratuit", "pas cher")
    assert voice.guide == "Chaleureux."
    assert voice.brand_name == "Plume"


def test_bad_tone_is_a_one_line_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGEBOT_VOICE_TONE", "sarcastic")
    with pytest.raises(SettingsError, match="ENGAGEBOT_VOICE_TONE"):
        load_settings(Settings)


def test_llm_client_only_when_configured() -> None:
    settings = load_settings(Settings)
    assert llm_client_from_settings(settings) is None
    drafter, client = build_drafter(settings)
    assert client is None
    assert not drafter.uses_llm
    with pytest.raises(SettingsError, match="ENGAGEBOT_LLM_MODEL"):
        llm_client_from_settings(load_settings(Settings, llm_base_url="http://127.0.0.1:1/v1"))
    configured = load_settings(
        Settings,
        llm_base_url="http://127.0.0.1:1/v1/",
        llm_model="qwen",
        llm_api_key=SecretStr("k-123"),
        llm_timeout_s=3,
    )
    client = llm_client_from_settings(configured)
    assert client is not None
    assert client.url == "http://127.0.0.1:1/v1/chat/completions"
    assert client.model == "qwen"
    assert "k-123" not in repr(client)
    assert "k-123" not in repr(configured)


@pytest.mark.parametrize(("value", "expected"), [("", None), ("http://h:1/v1/", "http://h:1/v1")])
def test_llm_base_url_is_normalized(value: str, expected: str | None) -> None:
    assert load_settings(Settings, llm_base_url=value).llm_base_url == expected


def test_llm_base_url_must_be_http() -> None:
    with pytest.raises(SettingsError, match="ENGAGEBOT_LLM_BASE_URL: must be an http"):
        load_settings(Settings, llm_base_url="ftp://h/v1")
