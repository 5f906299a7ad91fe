"""The Discord side of the composition root: the bot, the team inbox, webhook-only mode.

Usage::

    runtime = Runtime(service=TeamInbox(db, publishers, drafter, ConfigStore(path, defaults)))
    bot = EngageBot(lambda: ..., clock=utc_now)
    await bot.start(token)

    await post_digest_via_webhook(url, page, session)     # webhook-only mode
    messages = digest_messages(page)                      # cogs.render, for the demo
"""

from bot.discord_app._app import EngageBot, ForwardingAlerts, Runtime
from bot.discord_app._config import ConfigStore, apply_changes
from bot.discord_app._locations import JsonLocationStore
from bot.discord_app._service import TeamInbox
from bot.discord_app._webhook import (
    WebhookPostError,
    WebhookURLError,
    delete_webhook_messages,
    parse_webhook_url,
    post_digest_via_webhook,
)
from cogs.render import DigestMessage, digest_messages

__all__ = [
    "ConfigStore",
    "DigestMessage",
    "EngageBot",
    "ForwardingAlerts",
    "JsonLocationStore",
    "Runtime",
    "TeamInbox",
    "WebhookPostError",
    "WebhookURLError",
    "apply_changes",
    "delete_webhook_messages",
    "digest_messages",
    "parse_webhook_url",
    "post_digest_via_webhook",
]
