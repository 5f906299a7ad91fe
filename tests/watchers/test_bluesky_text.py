from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.ports import WriteRefusedError
from watchers.bluesky import (
    MAX_GRAPHEMES,
    check_post_length,
    grapheme_count,
    guess_language,
    is_tid,
    kind_for_reason,
    tid_for,
)
from watchers.bluesky._text import build_facets


def test_graphemes_count_clusters_not_code_points() -> None:
    family = "👨‍👩‍👧‍👦"  # 7 code points, one grapheme
    flag = "🇫🇷"  # 2 code points
    accented = "e\u0301"  # e + combining acute
    assert grapheme_count(family + flag + accented + "abc") == 6
    assert len(family) == 7


def test_300_graphemes_pass_and_301_are_refused_with_the_excess() -> None:
    check_post_length("é" * MAX_GRAPHEMES)
    check_post_length("👨‍👩‍👧‍👦" * 300)  # 2,100 code points but 300 graphemes
    with pytest.raises(WriteRefusedError) as info:
        check_post_length("x" * 301)
    assert info.value.reason == "too_long"
    assert "301" in str(info.value)
    assert "1 over" in str(info.value)
    with pytest.raises(WriteRefusedError, match="12 over"):
        check_post_length("🇫🇷" * 312)


def test_empty_reply_is_refused() -> None:
    with pytest.raises(WriteRefusedError) as info:
        check_post_length("   \n")
    assert info.value.reason == "empty"


def test_facets_use_utf8_byte_offsets_for_mentions_and_links() -> None:
    text = "Merci @alice.bsky.social ! Voir https://example.com/faq et @bob.example.com"
    facets, unresolved = build_facets(text, {"alice.bsky.social": "did:plc:alice"})
    encoded = text.encode()
    kinds = []
    for facet in facets:
        feature = facet.features[0]
        span = encoded[facet.index.byte_start : facet.index.byte_end].decode()
        kinds.append((feature.py_type, span))
    assert ("app.bsky.richtext.facet#mention", "@alice.bsky.social") in kinds
    assert ("app.bsky.richtext.facet#link", "https://example.com/faq") in kinds
    assert unresolved == ["bob.example.com"]
    # offsets are bytes: a multibyte prefix shifts them
    facets2, _ = build_facets("é @alice.bsky.social", {"alice.bsky.social": "did:plc:alice"})
    assert facets2[0].index.byte_start == 3


def test_guess_language_fr_en_and_unsure() -> None:
    assert guess_language("Merci beaucoup pour votre message, c'est très gentil") == "fr"
    assert guess_language("Thanks a lot for your message, this is very kind") == "en"
    assert guess_language("🎉🎉") is None


def test_tid_is_valid_deterministic_and_distinct() -> None:
    at = datetime(2026, 3, 10, 9, 0, 0, 123456, tzinfo=UTC)
    first = tid_for("bluesky:reply:a:b:c", at)
    assert is_tid(first)
    assert first == tid_for("bluesky:reply:a:b:c", at.replace(microsecond=123000))
    assert first != tid_for("bluesky:reply:a:b:d", at)
    later = tid_for("bluesky:reply:a:b:c", at + timedelta(seconds=1))
    assert later > first  # TIDs sort by time
    assert not is_tid("not-a-tid")
    assert not is_tid("z" * 13)


def test_known_reasons_map_to_kinds_and_unknown_ones_are_kept_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert kind_for_reason("mention") == "mention"
    assert kind_for_reason("follow") == "follow"
    with caplog.at_level("INFO", logger="watchers.bluesky._kinds"):
        assert kind_for_reason("test-new-reason-x") == "test-new-reason-x"
        assert kind_for_reason("test-new-reason-x") == "test-new-reason-x"
    assert sum("test-new-reason-x" in r.getMessage() for r in caplog.records) == 1
