"""Spam or bot likelihood from the author's profile and the text, with readable reasons.

Each cue adds an independent probability; the score is ``1 − Π(1 − p)``. Missing author
data simply adds nothing (a record without a profile is not suspicious by itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ["SpamAssessment", "is_link_only", "spam_likelihood", "text_spam_cues"]

_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"[@＠][\w.\-]+")
_SCAM = re.compile(
    r"\b(?:crypto|bitcoin|btc|eth|usdt|nft|airdrop|giveaway|give\s*away|free\s+(?:money|gift|"
    r"followers|iphone)|claim\s+(?:your|now)|wallet|dm\s+(?:me\s+)?(?:for|to)\s+(?:promo|collab|"
    r"earn)|earn\s+\$?\d+|\$\d+\s*(?:k|per|a)\s*(?:day|week)|investment\s+(?:plan|opportunity)|"
    r"forex|onlyfans|promo\s+code|gagne[rz]?\s+(?:de\s+l['’]argent|\d+)|concours\s+gratuit|"
    r"cadeau\s+gratuit)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w", re.UNICODE)

_P_SCAM = 0.55
_P_LINK_ONLY = 0.30
_P_REPEATED = 0.40
_P_RATIO = 0.30
_P_NEW_ACCOUNT = 0.30
_P_YOUNG_ACCOUNT = 0.10
_P_BLANK_PROFILE = 0.15
_P_NO_POSTS = 0.15


@dataclass(frozen=True, slots=True)
class SpamAssessment:
    """How likely the interaction is spam or automated.

    Attributes:
        score: Probability-like score in ``[0, 1]``.
        reasons: Short reasons for each cue that fired.
    """

    score: float
    reasons: tuple[str, ...]


def is_link_only(text: str) -> bool:
    """Whether the text holds a link and nothing else but @handles, spaces and punctuation."""
    if not _URL.search(text):
        return False
    rest = _HANDLE.sub(" ", _URL.sub(" ", text))
    return _WORD.search(rest) is None


def text_spam_cues(text: str) -> tuple[str, ...]:
    """Text-only cues: crypto/giveaway wording, a bare link."""
    cues: list[str] = []
    if _SCAM.search(text):
        cues.append("crypto/giveaway wording")
    if is_link_only(text):
        cues.append("only a link")
    return tuple(cues)


def spam_likelihood(
    *,
    now: datetime,
    text_cues: tuple[str, ...] = (),
    followers: int | None = None,
    follows: int | None = None,
    posts: int | None = None,
    account_created_at: datetime | None = None,
    has_avatar: bool | None = None,
    bio: str | None = None,
    repeats: int = 1,
) -> SpamAssessment:
    """Combine profile and text cues into a spam score.

    Args:
        now: The current time (UTC), for the account's age.
        text_cues: From :func:`text_spam_cues`.
        followers: Followers, if known.
        follows: Accounts followed, if known.
        posts: Posts written, if known.
        account_created_at: When the account was made, if known.
        has_avatar: Whether the profile has an avatar, ``None`` when unknown.
        bio: The profile bio, ``None`` when unknown.
        repeats: How many times this author sent this same text in the window.

    Returns:
        The score and its reasons.
    """
    parts: list[tuple[float, str]] = []
    for cue in text_cues:
        parts.append((_P_SCAM if cue.startswith("crypto") else _P_LINK_ONLY, cue))
    if repeats >= 3:
        parts.append((_P_REPEATED, f"same text sent {repeats} times"))
    if follows is not None and follows >= 500 and follows > 20 * ((followers or 0) + 1):
        parts.append((_P_RATIO, f"follows {follows:,} accounts, {followers or 0:,} followers"))
    if account_created_at is not None:
        age_days = (now - account_created_at).total_seconds() / 86_400
        if age_days < 7:
            days = max(int(age_days), 0)
            parts.append((_P_NEW_ACCOUNT, f"account {days} day{'s' if days != 1 else ''} old"))
        elif age_days < 30:
            parts.append((_P_YOUNG_ACCOUNT, f"account {age_days:.0f} days old"))
    if has_avatar is False and bio is not None and not bio.strip():
        parts.append((_P_BLANK_PROFILE, "default avatar and empty bio"))
    if posts == 0:
        parts.append((_P_NO_POSTS, "has never posted"))
    keep = 1.0
    for p, _ in parts:
        keep *= 1.0 - p
    return SpamAssessment(round(1.0 - keep, 4), tuple(reason for _, reason in parts))
