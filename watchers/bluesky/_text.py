"""Post text rules: the 300-grapheme limit, facets (mentions, links, tags) and ``langs``."""

from __future__ import annotations

import re
from collections.abc import Mapping

from atproto_client import models
from atproto_client.utils import facet_detection

from engagement.drafting import length, limit_for
from engagement.models import Platform
from engagement.ports import WriteRefusedError

MAX_GRAPHEMES = limit_for(Platform.BLUESKY)
"""Bluesky's limit on ``app.bsky.feed.post`` text (the SDK only checks 3,000 bytes)."""


def grapheme_count(text: str) -> int:
    """Count user-perceived characters (extended grapheme clusters, UAX #29).

    The same counter as drafts and the Discord modal (:func:`engagement.drafting.length`).
    """
    return length(text, Platform.BLUESKY)


def check_post_length(text: str) -> None:
    """Refuse a post that Bluesky would reject, before any network call.

    Raises:
        WriteRefusedError: Empty text, or more than 300 graphemes (the message says by how much).
    """
    if not text.strip():
        raise WriteRefusedError("The reply is empty.", reason="empty")
    count = grapheme_count(text)
    if count > MAX_GRAPHEMES:
        over = count - MAX_GRAPHEMES
        raise WriteRefusedError(
            f"The reply is {count} characters long, {over} over Bluesky's limit of "
            f"{MAX_GRAPHEMES}: shorten it by {over}.",
            reason="too_long",
            suggestion=f"remove at least {over} characters",
        )


def build_facets(
    text: str, known_dids: Mapping[str, str]
) -> tuple[list[models.AppBskyRichtextFacet.Main], list[str]]:
    """Build the rich-text facets of ``text`` with UTF-8 byte offsets.

    Links, ``#tags`` and ``$cashtags`` come from atproto's own detector; ``@handle`` mentions
    become mention facets when the handle's DID is in ``known_dids``.

    Args:
        text: The post text.
        known_dids: Lower-case handle → DID of the people we can mention without a lookup.

    Returns:
        The facets sorted by position, and the handles that still need resolving.
    """
    facets = facet_detection.detect_facets(text)
    unresolved: list[str] = []
    for mention in facet_detection.detect_mentions(text):
        did = known_dids.get(mention.handle.lower())
        if did is None:
            unresolved.append(mention.handle.lower())
            continue
        facets.append(mention_facet(mention.byte_start, mention.byte_end, did))
    facets.sort(key=lambda facet: facet.index.byte_start)
    return facets, unresolved


def mention_facet(byte_start: int, byte_end: int, did: str) -> models.AppBskyRichtextFacet.Main:
    """A mention facet over ``[byte_start, byte_end)``."""
    return models.AppBskyRichtextFacet.Main(
        features=[models.AppBskyRichtextFacet.Mention(did=did)],
        index=models.AppBskyRichtextFacet.ByteSlice(byte_start=byte_start, byte_end=byte_end),
    )


def mention_spans(text: str) -> list[tuple[str, int, int]]:
    """Every ``@handle`` in ``text`` as (lower-case handle, byte start, byte end)."""
    return [
        (m.handle.lower(), m.byte_start, m.byte_end) for m in facet_detection.detect_mentions(text)
    ]


# A tiny French/English guesser, used only when the engine's detector is not available.
_WORD = re.compile(r"[a-zà-ÿœæ']+", re.IGNORECASE)
_FR_WORDS = (
    "le la les un une des du de et est sont je tu il elle nous vous ils elles pour pas "
    "merci avec sur dans ce cette ces qui que quoi mais ou où très bien bonjour salut "
    "votre vos notre nos mon ma mes ton ta tes au aux c'est j'ai n'est"
)
_EN_WORDS = (
    "the a an and is are i you he she we they for not thanks thank with on in this that "
    "these who what but or very good hello hi your our my to of it it's i'm don't"
)
_FR = frozenset(_FR_WORDS.split())
_EN = frozenset(_EN_WORDS.split())


def guess_language(text: str) -> str | None:
    """Guess ``fr`` or ``en`` from function words and accents; ``None`` when unsure."""
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(w in _FR for w in words) + 2 * sum(c in "éèêàçùœ" for c in text.lower())
    en = sum(w in _EN for w in words)
    if fr == en:
        return None
    return "fr" if fr > en else "en"
