"""Discord's message, embed and component limits, and safe truncation."""

from __future__ import annotations

from collections.abc import Iterable

import discord

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
ROWS = 5
MODAL_TITLE = 45
TEXT_INPUT_LABEL = 45
TEXT_INPUT_MAX = 4000
THREAD_NAME = 100
ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at a word boundary when one is near.

    Args:
        text: Any text.
        limit: Maximum length in characters (at least 1).

    Returns:
        ``text`` itself when it fits, else a prefix ending with ``…``.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    # Never leave half a surrogate-like pair of combining marks dangling at the end.
    while cut and (0x300 <= ord(cut[-1]) <= 0x36F or 0xFE00 <= ord(cut[-1]) <= 0xFE0F):
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def embed_fits(embed: discord.Embed) -> bool:
    """Whether one embed is within every per-embed limit."""
    if len(embed.title or "") > TITLE or len(embed.description or "") > DESCRIPTION:
        return False
    if len(embed.fields) > FIELDS or len(embed) > EMBED_TOTAL:
        return False
    if len(embed.footer.text or "") > FOOTER or len(embed.author.name or "") > AUTHOR_NAME:
        return False
    return all(
        len(f.name or "") <= FIELD_NAME and len(f.value or "") <= FIELD_VALUE for f in embed.fields
    )


def pack_embeds(embeds: Iterable[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages: at most 10 per message and 6000 characters in total.

    Order is kept. Every embed must fit on its own (see :func:`embed_fits`).

    Raises:
        ValueError: An embed is over a per-embed limit.
    """
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        if not embed_fits(embed):
            raise ValueError("an embed exceeds Discord's limits; render it with truncation")
        length = len(embed)
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + length > EMBED_TOTAL):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        messages.append(current)
    return messages
