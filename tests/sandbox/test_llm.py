"""The sandbox's OpenAI-compatible chat-completions endpoint, through a plain aiohttp client."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from sandbox import SandboxServer
from sandbox import _credentials as creds
from sandbox._llm_text import detect_language

AUTH = {"Authorization": f"Bearer {creds.LLM_API_KEY}"}
SYSTEM = {"role": "system", "content": "You draft short replies for a brand's community manager."}


def _ask(post: str, **extra: Any) -> dict[str, Any]:
    user = {"role": "user", "content": f'Draft three replies to this post:\n"""{post}"""'}
    return {"model": creds.LLM_MODEL, "messages": [SYSTEM, user], **extra}


async def _complete(
    http: aiohttp.ClientSession, sb: SandboxServer, body: Any, headers: dict[str, str] = AUTH
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{sb.llm_base_url}/chat/completions", json=body, headers=headers) as resp:
        assert resp.headers["Content-Type"] == "application/json"
        return resp.status, await resp.json()


async def test_three_french_drafts_as_json_deterministically(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    body = _ask(
        "Bonjour, est-ce que la synchro marche sur Linux ?", response_format={"type": "json_object"}
    )
    status, first = await _complete(http, sandbox, body)
    assert status == 200
    assert first["object"] == "chat.completion"
    assert first["model"] == creds.LLM_MODEL
    (choice,) = first["choices"]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    payload = json.loads(choice["message"]["content"])
    assert payload["language"] == "fr"
    assert payload["intent"] == "question"
    assert len(payload["drafts"]) == 3
    assert len(set(payload["drafts"])) == 3
    assert all(detect_language(d) == "fr" and len(d) <= 280 for d in payload["drafts"])
    assert first["usage"]["total_tokens"] == (
        first["usage"]["prompt_tokens"] + first["usage"]["completion_tokens"]
    )
    _, second = await _complete(http, sandbox, body)
    assert second["choices"] == first["choices"]
    _, other = await _complete(http, sandbox, _ask("Is dark mode coming to Android?"))
    lines = other["choices"][0]["message"]["content"].splitlines()
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. "]
    assert detect_language(" ".join(lines)) == "en"


async def test_complaint_gets_apologies_and_json_word_triggers_json(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    body = _ask("The app crashes every time I open a notebook, not working at all")
    body["messages"][0] = {"role": "system", "content": "Answer in JSON."}
    _, answer = await _complete(http, sandbox, body)
    payload = json.loads(answer["choices"][0]["message"]["content"])
    assert payload["intent"] == "complaint"
    assert payload["language"] == "en"


async def test_overlong_and_not_json_markers(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    _, answer = await _complete(
        http,
        sandbox,
        _ask("Super appli [[sandbox:overlong]]", response_format={"type": "json_object"}),
    )
    drafts = json.loads(answer["choices"][0]["message"]["content"])["drafts"]
    assert all(len(d) > 300 for d in drafts)
    _, answer = await _complete(
        http,
        sandbox,
        _ask("Super appli [[sandbox:not-json]]", response_format={"type": "json_object"}),
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer["choices"][0]["message"]["content"])


async def test_max_tokens_truncates_with_length(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    _, answer = await _complete(http, sandbox, _ask("Merci pour la v2 !", max_tokens=5, n=2))
    assert len(answer["choices"]) == 2
    assert answer["choices"][0]["finish_reason"] == "length"
    assert len(answer["choices"][0]["message"]["content"]) == 20


async def test_error_marker_and_fault_endpoint(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _complete(http, sandbox, _ask("hello [[sandbox:error=503]]"))
    assert status == 503
    assert body["error"]["type"] == "server_error"
    async with http.post(
        f"{sandbox.url}/_sandbox/faults",
        json={"endpoint": "POST /v1/chat/completions", "status": 500},
    ) as resp:
        assert resp.status == 200
    status, _ = await _complete(http, sandbox, _ask("hello"))
    assert status == 500
    status, _ = await _complete(http, sandbox, _ask("hello"))
    assert status == 200


async def test_slow_marker_trips_a_client_timeout(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(asyncio.TimeoutError):
        async with http.post(
            f"{sandbox.llm_base_url}/chat/completions",
            headers=AUTH,
            json=_ask("hello [[sandbox:slow=0.6]]"),
            timeout=aiohttp.ClientTimeout(total=0.1),
        ) as resp:
            await resp.read()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"model": creds.LLM_MODEL, "messages": []}, 400),
        ({"model": creds.LLM_MODEL, "messages": [{"role": "bot", "content": "x"}]}, 400),
        ({"model": creds.LLM_MODEL, "messages": [{"role": "user", "content": 3}]}, 400),
        ({**_ask("x"), "stream": True}, 400),
        ({**_ask("x"), "max_tokens": 0}, 400),
        ({**_ask("x"), "model": "gpt-9"}, 404),
        (["not", "an", "object"], 400),
    ],
)
async def test_bad_requests(
    sandbox: SandboxServer, http: aiohttp.ClientSession, body: Any, status: int
) -> None:
    got, answer = await _complete(http, sandbox, body)
    assert got == status
    assert answer["error"]["type"] == "invalid_request_error"


async def test_api_key_required_and_models_listed(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _complete(http, sandbox, _ask("x"), headers={})
    assert status == 401
    assert body["error"]["code"] == "invalid_api_key"
    async with http.get(f"{sandbox.llm_base_url}/models", headers=AUTH) as resp:
        models = await resp.json()
    assert [m["id"] for m in models["data"]] == [creds.LLM_MODEL]
    async with http.get(f"{sandbox.url}/_sandbox/state", params={"log": "0"}) as resp:
        assert (await resp.json())["llm"]["requests"] == 0
