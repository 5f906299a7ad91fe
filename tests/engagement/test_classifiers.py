"""The shipped classifiers: interface, probabilities, model-file checks, exact inference."""

from __future__ import annotations

import math

import pytest

from engagement.classifiers import (
    LinearModel,
    ModelFormatError,
    Sentiment,
    TextClassifier,
    default_classifier,
)
from engagement.classifiers._features import analyze, lexicon_scores, strip_leading_mentions
from engagement.classifiers._linear import load_packaged


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
    direct, conditional, support = c.complaint.probabilities(feats)
    assert got.sentiment == pytest.approx(tuple(sentiment))
    assert got.support == pytest.approx(support)
    assert got.complaint == pytest.approx(math.sqrt(direct * conditional * support))


def test_model_files_are_small_and_documented() -> None:
    for name in ("sentiment.json.gz", "complaint.json.gz", "language.json.gz"):
        data = load_packaged(name)
        assert data["format"] == 1
        assert "meta" in data
    assert load_packaged("sentiment.json.gz")["meta"]["val"]["french"]["n"] == 324


def test_bad_model_files_are_refused() -> None:
    good = {
        "format": 1,
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
        LinearModel.from_dict({**good, "format": 2})
    with pytest.raises(ModelFormatError, match="vocabulary rows"):
        LinearModel.from_dict({**good, "vocab": {"w|x": [1.0]}})
    with pytest.raises(ModelFormatError, match="activation"):
        LinearModel.from_dict({**good, "activation": "relu"})
    with pytest.raises(ModelFormatError, match="cannot read"):
        load_packaged("missing.json.gz")
