"""Weighted length and URL checks of a post, as X counts them (twitter-text config v3)."""

from __future__ import annotations

from dataclasses import dataclass

from twitter_text import extract_urls

from engagement.drafting import length, limit_for
from engagement.models import Platform

MAX_WEIGHTED_LENGTH = limit_for(Platform.X)


@dataclass(frozen=True, slots=True)
class TextCheck:
    """What X will think of a post's text.

    Attributes:
        weighted_length: Length as X counts it (most Latin 1, CJK and emoji 2, URLs 23).
        urls: URLs found in the text (each makes the post cost the URL rate).
    """

    weighted_length: int
    urls: tuple[str, ...]

    @property
    def over_by(self) -> int:
        """Weighted characters beyond the 280 limit (0 when it fits)."""
        return max(0, self.weighted_length - MAX_WEIGHTED_LENGTH)

    @property
    def has_url(self) -> bool:
        """Whether the post contains a URL."""
        return bool(self.urls)


def check_text(text: str) -> TextCheck:
    """Measure ``text`` as drafts and the Discord modal do, and find its URLs.

    The weighted length is :func:`engagement.drafting.length` (twitter-text's parser), so the
    modal, the drafts and this check always agree.
    """
    return TextCheck(
        weighted_length=length(text, Platform.X),
        urls=tuple(str(url) for url in extract_urls(text)),
    )
