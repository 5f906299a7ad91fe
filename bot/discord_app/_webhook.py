"""Webhook-only mode: the digest, without buttons, through a Discord webhook."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import aiohttp
import discord
from discord.http import Route

from cogs.ports import DigestPage
from cogs.render import digest_messages

log = logging.getLogger(__name__)

_WEBHOOK_PATH = re.compile(r"/webhooks/(?P<id>\d{1,20})/(?P<token>[A-Za-z0-9._\-]+)/?$")
_VERSIONED = re.compile(r"/api/v\d+$")
_DISCORD_HOSTS = {"discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"}


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


async def post_digest_via_webhook(
    url: str, digest: DigestPage, session: aiohttp.ClientSession
) -> list[int]:
    """Post ``digest`` through a webhook: the summary, then packed cards, section by section.

    Args:
        url: The webhook URL (``ENGAGEBOT_DISCORD_WEBHOOK_URL``).
        digest: The digest to post.
        session: The aiohttp session to post with.

    Returns:
        The ids of the messages posted, in order.

    Raises:
        WebhookURLError: ``url`` is not a webhook URL.
        discord.HTTPException: Discord refused a message (the earlier ones stay posted).
    """
    base, webhook_id, token = parse_webhook_url(url)
    host = urlsplit(base).hostname or ""
    previous = Route.BASE
    if host not in _DISCORD_HOSTS:
        # A Discord-compatible server (the sandbox's recorder, a proxy): discord.py builds
        # every webhook route from Route.BASE, so point it there for this call.
        Route.BASE = base
    try:
        webhook = discord.Webhook.partial(webhook_id, token, session=session)
        ids = []
        for message in digest_messages(digest, one_card_per_message=False):
            sent = await webhook.send(
                content=message.content or discord.utils.MISSING,
                embeds=list(message.embeds),
                wait=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            ids.append(sent.id)
        log.info("digest %s posted through the webhook (%d messages)", digest.period_key, len(ids))
        return ids
    finally:
        Route.BASE = previous
