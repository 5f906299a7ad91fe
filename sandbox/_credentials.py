"""The fixed credentials the sandbox accepts (and ``SandboxServer.env()`` hands out)."""

from __future__ import annotations

__all__ = [
    "BLUESKY_APP_PASSWORD",
    "DISCORD_BOT_TOKEN",
    "DISCORD_WEBHOOK_ID",
    "DISCORD_WEBHOOK_TOKEN",
    "LLM_API_KEY",
    "LLM_MODEL",
    "X_BEARER_TOKEN",
    "X_CLIENT_ID",
    "X_CLIENT_SECRET",
    "X_REFRESH_TOKEN",
]

BLUESKY_APP_PASSWORD = "sand-boxa-ppps-word"
X_BEARER_TOKEN = "sandbox-x-bearer-token"
X_CLIENT_ID = "sandbox-x-client-id"
X_CLIENT_SECRET = "sandbox-x-client-secret"
X_REFRESH_TOKEN = "sandbox-x-refresh-token-0"
LLM_API_KEY = "sandbox-llm-key"
LLM_MODEL = "sandbox-model"
DISCORD_BOT_TOKEN = "sandbox-discord-bot-token"
DISCORD_WEBHOOK_ID = "1300000000000000001"
# Discord webhook tokens are 68 characters of [A-Za-z0-9_-]; discord.py checks for 60+.
DISCORD_WEBHOOK_TOKEN = "sandbox-webhook-token-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI"
