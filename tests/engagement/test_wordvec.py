"""The word-vector complaint heads: the shipped arrays reproduce the trained regressions."""

from __future__ import annotations

import io
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from engagement.classifiers import ModelFormatError, default_classifier
from engagement.classifiers._features import analyze, normalize, strip_leading_mentions, tokens
from engagement.classifiers._wordvec import WordVectorHeads

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from complaint_model import WordFeatures, word_head_arrays

WORDS = [
    "order", "late", "refund", "still", "not", "here", "love", "this", "thanks", "broken",
    "why", "help", "great", "day", "!", "?", "my", "the", "is", "again",
]  # fmt: skip
TEXTS = [
    "my order is late again!",
    "still not here, refund please",
    "love this, thanks!",
    "great day",
    "broken again? why",
    "help help help my order",
    "the the the",
    "nothing known at all",
    "",
    "Order LATE!!!",
]


def reference(heads: dict[str, Any], toks: Sequence[str]) -> list[float]:
    """The module docstring's formula, one text at a time, in plain Python."""
    index = {w: i for i, w in enumerate(heads["words"])}
    ids = [index[t] for t in toks if t in index]
    bias = [float(b) for b in heads["bias"]]
    if not ids:
        return [1 / (1 + math.exp(-b)) for b in bias]
    low = np.asarray(heads["low"], dtype=np.float64)[ids].sum(0)
    residual = np.asarray(heads["residual"], dtype=np.float64)
    norm = math.sqrt(float(low @ low) + sum(c * c * residual[i] for i, c in Counter(ids).items()))
    proj = np.asarray(heads["projections"], dtype=np.float64)[ids].sum(0)
    return [1 / (1 + math.exp(-(b + p / norm))) for b, p in zip(bias, proj, strict=True)]


@pytest.fixture(scope="module")
def trained() -> tuple[WordFeatures, LogisticRegression, dict[str, Any]]:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(WORDS), 24)) + rng.normal(size=24)  # a shared direction
    features = WordFeatures(WORDS, vectors.astype(np.float16))
    texts = [f"{a} {b} {c}" for a in WORDS[:8] for b in WORDS[5:15] for c in WORDS[10:]]
    labels = np.asarray([int(("late" in t) or ("broken" in t)) for t in texts])
    lr = LogisticRegression(C=16.0, max_iter=5000).fit(features.transform(texts), labels)
    return features, lr, word_head_arrays(features, [lr, lr, lr])


def test_shipped_arrays_give_the_fitted_regression(
    trained: tuple[WordFeatures, LogisticRegression, dict[str, Any]],
) -> None:
    features, lr, arrays = trained
    heads = WordVectorHeads(**arrays, outputs=("a", "b", "c"))
    got = heads.probabilities([tokens(normalize(t)) for t in TEXTS])
    want = lr.predict_proba(features.transform(TEXTS))[:, 1]
    assert got.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(got[:, 0], want, atol=1e-5)
    for text, row in zip(TEXTS, got, strict=True):
        assert row.tolist() == pytest.approx(reference(arrays, tokens(normalize(text))), abs=1e-9)


def test_unknown_or_empty_texts_get_the_bias_and_repeats_count(
    trained: tuple[WordFeatures, LogisticRegression, dict[str, Any]],
) -> None:
    _, lr, arrays = trained
    heads = WordVectorHeads(**arrays, outputs=("a", "b", "c"))
    prior = 1 / (1 + math.exp(-float(lr.intercept_[0])))
    empty, unknown, once, thrice = heads.probabilities(
        [[], ["zzz", "qqq"], ["late"], ["late", "late", "late"]]
    )[:, 0]
    assert empty == pytest.approx(prior)
    assert unknown == pytest.approx(prior)
    # A word said three times has the same mean direction as said once: same feature.
    assert thrice == pytest.approx(once, abs=1e-9)


def test_inconsistent_or_corrupt_arrays_are_refused(
    trained: tuple[WordFeatures, LogisticRegression, dict[str, Any]],
) -> None:
    _, _, arrays = trained
    short = {**arrays, "residual": np.asarray(arrays["residual"])[:-1]}
    with pytest.raises(ModelFormatError, match="inconsistent"):
        WordVectorHeads(**short, outputs=("a", "b", "c"))
    with pytest.raises(ModelFormatError, match="cannot read word vectors"):
        WordVectorHeads.from_package("missing.npz")
    with pytest.raises(ModelFormatError):
        WordVectorHeads.from_bytes(b"not an npz at all", "garbage.npz")
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(b'{"format": 99}', dtype=np.uint8))
    with pytest.raises(ModelFormatError, match="format 99"):
        WordVectorHeads.from_bytes(buffer.getvalue(), "future.npz")
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(b"[1, 2]", dtype=np.uint8))
    with pytest.raises(ModelFormatError, match="format"):
        WordVectorHeads.from_bytes(buffer.getvalue(), "list-meta.npz")
    nan = {**arrays, "projections": np.full_like(arrays["projections"], np.nan)}
    with pytest.raises(ModelFormatError, match="non-finite"):
        WordVectorHeads(**nan, outputs=("a", "b", "c"))
    negative = {**arrays, "residual": -np.asarray(arrays["residual"])}
    with pytest.raises(ModelFormatError, match="residuals"):
        WordVectorHeads(**negative, outputs=("a", "b", "c"))


def test_damaged_shipped_file_is_refused_with_a_clear_error() -> None:
    from importlib import resources

    blob = bytearray(
        resources.files("engagement.classifiers.models")
        .joinpath("complaint_words.npz")
        .read_bytes()
    )
    assert WordVectorHeads.from_bytes(bytes(blob), "ok.npz").outputs[0] == "complaint"
    blob[1000:1050] = bytes(50)  # zeroed inside a compressed member
    with pytest.raises(ModelFormatError, match="cannot read word vectors"):
        WordVectorHeads.from_bytes(bytes(blob), "damaged.npz")
    with pytest.raises(ModelFormatError, match="cannot read word vectors"):
        WordVectorHeads.from_bytes(bytes(blob[: len(blob) // 2]), "truncated.npz")
    with pytest.raises(ModelFormatError, match="not the file"):
        WordVectorHeads.from_package("complaint_words.npz", sha256="0" * 64)


def test_the_shipped_classifier_uses_both_families() -> None:
    c = default_classifier()
    assert c.words is not None
    assert c.words.outputs == ("complaint", "complaint_if_support", "support_nb")
    text = "@brand my order is late again and nobody answers"
    (got,) = c.classify([text])
    toks = tokens(normalize(strip_leading_mentions(text)))
    feats, _ = analyze(strip_leading_mentions(text))
    direct, conditional, support_nb, _ = c.complaint.probabilities(feats)
    w_direct, w_conditional, w_support = c.words.probabilities([toks])[0]
    ngrams = math.sqrt(direct * conditional * support_nb)
    words = math.sqrt(w_direct * w_conditional * w_support)
    assert got.complaint == pytest.approx(math.sqrt(ngrams * words), abs=1e-9)
    assert got.is_complaint
