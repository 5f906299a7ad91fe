"""Read Bluesky records (raw JSON dicts) defensively: text, langs, reply refs, subjects."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engagement.models import PostRef, ensure_utc

POST_COLLECTION = "app.bsky.feed.post"


def parse_datetime(value: object) -> datetime | None:
    """Parse an atproto datetime (RFC 3339, ``Z`` or offset) into aware UTC, else ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return ensure_utc(datetime.fromisoformat(value.replace("z", "Z")))
    except ValueError:
        return None


def strong_ref(value: object) -> PostRef | None:
    """A ``com.atproto.repo.strongRef`` (``{uri, cid}``) as a :class:`PostRef`, else ``None``."""
    if not isinstance(value, Mapping):
        return None
    uri = value.get("uri")
    cid = value.get("cid")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    return PostRef(uri, cid if isinstance(cid, str) else None)


def reply_refs(record: Mapping[str, Any]) -> tuple[PostRef | None, PostRef | None]:
    """The (root, parent) of a post record that is a reply, else ``(None, None)``."""
    reply = record.get("reply")
    if not isinstance(reply, Mapping):
        return None, None
    return strong_ref(reply.get("root")), strong_ref(reply.get("parent"))


def quoted_ref(record: Mapping[str, Any]) -> PostRef | None:
    """The post quoted by a post record (``embed.record`` or ``recordWithMedia``), if any."""
    embed = record.get("embed")
    if not isinstance(embed, Mapping):
        return None
    inner = embed.get("record")
    if isinstance(inner, Mapping) and "record" in inner and "uri" not in inner:
        inner = inner.get("record")  # app.bsky.embed.recordWithMedia wraps embed.record
    return strong_ref(inner)


def post_text(record: Mapping[str, Any]) -> str:
    """The ``text`` of a post record, empty when absent."""
    text = record.get("text")
    return text if isinstance(text, str) else ""


def primary_language(record: Mapping[str, Any]) -> str | None:
    """The primary subtag of the record's first ``langs`` entry (``fr-FR`` → ``fr``)."""
    langs = record.get("langs")
    if not isinstance(langs, list) or not langs or not isinstance(langs[0], str):
        return None
    primary = langs[0].split("-", 1)[0].strip().lower()
    return primary or None


def uri_parts(uri: str) -> tuple[str, str, str] | None:
    """Split ``at://did/collection/rkey`` into its three parts, else ``None``."""
    if not uri.startswith("at://"):
        return None
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def is_post_uri(uri: str) -> bool:
    """Whether ``uri`` names an ``app.bsky.feed.post`` record."""
    parts = uri_parts(uri)
    return parts is not None and parts[1] == POST_COLLECTION


def web_url(uri: str) -> str | None:
    """The bsky.app address of a post, else ``None``."""
    parts = uri_parts(uri)
    if parts is None or parts[1] != POST_COLLECTION:
        return None
    return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"


def profile_url(did: str) -> str:
    """The bsky.app address of a profile."""
    return f"https://bsky.app/profile/{did}"
