"""Drafting against the sandbox's OpenAI-compatible endpoint (the real target in tests).

Faults come from the sandbox itself: its prompt markers (``[[sandbox:slow=S]]``,
``[[sandbox:error=N]]``, ``[[sandbox:overlong]]``, ``[[sandbox:not-json]]``) and its generic
``POST /_sandbox/faults`` queue for ``POST /v1/chat/completions``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from engagement.drafting import (
    DraftRequest,
    DraftSource,
    Intent,
    Voice,
    detect_language,
    measure,
    template_drafts,
)
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from watchers.drafter import Drafter
from watchers.llm import LLMClient

ENDPOINT = "POST /v1/chat/completions"


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with SandboxServer(scenario="quiet-day", seed=3, clock=clock) as sb:
        yield sb


def _client(sb: SandboxServer, *, timeout_s: float = 5.0, key: str | None = None) -> LLMClient:
    env = sb.env()
    return LLMClient(
        env["ENGAGEBOT_LLM_BASE_URL"],
        env["ENGAGEBOT_LLM_MODEL"],
        api_key=SecretStr(key if key is not None else env["ENGAGEBOT_LLM_API_KEY"]),
        timeout_s=timeout_s,
    )


def _request(text: str, language: str, platform: Platform = Platform.BLUESKY) -> DraftRequest:
    return DraftRequest(
        item_id=f"sandbox-{language}-{platform}",
        text=text,
        intent=Intent.QUESTION,
        platform=platform,
        language=language,
        author_name="Camille",
        author_handle="camille.bsky.social",
        root_text="Plume 2.0 est sortie !",
        voice=Voice(brand_name="Plume"),
    )


async def _state(sb: SandboxServer) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state?log=0") as r:
        data: dict[str, Any] = await r.json()
        return data


async def _fault(sb: SandboxServer, **fault: object) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sb.url}/_sandbox/faults", json={"endpoint": ENDPOINT, **fault}) as r,
    ):
        assert r.status == 200, await r.text()


@pytest.mark.parametrize(
    ("text", "language", "platform"),
    [
        ("Est-ce que l'export PDF marche sur Android ?", "fr", Platform.BLUESKY),
        ("Does the PDF export work on Android?", "en", Platform.X),
    ],
)
async def test_drafts_come_from_the_sandbox_model_in_the_items_language(
    sandbox: SandboxServer, text: str, language: str, platform: Platform
) -> None:
    request = _request(text, language, platform)
    async with _client(sandbox) as client:
        drafts = await Drafter(client).drafts(request)
    assert [d.source for d in drafts] == [DraftSource.LLM] * 3
    assert drafts != template_drafts(request)
    assert len({d.text for d in drafts}) == 3
    for draft in drafts:
        assert (draft.length, draft.limit) == measure(draft.text, platform)
        assert draft.length <= draft.limit
        assert detect_language(draft.text) in {language, None}
    state = await _state(sandbox)
    assert state["llm"]["requests"] == 1
    assert text in state["llm"]["last_prompt"]
    assert "Plume 2.0 est sortie !" in state["llm"]["last_prompt"]


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("[[sandbox:slow=1]]", "LLMTimeoutError"),
        ("[[sandbox:error=503]]", "HTTP 503"),
        ("[[sandbox:error=429]]", "HTTP 429"),
        ("[[sandbox:not-json]]", "answer is not JSON"),
    ],
)
async def test_timeout_error_and_prose_fall_back_to_templates(
    sandbox: SandboxServer, marker: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    request = _request(f"Est-ce que l'export PDF marche ? {marker}", "fr")
    async with _client(sandbox, timeout_s=0.3) as client:
        drafts = await Drafter(client).drafts(request)
    assert drafts == template_drafts(request)
    warning = next(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "using templates" in warning
    assert expected in warning
    assert "sandbox-llm-key" not in caplog.text


async def test_over_length_answers_fall_back_to_templates(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    request = _request("Does the export work on mobile? [[sandbox:overlong]]", "en", Platform.X)
    async with _client(sandbox) as client:
        drafts = await Drafter(client).drafts(request)
    assert drafts == template_drafts(request)
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3
    assert all("too long (" in message and "> 280)" in message for message in refused)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 500}, "HTTP 500"),
        ({"malformed": True}, "LLMResponseError"),
        ({"delay_s": 1.0}, "LLMTimeoutError"),
    ],
)
async def test_queued_sandbox_faults_fall_back_then_recover(
    sandbox: SandboxServer,
    fault: dict[str, object],
    expected: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _fault(sandbox, count=1, **fault)
    request = _request("Est-ce que l'export PDF marche ?", "fr")
    async with _client(sandbox, timeout_s=0.3) as client:
        drafter = Drafter(client)
        first = await drafter.drafts(request)
        second = await drafter.drafts(request)
    assert first == template_drafts(request)
    assert expected in caplog.text
    assert [d.source for d in second] == [DraftSource.LLM] * 3


async def test_a_wrong_key_is_an_http_error_and_the_key_is_not_logged(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    request = _request("Does it work?", "en")
    async with _client(sandbox, key="sk-wrong-but-secret") as client:
        drafts = await Drafter(client).drafts(request)
    assert drafts == template_drafts(request)
    assert "HTTP 401" in caplog.text
    assert "sk-wrong-but-secret" not in caplog.text
