"""``engagebot draft``: in-process for templates, as a real process against a loopback LLM."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import regex
from aiohttp import web

from bot.cli import main


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ENGAGEBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["draft", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_french_question_gets_three_french_json_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--text", "Bonjour, est-ce que l'export PDF marche sur mobile ?",
        "--platform", "x",
        "--author", "Camille",
        "--json",
    )  # fmt: skip
    assert code == 0
    drafts = json.loads(out)
    assert isinstance(drafts, list)
    assert len(drafts) == 3
    for draft in drafts:
        assert set(draft) == {"text", "length", "limit", "source"}
        assert draft["source"] == "template"
        assert draft["limit"] == 280
        assert 0 < draft["length"] <= 280
        assert "Camille" in draft["text"]
    assert len({d["text"] for d in drafts}) == 3
    assert all(regex.search(r"(?i)question|avec plaisir", d["text"]) for d in drafts)
    assert all(regex.search(r"(?<!\p{L})vous(?!\p{L})", d["text"]) for d in drafts)


def test_kind_language_and_voice_come_from_flags_and_env(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGEBOT_VOICE_FORMALITY", "tu")
    monkeypatch.setenv("ENGAGEBOT_VOICE_EMOJI", "false")
    monkeypatch.setenv("ENGAGEBOT_VOICE_SIGNOFF", "— Léa")
    monkeypatch.setenv("ENGAGEBOT_VOICE_AVOID_WORDS", "merci, désolés")
    code, out, _ = _run(
        capsys, "--text", "Ton appli plante depuis la mise à jour", "--lang", "fr", "--json"
    )
    assert code == 0
    drafts = json.loads(out)
    for draft in drafts:
        assert draft["limit"] == 300
        assert draft["text"].endswith("\n— Léa")
        assert not regex.search(r"(?i)(?<!\p{L})(merci|désolés|vous|votre)(?!\p{L})", draft["text"])
        assert not regex.search(r"\p{Extended_Pictographic}", draft["text"])
    code, out, _ = _run(capsys, "--text", "Great launch!", "--kind", "repost")
    assert code == 0
    assert out.startswith("repost · bluesky · en\n")
    assert out.count(" template · ") == 3


def test_human_output_lists_numbered_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--text", "Why is my order late again?")
    assert code == 0
    assert out.startswith("complaint · bluesky · en")
    assert out.count("[1] template · ") == 1
    assert "[3] template · " in out
    assert "/300" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "   "], "--text is empty"),
        (["--text", "hi", "--lang", "f r!"], "is not a language tag"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_llm_without_model_is_a_settings_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGEBOT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    code, _, err = _run(capsys, "--text", "hello there?")
    assert code == 2
    assert "ENGAGEBOT_LLM_MODEL" in err


@pytest.fixture
async def llm_url() -> AsyncIterator[str]:
    async def completions(request: web.Request) -> web.Response:
        body = await request.json()
        assert request.headers["Authorization"] == "Bearer cli-key"
        system = body["messages"][0]["content"]
        drafts = (
            ["Bonne question ! On vérifie et on vous répond ici même.",
             "Merci ! Sur quel appareil êtes-vous ?",
             "Notre guide explique tout, écrivez-nous en privé si besoin."]
            if "French" in system
            else ["x" * 400, "y" * 400, "z" * 400]
        )  # fmt: skip
        content = json.dumps({"drafts": drafts})
        return web.json_response({"choices": [{"message": {"content": content}}]})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


async def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the real CLI entry point in a worker thread (it owns its event loop)."""
    code = await asyncio.to_thread(main, ["draft", *args])
    return code, capsys.readouterr().out


async def test_cli_uses_the_configured_llm_and_falls_back_when_invalid(
    llm_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("ENGAGEBOT_LLM_BASE_URL", llm_url)
    monkeypatch.setenv("ENGAGEBOT_LLM_MODEL", "tiny")
    monkeypatch.setenv("ENGAGEBOT_LLM_API_KEY", "cli-key")
    text = "Est-ce que l'export PDF marche sur mobile ?"
    code, out = await _cli(capsys, "--text", text, "--json")
    assert code == 0
    drafts = json.loads(out)
    assert [d["source"] for d in drafts] == ["llm", "llm", "llm"]
    assert drafts[0]["text"].startswith("Bonne question")
    code, out = await _cli(capsys, "--text", "Does it work on mobile?", "--json")
    assert code == 0
    assert [d["source"] for d in json.loads(out)] == ["template"] * 3
    assert "refused (too long" in caplog.text
    assert "cli-key" not in caplog.text
    code, out = await _cli(capsys, "--text", text, "--json", "--templates-only")
    assert [d["source"] for d in json.loads(out)] == ["template"] * 3
