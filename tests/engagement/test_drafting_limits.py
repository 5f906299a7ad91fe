"""Platform lengths and safe shortening (fit_to_limit / measure)."""

from __future__ import annotations

import random

import pytest
import regex
import twitter_text

from engagement.drafting import ELLIPSIS, fit_to_limit, fits, graphemes, measure
from engagement.models import Platform

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, seven code points
FLAG = "🇫🇷"


def test_measure_counts_graphemes_on_bluesky_and_weight_on_x() -> None:
    assert measure(FAMILY * 3, Platform.BLUESKY) == (3, 300)
    assert measure("é" * 10, Platform.BLUESKY) == (10, 300)
    # combining accent: two code points, one grapheme
    assert measure("e\u0301", Platform.BLUESKY) == (1, 300)
    assert measure("a" * 280, Platform.X) == (280, 280)
    assert measure("日本語", Platform.X) == (6, 280)
    assert measure("😀" * 10, Platform.X) == (20, 280)
    url = "https://example.com/" + "a" * 80
    assert measure(f"see {url}", Platform.X) == (4 + 23, 280)


def test_text_that_fits_is_returned_unchanged() -> None:
    text = "a" * 300
    assert fit_to_limit(text, Platform.BLUESKY) == text
    assert fit_to_limit("x" * 280, Platform.X) == "x" * 280


def test_overflow_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    text = " ".join(["parfait"] * 60)  # 479 graphemes
    cut = fit_to_limit(text, Platform.BLUESKY)
    assert cut.endswith(ELLIPSIS)
    assert measure(cut, Platform.BLUESKY)[0] <= 300
    body = cut.removesuffix(ELLIPSIS)
    assert all(word == "parfait" for word in body.split(" "))
    assert len(cut) > 280  # it used the budget, not a tiny fraction


def test_x_cut_respects_weighted_length_for_cjk_and_emoji() -> None:
    text = "日本語のテキスト " * 40
    cut = fit_to_limit(text, Platform.X)
    assert twitter_text.parse_tweet(cut).valid
    assert measure(cut, Platform.X)[0] <= 280
    emoji = "🎉 " * 200
    cut = fit_to_limit(emoji, Platform.X)
    assert twitter_text.parse_tweet(cut).valid
    assert set(cut.removesuffix(ELLIPSIS).split()) == {"🎉"}


def test_never_splits_a_zwj_sequence_or_a_flag_even_without_spaces() -> None:
    text = (FAMILY + FLAG) * 200
    for platform in Platform:
        cut = fit_to_limit(text, platform)
        assert fits(cut, platform)
        body = cut.removesuffix(ELLIPSIS)
        parts = graphemes(body)
        assert set(parts) <= {FAMILY, FLAG}
        assert body.count("\u200d") == 3 * body.count(FAMILY)


def test_a_url_is_kept_whole_or_dropped_whole() -> None:
    url = "https://example.com/docs/getting-started"
    # On X a URL weighs 23 whatever its length, so it survives a cut that comes after it.
    cut = fit_to_limit("word " * 40 + url + " " + "more " * 100, Platform.X)
    assert url in cut
    assert fits(cut, Platform.X)
    # On Bluesky the budget ends inside the URL: it is dropped, not cut in half.
    cut = fit_to_limit("w " * 140 + url + " tail", Platform.BLUESKY)
    assert "http" not in cut
    assert cut.endswith("w…")


def test_custom_budget_and_impossible_budget() -> None:
    cut = fit_to_limit("hello wonderful world", Platform.BLUESKY, limit=12)
    assert cut == "hello…"
    assert fit_to_limit("hello", Platform.BLUESKY, limit=0) == ""
    assert fit_to_limit("hello", Platform.BLUESKY, limit=1) == ELLIPSIS


@pytest.mark.parametrize("platform", list(Platform))
def test_trailing_punctuation_is_dropped_before_the_ellipsis(platform: Platform) -> None:
    text = "Thanks, " + ", ".join(["friend"] * 80)
    cut = fit_to_limit(text, platform)
    assert not regex.search(r"[,\s]…$", cut)
    assert fits(cut, platform)


def test_x_fast_path_agrees_with_twitter_text() -> None:
    samples = [
        "Thanks, Camille! We'll pass it on.",
        "Merci beaucoup, Zoé ! Qu'est-ce qui vous a plu ? « super »",
        "line\r\nbreak\rand\nmore",
        "e\u0301te\u0301",  # combining accents compose under NFC
        "© and ® are emoji on X",
        "see plume.app or https://x.com/a — ok",
        "dots... and 3.5 and e.g. this",
        "“quoted” ‘single’ – dash — dash • bullet",
        "’" * 300,
    ]
    points = [*range(0x300), *range(0x2000, 0x2070), *range(0x300, 0x3000, 7)]
    samples += ["a" + chr(c) + "b" for c in points if c != 0x0D]
    for text in samples:
        expected = int(twitter_text.parse_tweet(text).weightedLength)
        assert measure(text, Platform.X)[0] == expected, repr(text)


def test_x_fits_agrees_with_the_exact_weight_around_the_budget() -> None:
    pieces = [
        "a",
        "é",
        " ",
        "日本",
        "😀",
        FAMILY,
        FLAG,
        "1\ufe0f\u20e3",
        "©",
        "’",
        "…",
        "e\u0301",
        "\n",
    ]
    rng = random.Random(5)
    for _ in range(150):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 200)))
        exact = int(twitter_text.parse_tweet(text).weightedLength)
        for budget in (exact - 1, exact, exact + 1, exact // 2, exact * 2):
            assert fits(text, Platform.X, budget) == (exact <= budget), (text, budget)
