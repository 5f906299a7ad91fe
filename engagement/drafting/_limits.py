r"""Post length the platforms' way, and safe shortening.

Bluesky limits posts to 300 graphemes (user-perceived characters, counted here with the
``regex`` package's ``\X``); X to 280 *weighted* characters (``twitter-text`` config v3: most
Latin text weighs 1, CJK and emoji 2, any URL 23). Both libraries are pure computation, so
they are allowed in the pure core.
"""

from __future__ import annotations

import unicodedata

import regex
import twitter_text

from engagement.models import Platform

PLATFORM_LIMITS: dict[Platform, int] = {Platform.BLUESKY: 300, Platform.X: 280}
ELLIPSIS = "…"

_GRAPHEME = regex.compile(r"\X")
_X_LIGHT = regex.compile(r"[\x00-\xa8\xaa-\xad\xaf-\u02ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]*")
_X_LIGHT_CHAR = regex.compile(
    r"[\x00-\xa8\xaa-\xad\xaf-\u02ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]"
)
_URL_LIKE = regex.compile(r"[^\s]\.[^\s.]|://")
_SPACE = regex.compile(r"\s")
_TRAILING_JUNK = regex.compile(r"[\s,;:\-–—(\[«“\"']+$")


def graphemes(text: str) -> list[str]:
    """Split ``text`` into graphemes (an emoji ZWJ sequence or a flag is one)."""
    return _GRAPHEME.findall(text)


def limit_for(platform: Platform) -> int:
    """The post length limit of ``platform``."""
    return PLATFORM_LIMITS[platform]


def _x_normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def _x_length(text: str) -> int:
    """X's weighted length; plain Latin text without anything URL-like takes a fast path.

    ``twitter_text.parse_tweet`` runs its URL and emoji extractors on every call (about 1 ms).
    Text made only of characters that weigh 1 (Latin below U+0300 except the emoji © and ®,
    and the general punctuation X also weighs 1) and holding no ``x.y`` or ``://`` cannot
    contain a URL or an emoji, so its weight is its NFC length (line endings as LF).
    """
    normal = _x_normal(text)
    if _X_LIGHT.fullmatch(normal) and not _URL_LIKE.search(normal):
        return len(normal)
    return int(twitter_text.parse_tweet(text).weightedLength)


def _x_fits(text: str, budget: int) -> bool:
    """Whether ``text`` weighs at most ``budget`` on X, deciding from bounds when it can.

    Without anything URL-like, every grapheme weighs at least 1 and every code point at most
    2 (1 for the light ones), so the exact count is only needed near the budget.
    """
    normal = _x_normal(text)
    if not _URL_LIKE.search(normal):
        light = sum(1 for _ in _X_LIGHT_CHAR.finditer(normal))
        if light + 2 * (len(normal) - light) <= budget:
            return True
        if len(graphemes(normal)) > budget:
            return False
    return _x_length(text) <= budget


def length(text: str, platform: Platform) -> int:
    """Length of ``text`` counted the way ``platform`` counts it."""
    if platform is Platform.X:
        return _x_length(text)
    return len(graphemes(text))


def measure(text: str, platform: Platform) -> tuple[int, int]:
    """Return ``(length, limit)`` of ``text`` on ``platform``, counted the platform's way."""
    return length(text, platform), limit_for(platform)


def fits(text: str, platform: Platform, limit: int | None = None) -> bool:
    """Whether ``text`` is within ``limit`` (the platform's limit by default)."""
    budget = limit_for(platform) if limit is None else limit
    if platform is Platform.X:
        return _x_fits(text, budget)
    return len(graphemes(text)) <= budget


def _cut(parts: list[str], count: int) -> str:
    """The first ``count`` graphemes, backed off to a word boundary when one is near."""
    head = "".join(parts[:count])
    if count < len(parts) and not _SPACE.match(parts[count]):
        boundary = max(head.rfind(" "), head.rfind("\n"))
        if boundary >= len(head) // 2:
            head = head[:boundary]
    return _TRAILING_JUNK.sub("", head)


def fit_to_limit(text: str, platform: Platform, limit: int | None = None) -> str:
    """Shorten ``text`` so it fits ``platform`` (or ``limit``), never splitting a grapheme.

    Text that fits is returned unchanged. Otherwise it is cut at the last word boundary that
    fits (at a grapheme boundary when a single word is too long), trailing punctuation is
    dropped and an ellipsis appended. URLs are never cut in the middle when they are followed
    by a space, since cuts happen at spaces.

    Args:
        text: The text to fit.
        platform: Whose counting rules apply.
        limit: A smaller budget than the platform's, if needed.

    Returns:
        ``text`` itself, or its shortened form ending with ``…``; empty when the budget cannot
        hold even the ellipsis.
    """
    budget = limit_for(platform) if limit is None else limit
    if fits(text, platform, budget):
        return text
    parts = graphemes(text)
    low, high, best = 0, len(parts), ""
    while low <= high:
        middle = (low + high) // 2
        head = _cut(parts, middle)
        candidate = f"{head}{ELLIPSIS}" if head else ELLIPSIS
        if fits(candidate, platform, budget):
            best = candidate
            low = middle + 1
        else:
            high = middle - 1
    return best
