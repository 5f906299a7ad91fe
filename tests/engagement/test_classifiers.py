"""The shipped classifiers: interface, probabilities, model-file checks, exact inference."""

from __future__ import annotations

import math
from collections import Counter
from importlib import resources

import numpy as np
import pytest

from engagement.classifiers import (
    LinearModel,
    ModelFormatError,
    Sentiment,
    TextClassifier,
    TextScores,
    default_classifier,
)
from engagement.classifiers._features import (
    analyze,
    joined,
    lexicon_scores,
    normalize,
    strip_leading_mentions,
    tokens,
)
from engagement.classifiers._hashing import HashIndex, string_hashes, text_hashes
from engagement.classifiers._linear import CHUNK, load_packaged

ODD_TEXTS = [
    "",
    " ",
    "a",
    "😍",
    "!!!",
    "hello world",
    "@brand Pourquoi ma commande n'est toujours pas arrivée ?? 😡 https://t.co/x",
    "C'est top, merci @bob !!! #bravo",
    "lone surrogate \ud800 and \x00 nul",
    "ñandú über straße 東京 مرحبا",
    "w|x b|y z",
    "x" * 3_000,
]


def test_default_classifier_implements_the_interface() -> None:
    classifier: TextClassifier = default_classifier()
    texts = ["I love it, thank you!", "C'est une honte, toujours pas livré", "", "😡😡"]
    scores = classifier.classify(texts)
    assert len(scores) == len(texts)
    for s in scores:
        assert math.isclose(sum(s.sentiment), 1.0, rel_tol=1e-9)
        assert 0.0 <= s.complaint <= 1.0
        assert 0.0 <= s.support <= 1.0
    assert scores[0].sentiment_label is Sentiment.POSITIVE
    assert scores[1].sentiment_label is Sentiment.NEGATIVE
    assert scores[1].complaint > scores[0].complaint
    assert classifier.classify([]) == []
    assert classifier.classify(texts) == scores  # cached results are the same


def test_bundle_equals_each_model_alone() -> None:
    """The merged one-look-up path gives exactly what each model gives on its own."""
    c = default_classifier()
    text = "@brand Pourquoi ma commande n'est toujours pas arrivée ?? 😡 https://t.co/x"
    c.clear_cache()
    got = c.classify([text])[0]
    feats, toks = analyze(strip_leading_mentions(text))
    sentiment = c.sentiment.probabilities(feats, lexicon_scores(toks, c.sentiment.lexicon))
    direct, conditional, support_nb, support = c.complaint.probabilities(feats)
    ngrams = math.sqrt(direct * conditional * support_nb)
    assert c.words is not None
    words = math.sqrt(math.prod(c.words.probabilities([toks])[0]))
    assert got.sentiment == pytest.approx(tuple(sentiment))
    assert got.support == pytest.approx(support)
    assert got.complaint_other == pytest.approx(ngrams)
    assert got.complaint == pytest.approx(math.sqrt(ngrams * words))


def test_hashed_features_are_the_string_features() -> None:
    """The numpy path hashes exactly the n-grams (with repetitions) that training counts."""
    lines = [joined(tokens(normalize(t))) for t in ODD_TEXTS]
    hashed = text_hashes(lines)
    assert len(hashed.counts) == len(ODD_TEXTS)
    assert int(hashed.counts.sum()) == len(hashed.hashes)
    start = 0
    for text, count in zip(ODD_TEXTS, hashed.counts.tolist(), strict=True):
        expected = Counter(string_hashes(analyze(text)[0]).tolist())
        assert Counter(hashed.hashes[start : start + count].tolist()) == expected, text
        start += count
    everything = sorted({f for t in ODD_TEXTS for f in analyze(t)[0]})
    assert len(set(string_hashes(everything).tolist())) == len(everything)  # no collision


def test_hash_index_probes_past_collisions() -> None:
    # Hashes whose top bits are equal all want the same slot: found only by probing on.
    crowded = np.arange(1, 40, dtype=np.uint64) * np.uint64(7)
    spread = np.asarray([(i << 58) | 5 for i in range(1, 30)], dtype=np.uint64)
    keys = np.concatenate([crowded, spread])
    index = HashIndex(keys)
    assert index.lookup(keys).tolist() == list(range(len(keys)))
    unknown = np.asarray([0, 8, 1 << 63, (3 << 58) | 6], dtype=np.uint64)
    assert index.lookup(unknown).tolist() == [-1] * len(unknown)
    assert index.lookup(np.zeros(0, dtype=np.uint64)).tolist() == []
    with pytest.raises(ValueError, match="collide"):
        HashIndex(np.asarray([3, 4, 3], dtype=np.uint64))


def test_batches_equal_the_reference_model_per_text() -> None:
    """Chunked batch scoring (duplicates, odd texts, more than one chunk) = one text at a time."""
    c = default_classifier()
    texts = [*ODD_TEXTS, *ODD_TEXTS[:3]] + [f"order {i} still not here!" for i in range(CHUNK)]
    c.clear_cache()
    batch = c.classify(texts)
    for text, got in zip(texts, batch, strict=True):
        feats, toks = analyze(strip_leading_mentions(text))
        sentiment = c.sentiment.probabilities(feats, lexicon_scores(toks, c.sentiment.lexicon))
        direct, conditional, support_nb, support = c.complaint.probabilities(feats)
        ngrams = math.sqrt(direct * conditional * support_nb)
        assert c.words is not None
        w_direct, w_conditional, w_support = c.words.probabilities([toks])[0]
        words = math.sqrt(w_direct * w_conditional * w_support)
        assert got.sentiment == pytest.approx(tuple(sentiment), abs=1e-9)
        assert got.support == pytest.approx(support, abs=1e-9)
        assert got.complaint == pytest.approx(math.sqrt(ngrams * words), abs=1e-9)
    c.clear_cache()
    # Equal up to rounding: BLAS may sum a one-row product in another order than a batch.
    for single, batched in zip((c.classify([t])[0] for t in texts[:20]), batch, strict=False):
        assert single.sentiment == pytest.approx(batched.sentiment, abs=1e-12)
        assert single.complaint == pytest.approx(batched.complaint, abs=1e-12)
        assert single.support == pytest.approx(batched.support, abs=1e-12)
        assert single.complaint_other == pytest.approx(batched.complaint_other, abs=1e-12)
        assert single.reply is not None
        assert batched.reply is not None
        assert single.reply.logit == pytest.approx(batched.reply.logit, abs=1e-9)


def test_model_files_are_small_and_documented() -> None:
    models = resources.files("engagement.classifiers.models")
    total = 0
    for name in ("sentiment.json.gz", "complaint.json.gz", "language.json.gz"):
        data = load_packaged(name)
        assert data["format"] == 2
        assert "meta" in data
        total += len(models.joinpath(name).read_bytes())
    total += len(models.joinpath("complaint_words.npz").read_bytes())
    assert total < 6_000_000
    assert load_packaged("sentiment.json.gz")["meta"]["val"]["french"]["n"] == 324
    complaint = load_packaged("complaint.json.gz")
    assert "nested" in complaint["meta"]["protocol"]
    assert complaint["thresholds"] == complaint["meta"]["thresholds"]


def test_bad_model_files_are_refused() -> None:
    good = {
        "format": 2,
        "name": "t",
        "outputs": ["a", "b"],
        "activation": "softmax",
        "vocab": {"w|x": [1.0, -1.0, 1.0]},
        "bias": [0.0, 0.0],
    }
    model = LinearModel.from_dict(good)
    assert model.probabilities(["w|x"])[0] > 0.5
    assert model.probabilities([]) == [0.5, 0.5]
    with pytest.raises(ModelFormatError, match="format"):
        LinearModel.from_dict({**good, "format": 1})
    with pytest.raises(ModelFormatError, match="vocabulary rows"):
        LinearModel.from_dict({**good, "vocab": {"w|x": [1.0]}})
    with pytest.raises(ModelFormatError, match="activation"):
        LinearModel.from_dict({**good, "activation": "relu"})
    with pytest.raises(ModelFormatError, match="cannot read"):
        load_packaged("missing.json.gz")


def test_complaint_score_follows_the_language() -> None:
    both = TextScores(
        (0.2, 0.3, 0.5), 0.3, 0.5, 0.4, 0.5, complaint_other=0.6, complaint_other_threshold=0.5
    )
    assert both.complaint_in("en") == (0.3, 0.4)
    assert both.complaint_in("und") == (0.3, 0.4)
    assert both.complaint_in("fr") == (0.6, 0.5)
    assert both.complaint_in("pt") == (0.6, 0.5)
    single = TextScores((0.2, 0.3, 0.5), 0.45, 0.5, 0.4, 0.5)
    assert single.complaint_in("fr") == (0.45, 0.4)
    assert single.complaint_in("de") == (0.45, 0.4)
