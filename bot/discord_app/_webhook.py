"""Webhook-only mode: the digest, without buttons, through a Discord webhook.

Messages are posted with aiohttp straight to ``{webhook URL}?wait=true`` (JSON built from each
embed's ``to_dict()``), never through discord.py's class-wide ``Route.BASE``: changing it, even
for one call, would send the bot's other REST calls (with its token) to the webhook's host.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from cogs.ports import DigestPage
from cogs.render import digest_messages

log = logging.getLogger(__name__)

_WEBHOOK_PATH = re.compile(r"/webhooks/(?P<id>\d{1,20})/(?P<token>[A-Za-z0-9._\-]+)/?$")
_VERSIONED = re.compile(r"/api/v\d+$")
_MAX_RATE_LIMIT_WAIT_S = 30.0
OnSent = Callable[[list[int]], Awaitable[None]]


class WebhookPostError(RuntimeError):
    """Discord refused a webhook message.

    Attributes:
        status: The HTTP status.
        posted: Ids of the messages of this digest posted before the refusal.
    """

    def __init__(self, status: int, detail: str, posted: Sequence[int]) -> None:
        super().__init__(f"webhook refused a message: HTTP {status}: {detail}")
        self.status = status
        self.posted = list(posted)


class WebhookURLError(ValueError):
    """The webhook URL cannot be used; the message says why (never the token)."""


def parse_webhook_url(url: str) -> tuple[str, int, str]:
    """Split a webhook URL into ``(api base, webhook id, token)``.

    The API base is the versioned REST base of the webhook's host
    (``https://discord.com/api/v10`` for Discord itself; a Discord-compatible local server such
    as the sandbox's recorder keeps its own origin).

    Raises:
        WebhookURLError: The URL is not a webhook URL.
    """
    parts = urlsplit(url.strip())
    match = _WEBHOOK_PATH.search(parts.path)
    if parts.scheme not in {"http", "https"} or not parts.netloc or match is None:
        raise WebhookURLError("not a Discord webhook URL (…/api/webhooks/<id>/<token>)")
    prefix = parts.path[: match.start()]
    origin = f"{parts.scheme}://{parts.netloc}"
    base = origin + prefix if _VERSIONED.search(prefix) else f"{origin}/api/v10"
    return base, int(match["id"]), match["token"]


def _endpoint(url: str) -> str:
    base, webhook_id, token = parse_webhook_url(url)
    return f"{base}/webhooks/{webhook_id}/{token}"


async def _request(
    session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """One request, waiting out Discord's 429s (``retry_after`` seconds, capped)."""
    while True:
        async with session.request(method, url, **kwargs) as resp:
            raw = await resp.read()
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = {"message": raw[:200].decode("utf-8", "replace")}
            if resp.status != 429:
                return resp.status, body
            wait = float((body or {}).get("retry_after", 1.0)) if isinstance(body, dict) else 1.0
        await asyncio.sleep(min(max(wait, 0.0), _MAX_RATE_LIMIT_WAIT_S))


async def post_digest_via_webhook(
    url: str,
    digest: DigestPage,
    session: aiohttp.ClientSession,
    *,
    on_sent: OnSent | None = None,
) -> list[int]:
    """Post ``digest`` through a webhook: the summary, then packed cards, section by section.

    Args:
        url: The webhook URL (``ENGAGEBOT_DISCORD_WEBHOOK_URL``); discord.com and any
            Discord-compatible host (the sandbox's recorder) alike.
        digest: The digest to post.
        session: The aiohttp session to post with.
        on_sent: Called with the ids posted so far after each message (to record progress).

    Returns:
        The ids of the messages posted, in order.

    Raises:
        WebhookURLError: ``url`` is not a webhook URL.
        WebhookPostError: Discord refused a message (``posted`` lists the earlier ones).
    """
    endpoint = _endpoint(url)
    ids: list[int] = []
    for message in digest_messages(digest, one_card_per_message=False):
        payload: dict[str, Any] = {
            "embeds": [embed.to_dict() for embed in message.embeds],
            "allowed_mentions": {"parse": []},
        }
        if message.content:
            payload["content"] = message.content
        status, body = await _request(
            session, "POST", endpoint, params={"wait": "true"}, json=payload
        )
        if status >= 300 or not isinstance(body, dict) or "id" not in body:
            detail = body.get("message", "") if isinstance(body, dict) else ""
            raise WebhookPostError(status, str(detail), ids)
        ids.append(int(body["id"]))
        if on_sent is not None:
            await on_sent(list(ids))
    log.info("digest %s posted through the webhook (%d messages)", digest.period_key, len(ids))
    return ids


async def delete_webhook_messages(
    url: str, message_ids: Sequence[int], session: aiohttp.ClientSession
) -> int:
    """Delete messages the webhook posted (a half-posted digest); return how many went.

    Messages already gone count as deleted; other failures are logged and skipped.
    """
    endpoint = _endpoint(url)
    deleted = 0
    for message_id in message_ids:
        status, _ = await _request(session, "DELETE", f"{endpoint}/messages/{message_id}")
        if status in {200, 204, 404}:
            deleted += 1
        else:
            log.warning("could not delete webhook message %s: HTTP %s", message_id, status)
    return deleted
