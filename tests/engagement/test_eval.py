"""Metrics, label parsing, and the engine scored on the real validation splits."""

from __future__ import annotations

from pathlib import Path

import pytest

from engagement.classifiers import default_classifier
from engagement.eval import (
    binary_scores,
    decode_escapes,
    evaluate,
    multiclass_scores,
    parse_labels,
    split_lines,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"


def test_multiclass_scores_by_hand() -> None:
    s = multiclass_scores([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0])
    # class 0: p=1/2 r=1/2 f=.5; class 1: p=1/2 r=1 f=2/3; class 2: p=1 r=2/3 f=.8
    assert s.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert s.macro_recall == pytest.approx((0.5 + 1 + 2 / 3) / 3)
    assert s.accuracy == pytest.approx(4 / 6)
    assert s.n == 6
    assert multiclass_scores([1, 1], [1, 1]).per_class_f1 == (0.0, 1.0, 0.0)


def test_binary_scores_by_hand() -> None:
    s = binary_scores([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (s.precision, s.recall, s.n) == (pytest.approx(2 / 3), pytest.approx(2 / 3), 5)
    assert binary_scores([0, 0], [0, 0]).f1 == 0.0
    with pytest.raises(ValueError, match="2 labels but 1"):
        binary_scores([0, 1], [1])
    with pytest.raises(ValueError, match="no examples"):
        binary_scores([], [])


def test_label_and_line_parsing() -> None:
    assert parse_labels(["0", " 2 ", "1"], "sentiment") == [0, 2, 1]
    with pytest.raises(ValueError, match="line 2: label '2' is not 0 or 1"):
        parse_labels(["1", "2"], "complaint")
    with pytest.raises(ValueError, match="line 1: label 'x'"):
        parse_labels(["x"], "sentiment")
    assert split_lines("a\r\nb\n") == ["a", "b"]
    assert split_lines("a\n\nb") == ["a", "", "b"]
    assert split_lines("") == []
    assert decode_escapes(r"it\u2019s") == "it’s"
    with pytest.raises(ValueError, match="unknown task"):
        evaluate("toxicity", ["a"], [1], default_classifier())
    with pytest.raises(ValueError, match="1 texts but 2 labels"):
        evaluate("complaint", ["a"], [1, 0], default_classifier())


@pytest.mark.parametrize("language", ["english", "french"])
def test_sentiment_target_on_the_validation_split(language: str) -> None:
    folder = SHARED / "sentiment" / language
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (../shared/datasets is not beside the repository)")
    texts = split_lines((folder / "val_text.txt").read_text(encoding="utf-8"))
    labels = parse_labels(
        split_lines((folder / "val_labels.txt").read_text(encoding="utf-8")), "sentiment"
    )
    scores = evaluate("sentiment", texts, labels, default_classifier())
    assert scores.n == 324
    assert scores.macro_f1 >= 0.60
