"""An OpenAI-compatible chat-completions endpoint that answers deterministically.

Routes: ``GET /v1/models`` and ``POST /v1/chat/completions`` (``Authorization: Bearer
<LLM_API_KEY>`` required; model must be :data:`~sandbox._credentials.LLM_MODEL`).

**What it answers.** It drafts replies to the *post* found in the last ``user`` message: the
text inside the first ``\"\"\"…\"\"\"`` or triple-backtick block, else the text after a line
starting ``Post:``/``Message:``/``Text:``, else the whole message. It detects the post's language
(``fr``/``en``) and intent (complaint, question, praise) and returns three short drafts in that
language, chosen by a hash of the post (same prompt, same answer):

* JSON requested (``response_format`` ``json_object``/``json_schema``, or the word ``JSON`` in
  any message): the content is ``{"drafts": [three strings], "language": "fr", "intent": "..."}``.
* Otherwise: three lines ``1. …``, ``2. …``, ``3. …``.

``n`` > 1 returns that many identical choices; ``max_tokens`` (or ``max_completion_tokens``)
truncates the content to ~4 characters per token with ``finish_reason: "length"``.

**Magic markers** anywhere in the prompt (for fallback tests), or the generic
``/_sandbox/faults`` with endpoint ``POST /v1/chat/completions``:

* ``[[sandbox:slow=SECONDS]]``: wait that many real seconds before answering (client timeouts).
* ``[[sandbox:error=STATUS]]``: answer ``STATUS`` with OpenAI's error body.
* ``[[sandbox:overlong]]``: every draft is about 400 characters (over Bluesky's and X's limits).
* ``[[sandbox:not-json]]``: when JSON was asked for, answer prose instead.

Each answered request is counted in ``/_sandbox/state`` under ``llm`` (requests, last prompt).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from typing import Any

from aiohttp import web

from sandbox import _credentials as creds
from sandbox._control import WORLD, json_response
from sandbox._llm_text import drafts_for
from sandbox._world import World

__all__ = ["MODEL", "register"]

MODEL = creds.LLM_MODEL
_MARKER = re.compile(r"\[\[sandbox:([a-z-]+)(?:=([0-9.]+))?\]\]")
_BLOCK = re.compile(r'"""(.*?)"""|```(?:\w*\n)?(.*?)```', re.DOTALL)
_LABEL = re.compile(r"^(?:post|message|text|tweet)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
_STATS = web.AppKey("llm_stats", dict[str, Any])


def _error(status: int, message: str, type_: str, code: str | None = None) -> web.Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return json_response(body, status)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def post_of(prompt: str) -> str:
    """The post a drafting prompt is about (see the module docstring)."""
    block = _BLOCK.search(prompt)
    if block:
        return (block.group(1) or block.group(2) or "").strip()
    label = _LABEL.search(prompt)
    return label.group(1).strip() if label else prompt.strip()


def _content(messages: list[dict[str, Any]], wants_json: bool, markers: dict[str, str]) -> str:
    user = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
    post = _MARKER.sub("", post_of(user[-1] if user else "")).strip()
    lang, intent, drafts = drafts_for(post)
    if "overlong" in markers:
        drafts = [(d + " ") * (400 // len(d) + 1) for d in drafts]
        drafts = [d[:400].strip() for d in drafts]
    if wants_json and "not-json" not in markers:
        return json.dumps(
            {"drafts": drafts, "language": lang, "intent": intent}, ensure_ascii=False
        )
    return "\n".join(f"{i}. {d}" for i, d in enumerate(drafts, 1))


def _validate(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array."
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            return f"Invalid value for 'messages[{i}].role'."
        if not isinstance(message.get("content"), str | list):
            return f"Invalid type for 'messages[{i}].content'."
    if body.get("stream"):
        return "The sandbox does not stream; set 'stream' to false."
    for key in ("max_tokens", "max_completion_tokens", "n"):
        value = body.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            return f"Invalid '{key}': must be a positive integer."
    return None


async def _completions(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD]
    if request.headers.get("Authorization", "") != f"Bearer {creds.LLM_API_KEY}":
        return _error(
            401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
        )
    try:
        body = await request.json()
    except ValueError:
        return _error(
            400, "We could not parse the JSON body of your request.", "invalid_request_error"
        )
    problem = _validate(body)
    if problem:
        return _error(400, problem, "invalid_request_error")
    if body.get("model") != MODEL:
        return _error(
            404,
            f"The model `{body.get('model')}` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
        )
    messages: list[dict[str, Any]] = body["messages"]
    prompt = "\n".join(_text(m.get("content")) for m in messages)
    markers = {m.group(1): m.group(2) or "" for m in _MARKER.finditer(prompt)}
    stats = request.app[_STATS]
    stats["requests"] += 1
    stats["last_prompt"] = prompt[-2000:]
    if "slow" in markers:
        await asyncio.sleep(float(markers["slow"] or 30))
    if "error" in markers:
        status = int(float(markers["error"] or 500))
        return _error(
            status,
            "The server had an error while processing your request.",
            "server_error" if status >= 500 else "invalid_request_error",
        )
    fmt = body.get("response_format") or {}
    wants_json = (isinstance(fmt, dict) and fmt.get("type") in {"json_object", "json_schema"}) or (
        "json" in prompt.lower()
    )
    content = _content(messages, wants_json, markers)
    finish = "stop"
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and len(content) > 4 * limit:
        content, finish = content[: 4 * limit], "length"
    digest = hashlib.sha256(prompt.encode()).hexdigest()[:24]
    prompt_tokens = max(1, len(prompt) // 4)
    completion_tokens = max(1, len(content) // 4)
    choices = [
        {
            "index": i,
            "message": {"role": "assistant", "content": content, "refusal": None},
            "logprobs": None,
            "finish_reason": finish,
        }
        for i in range(body.get("n") or 1)
    ]
    return json_response(
        {
            "id": f"chatcmpl-{digest}",
            "object": "chat.completion",
            "created": int(world.now().timestamp()),
            "model": MODEL,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_sandbox",
        }
    )


async def _models(request: web.Request) -> web.StreamResponse:
    if request.headers.get("Authorization", "") != f"Bearer {creds.LLM_API_KEY}":
        return _error(
            401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
        )
    world = request.app[WORLD]
    return json_response(
        {
            "object": "list",
            "data": [
                {
                    "id": MODEL,
                    "object": "model",
                    "created": int(world.epoch.timestamp()),
                    "owned_by": "engagebot-sandbox",
                },
            ],
        }
    )


def register(app: web.Application, world: World) -> None:
    """Add ``/v1/models`` and ``/v1/chat/completions`` and the ``llm`` state key."""
    stats: dict[str, Any] = {"requests": 0, "last_prompt": None}
    app[_STATS] = stats
    app.router.add_get("/v1/models", _models)
    app.router.add_post("/v1/chat/completions", _completions)
    world.extensions["llm"] = lambda: dict(stats)
