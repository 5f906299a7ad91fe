"""An atproto ``AsyncRequest`` that counts the requests it sends, per XRPC method."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from atproto_client.request import AsyncRequest


class CountingRequest(AsyncRequest):
    """``AsyncRequest`` that counts every request it sends (API economy, benchmarks).

    Attributes:
        calls: Requests sent, per XRPC method name (``app.bsky.feed.getPosts``…).
    """

    def __init__(self, calls: Counter[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: Counter[str] = calls if calls is not None else Counter()

    async def _send_request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.calls[url.rsplit("/", 1)[-1]] += 1
        return await super()._send_request(method, url, **kwargs)

    @property
    def total(self) -> int:
        """Every request sent so far."""
        return sum(self.calls.values())
