"""What the Discord recorder remembers: messages, interaction responses, threads, refusals."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sandbox._ids import format_datetime
from sandbox._world import World

__all__ = ["BOT_USER", "WEBHOOK_CHANNEL_ID", "DiscordState"]

_DISCORD_EPOCH_MS = 1420070400000
APPLICATION_ID = "1300000000000000010"
WEBHOOK_CHANNEL_ID = "1300000000000000100"
BOT_USER: dict[str, Any] = {
    "id": APPLICATION_ID,
    "username": "engagebot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "system": False,
    "mfa_enabled": False,
    "verified": True,
    "flags": 0,
    "public_flags": 0,
}


@dataclass(slots=True)
class DiscordState:
    """Recorded Discord traffic of one sandbox run."""

    world: World
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    interactions: dict[str, dict[str, Any]] = field(default_factory=dict)  # token -> info
    threads: list[dict[str, Any]] = field(default_factory=list)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    _seq: int = 0

    def snowflake(self) -> str:
        """A Discord snowflake for the current sandbox time (increasing)."""
        self._seq += 1
        millis = int(self.world.now().timestamp() * 1000) - _DISCORD_EPOCH_MS
        return str((millis << 22) | (self._seq & 0x3FFFFF))

    def new_message(
        self,
        channel_id: str,
        payload: dict[str, Any],
        attachments: list[dict[str, Any]],
        *,
        via: str,
        author: dict[str, Any],
        **extra: Any,
    ) -> dict[str, Any]:
        """Store and return a Discord Message object built from ``payload``."""
        message_id = self.snowflake()
        message: dict[str, Any] = {
            "id": message_id,
            "type": 0,
            "channel_id": channel_id,
            "content": payload.get("content") or "",
            "author": author,
            "embeds": [self._embed(e) for e in payload.get("embeds") or []],
            "components": payload.get("components") or [],
            "attachments": [self._attachment(channel_id, message_id, a) for a in attachments],
            "timestamp": self._now(),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "flags": int(payload.get("flags") or 0),
            **extra,
            "_via": via,
        }
        self.messages[message_id] = message
        return message

    def edit(
        self, message: dict[str, Any], payload: dict[str, Any], attachments: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply an edit (only the keys present in ``payload``)."""
        for key in ("content", "components", "flags"):
            if key in payload:
                message[key] = payload[key] if payload[key] is not None else message[key]
        if "embeds" in payload:
            message["embeds"] = [self._embed(e) for e in payload["embeds"] or []]
        if attachments:
            message["attachments"] = [
                self._attachment(message["channel_id"], message["id"], a) for a in attachments
            ]
        message["edited_timestamp"] = self._now()
        return message

    @staticmethod
    def public(message: dict[str, Any]) -> dict[str, Any]:
        """The Message object as Discord returns it (no recorder bookkeeping)."""
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def summary(self) -> dict[str, Any]:
        """The ``discord`` key of ``/_sandbox/state`` and ``GET /_sandbox/discord``."""
        return {
            "messages": [
                dict(self.public(m), via=m["_via"], deleted=m.get("_deleted", False))
                for m in self.messages.values()
            ],
            "interaction_responses": list(self.responses),
            "threads": list(self.threads),
            "commands": dict(self.commands),
            "rejected": list(self.rejected),
        }

    def _now(self) -> str:
        return format_datetime(self.world.now()).replace("Z", "+00:00")

    @staticmethod
    def _embed(embed: dict[str, Any]) -> dict[str, Any]:
        return {"type": "rich", **embed}

    @staticmethod
    def _attachment(channel_id: str, message_id: str, upload: dict[str, Any]) -> dict[str, Any]:
        name = upload["filename"]
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{message_id}/{name}"
        return {
            "id": str(int(hashlib.sha256(f"{message_id}{name}".encode()).hexdigest()[:15], 16)),
            "filename": name,
            "size": upload["size"],
            "url": url,
            "proxy_url": url,
            "content_type": upload.get("content_type") or "application/octet-stream",
            "sha256": upload.get("sha256"),
        }
