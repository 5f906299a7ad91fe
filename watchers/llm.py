"""A small client for OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, LM Studio…).

It sends ``POST {base_url}/chat/completions`` and returns the first choice's message content.
Every failure is one of the :class:`LLMError` subclasses, so callers can fall back with one
``except``. The API key is sent as a bearer token and never appears in errors, logs or repr.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import aiohttp
from pydantic import SecretStr

_BODY_EXCERPT = 200


class LLMError(Exception):
    """Any failure of the model endpoint."""


class LLMTimeoutError(LLMError):
    """The endpoint did not answer within the timeout."""


class LLMHTTPError(LLMError):
    """The endpoint answered with an error status (or the connection failed: ``status`` 0).

    Attributes:
        status: The HTTP status, 0 when no response arrived.
    """

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}" if status else detail)
        self.status = status


class LLMResponseError(LLMError):
    """The endpoint answered 200 but not with a chat completion we can read."""


class LLMClient:
    """Chat completions over aiohttp.

    Args:
        base_url: The OpenAI-compatible base, e.g. ``http://127.0.0.1:11434/v1``.
        model: Model name sent with each request.
        api_key: Bearer token, if the endpoint needs one.
        timeout_s: Total time allowed for one request, body included.
        session: A session to reuse; one is created (and closed by :meth:`close`) otherwise.
        temperature: Sampling temperature.
        max_tokens: Upper bound on the answer's tokens.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: SecretStr | None = None,
        timeout_s: float = 20.0,
        session: aiohttp.ClientSession | None = None,
        temperature: float = 0.7,
        max_tokens: int = 800,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self._api_key = api_key
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session = session
        self._owns_session = session is None
        self.temperature = temperature
        self.max_tokens = max_tokens

    def __repr__(self) -> str:
        return f"LLMClient(url={self.url!r}, model={self.model!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session if this client created it."""
        if self._session is not None and self._owns_session:
            await self._session.close()
            self._session = None

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key is not None and self._api_key.get_secret_value():
            headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        return headers

    async def chat(self, messages: Sequence[Mapping[str, str]]) -> str:
        """Send ``messages`` and return the answer's text.

        Raises:
            LLMTimeoutError: No complete answer within the timeout.
            LLMHTTPError: An error status or a failed connection.
            LLMResponseError: A 200 whose body is not a readable chat completion.
        """
        if self._session is None:
            self._session = aiohttp.ClientSession()
        payload = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        try:
            async with self._session.post(
                self.url, json=payload, headers=self._headers(), timeout=self._timeout
            ) as response:
                body = await response.text()
                status = response.status
        except TimeoutError:
            raise LLMTimeoutError(f"no answer within {self._timeout.total:g} s") from None
        except aiohttp.ClientError as exc:
            raise LLMHTTPError(0, f"connection failed: {type(exc).__name__}") from None
        if status >= 400:
            raise LLMHTTPError(status, " ".join(body.split())[:_BODY_EXCERPT])
        return _content(body)


def _content(body: str) -> str:
    try:
        data: Any = json.loads(body)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMResponseError("the answer is not a chat completion") from None
    if not isinstance(content, str):
        raise LLMResponseError("the answer has no text content")
    return content
