"""Read what a person pasted (a post URL, an AT-URI, a post id) as candidate item keys."""

from __future__ import annotations

import re

from engagement.models import Platform

_X_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/[^/]+/status(?:es)?/(\d+)")
_BSKY_URL = re.compile(r"https?://(?:www\.)?bsky\.app/profile/([^/]+)/post/([A-Za-z0-9]+)")


def candidates(reference: str) -> list[tuple[Platform, str]]:
    """Item keys the reference may name, most likely first."""
    text = reference.strip().strip("<>")
    if match := _X_URL.match(text):
        return [(Platform.X, match[1])]
    if text.startswith("at://"):
        return [(Platform.BLUESKY, text)]
    if match := _BSKY_URL.match(text):
        who, rkey = match[1], match[2]
        if who.startswith("did:"):
            return [(Platform.BLUESKY, f"at://{who}/app.bsky.feed.post/{rkey}")]
        return []
    if text.isdigit():
        return [(Platform.X, text)]
    return []


def bluesky_post_suffix(reference: str) -> str | None:
    """For a bsky.app URL with a handle, the AT-URI suffix to look for (``/app.bsky…/rkey``)."""
    match = _BSKY_URL.match(reference.strip().strip("<>"))
    if match is None or match[1].startswith("did:"):
        return None
    return f"/app.bsky.feed.post/{match[2]}"
