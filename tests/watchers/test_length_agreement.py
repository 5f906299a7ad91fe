"""The publishers' length checks and the drafts/modal counters are one and the same."""

from __future__ import annotations

import pytest
from twitter_text import parse_tweet

from engagement.drafting import length, limit_for
from engagement.models import Platform
from engagement.ports import WriteRefusedError
from watchers.bluesky._text import MAX_GRAPHEMES, check_post_length, grapheme_count
from watchers.x import MAX_WEIGHTED_LENGTH, check_text

TEXTS = [
    "Merci beaucoup !",
    "👩‍👩‍👧‍👦 famille 🇫🇷 drapeau",
    "e\u0301te\u0301 combiné",
    "日本語のテキスト",
    "Voir https://plume.app/a/very/long/path?x=1 et plume.app",
    "ligne\r\nsuivante",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_counts_everywhere(text: str) -> None:
    assert grapheme_count(text) == length(text, Platform.BLUESKY)
    weighted = check_text(text).weighted_length
    assert weighted == length(text, Platform.X)
    assert weighted == parse_tweet(text).weightedLength


def test_same_limits_and_edges() -> None:
    assert MAX_GRAPHEMES == limit_for(Platform.BLUESKY) == 300
    assert MAX_WEIGHTED_LENGTH == limit_for(Platform.X) == 280
    check_post_length("🇫🇷" * 300)
    with pytest.raises(WriteRefusedError) as over:
        check_post_length("🇫🇷" * 301)
    assert over.value.reason == "too_long"
    assert check_text("a" * 280).over_by == 0
    assert check_text("a" * 281).over_by == 1
    assert check_text("日" * 141).over_by == 2  # CJK weighs 2
