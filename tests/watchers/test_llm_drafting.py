"""The LLM client and the drafter against a real OpenAI-compatible HTTP server on loopback.

The server below is a tiny aiohttp app (real sockets, real HTTP), scripted per test: what it
answers, how slowly, with which status. The sandbox's own endpoint is exercised in
``test_llm_sandbox.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr

from engagement.drafting import DraftRequest, DraftSource, Intent, Voice, template_drafts
from engagement.models import Platform
from watchers.drafter import Drafter
from watchers.llm import LLMClient, LLMHTTPError, LLMResponseError, LLMTimeoutError

KEY = "sk-test-5ecret-never-logged"
GOOD = [
    "Great question, Camille! The export lands next week, and we'll post the details here.",
    "Thanks for asking! Which device do you use, so we can confirm it works for you?",
    "Our help center has a step-by-step guide; DM us if anything is unclear.",
]


@dataclass
class Script:
    """What the fake endpoint does on the next requests."""

    status: int = 200
    delay_s: float = 0.0
    content: str = field(default_factory=lambda: json.dumps({"drafts": GOOD}))
    raw_body: str | None = None
    seen: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
async def endpoint() -> AsyncIterator[tuple[str, Script]]:
    script = Script()

    async def completions(request: web.Request) -> web.Response:
        script.seen.append(await request.json())
        script.headers.append(dict(request.headers))
        if script.delay_s:
            await asyncio.sleep(script.delay_s)
        if script.status != 200:
            return web.json_response(
                {"error": {"message": "model overloaded"}}, status=script.status
            )
        if script.raw_body is not None:
            return web.Response(text=script.raw_body, content_type="application/json")
        choice = {"index": 0, "message": {"role": "assistant", "content": script.content}}
        return web.json_response({"id": "c1", "object": "chat.completion", "choices": [choice]})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/v1", script
    finally:
        await runner.cleanup()


def _request(**changes: object) -> DraftRequest:
    fields: dict[str, object] = {
        "item_id": "1790000000000000001",
        "text": "Hi, does the PDF export work on mobile yet?",
        "intent": Intent.QUESTION,
        "platform": Platform.X,
        "language": "en",
        "author_name": "Camille",
        "author_handle": "camille_dev",
    }
    fields.update(changes)
    return DraftRequest(**fields)  # type: ignore[arg-type]


async def test_client_posts_a_chat_completion_and_returns_the_content(
    endpoint: tuple[str, Script],
) -> None:
    url, script = endpoint
    async with LLMClient(url, "tiny-model", api_key=SecretStr(KEY), timeout_s=5) as client:
        content = await client.chat([{"role": "user", "content": "hello"}])
    assert json.loads(content) == {"drafts": GOOD}
    body = script.seen[0]
    assert body["model"] == "tiny-model"
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert script.headers[0]["Authorization"] == f"Bearer {KEY}"
    assert KEY not in repr(client)


async def test_client_sends_no_authorization_without_a_key(endpoint: tuple[str, Script]) -> None:
    url, script = endpoint
    async with LLMClient(url, "m", timeout_s=5) as client:
        await client.chat([{"role": "user", "content": "x"}])
    assert "Authorization" not in script.headers[0]


async def test_client_errors_are_typed_and_never_show_the_key(
    endpoint: tuple[str, Script],
) -> None:
    url, script = endpoint
    messages = [{"role": "user", "content": "x"}]
    async with LLMClient(url, "m", api_key=SecretStr(KEY), timeout_s=0.3) as client:
        script.status = 503
        with pytest.raises(LLMHTTPError) as http_error:
            await client.chat(messages)
        assert http_error.value.status == 503
        assert "model overloaded" in str(http_error.value)
        script.status, script.delay_s = 200, 1.0
        with pytest.raises(LLMTimeoutError):
            await client.chat(messages)
        script.delay_s, script.raw_body = 0.0, '{"choices": [{"message": {"content": "trunc'
        with pytest.raises(LLMResponseError):
            await client.chat(messages)
        script.raw_body = json.dumps({"choices": [{"message": {"content": None}}]})
        with pytest.raises(LLMResponseError):
            await client.chat(messages)
        assert KEY not in str(http_error.value)


async def test_client_reports_a_refused_connection() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    async with LLMClient(f"http://127.0.0.1:{port}/v1", "m", timeout_s=2) as client:
        with pytest.raises(LLMHTTPError) as error:
            await client.chat([{"role": "user", "content": "x"}])
    assert error.value.status == 0


async def test_drafter_returns_the_models_drafts_when_valid(endpoint: tuple[str, Script]) -> None:
    url, script = endpoint
    async with LLMClient(url, "m", api_key=SecretStr(KEY), timeout_s=5) as client:
        drafts = await Drafter(client).drafts(_request())
    assert [d.text for d in drafts] == GOOD
    assert all(d.source is DraftSource.LLM for d in drafts)
    assert all(d.limit == 280 and 0 < d.length <= 280 for d in drafts)
    system = script.seen[0]["messages"][0]["content"]
    assert "280 weighted characters" in system
    assert "English" in system


@pytest.mark.parametrize("fault", ["timeout", "http_error", "malformed_json", "not_json_content"])
async def test_drafter_falls_back_to_templates_and_says_so(
    endpoint: tuple[str, Script], fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    url, script = endpoint
    if fault == "timeout":
        script.delay_s = 1.0
    elif fault == "http_error":
        script.status = 500
    elif fault == "malformed_json":
        script.raw_body = '{"choices": [{"mess'
    else:
        script.content = "Here are three ideas: 1) thanks 2) hello 3) welcome"
    request = _request()
    caplog.set_level(logging.INFO, logger="watchers")
    async with LLMClient(url, "m", api_key=SecretStr(KEY), timeout_s=0.3) as client:
        drafts = await Drafter(client).drafts(request)
    assert drafts == template_drafts(request)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings
    assert "using templates" in warnings[0].getMessage()
    assert request.item_id in warnings[0].getMessage()
    assert KEY not in caplog.text


async def test_over_length_answers_fall_back_to_templates(
    endpoint: tuple[str, Script], caplog: pytest.LogCaptureFixture
) -> None:
    url, script = endpoint
    script.content = json.dumps({"drafts": ["word " * 60, "é" * 281, "🎉" * 141]})
    request = _request()
    async with LLMClient(url, "m", timeout_s=5) as client:
        drafts = await Drafter(client).drafts(request)
    assert drafts == template_drafts(request)
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3
    assert all("too long" in message for message in refused)


async def test_each_invalid_draft_is_replaced_by_a_template(endpoint: tuple[str, Script]) -> None:
    url, script = endpoint
    request = _request(voice=Voice(avoid_words=("cheap",)))
    script.content = json.dumps(
        {
            "drafts": [
                GOOD[0],
                "Grab it at https://evil.example/deal before it is gone!",
                "It's cheap and works great on mobile, try it!",
                GOOD[1],
            ]
        }
    )
    async with LLMClient(url, "m", timeout_s=5) as client:
        drafts = await Drafter(client).drafts(request)
    templates = template_drafts(request)
    assert [d.source for d in drafts] == [
        DraftSource.LLM,
        DraftSource.TEMPLATE,
        DraftSource.TEMPLATE,
    ]
    assert drafts[0].text == GOOD[0]
    assert [d.text for d in drafts[1:]] == [t.text for t in templates[:2]]
    assert len({d.text for d in drafts}) == 3


async def test_duplicates_mentions_and_short_answers_are_refused(
    endpoint: tuple[str, Script],
) -> None:
    url, script = endpoint
    script.content = json.dumps({"drafts": [GOOD[0], GOOD[0].upper(), f"Ask @support: {GOOD[1]}"]})
    async with LLMClient(url, "m", timeout_s=5) as client:
        drafter = Drafter(client)
        drafts = await drafter.drafts(_request())
        assert [d.source for d in drafts].count(DraftSource.LLM) == 1
        script.content = json.dumps({"drafts": [GOOD[2]]})
        drafts = await drafter.drafts(_request())
    assert drafts[0].text == GOOD[2]
    assert [d.source for d in drafts] == [
        DraftSource.LLM,
        DraftSource.TEMPLATE,
        DraftSource.TEMPLATE,
    ]


async def test_french_items_get_french_llm_drafts_checked_and_signed(
    endpoint: tuple[str, Script],
) -> None:
    url, script = endpoint
    french = [
        "Bonne question ! L'export PDF arrive la semaine prochaine, on vous tient au courant.",
        "Merci pour la question ! Sur quel appareil êtes-vous, pour qu'on vérifie ?",
        "The guide is in our help center, send us a DM if anything is unclear.",
    ]
    script.content = json.dumps({"drafts": french})
    request = _request(
        language="fr",
        platform=Platform.BLUESKY,
        text="Est-ce que l'export PDF marche sur mobile ?",
        voice=Voice(signoff="— Léa"),
    )
    async with LLMClient(url, "m", timeout_s=5) as client:
        drafts = await Drafter(client).drafts(request)
    assert [d.source for d in drafts] == [DraftSource.LLM, DraftSource.LLM, DraftSource.TEMPLATE]
    assert drafts[0].text == french[0] + "\n— Léa"
    assert drafts[2].text.endswith("\n— Léa")
    assert "French" in script.seen[0]["messages"][0]["content"]


async def test_without_a_model_the_drafter_uses_templates_only() -> None:
    drafter = Drafter(None)
    assert not drafter.uses_llm
    assert await drafter.drafts(_request()) == template_drafts(_request())
