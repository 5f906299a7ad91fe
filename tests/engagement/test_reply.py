"""The needs-reply stacker: shipped weights, English only, the fallback rule, bad files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engagement.classifiers import (
    LinearClassifier,
    ModelFormatError,
    ReplyEvidence,
    TextScores,
    default_classifier,
    reads_as_english,
)
from engagement.classifiers._features import analyze, normalize, strip_leading_mentions, tokens
from engagement.classifiers._linear import load_packaged
from engagement.classifiers._reply import INPUTS, ReplyStacker, reply_stacker
from engagement.signals import has_complaint_cue, is_question, is_request, needs_reply


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def test_shipped_stackers_are_the_trained_weights_applied_to_the_heads() -> None:
    c = default_classifier()
    assert c.words is not None
    entry = load_packaged("complaint.json.gz")["needs_reply"]
    text = "@shop hi, my parcel never arrived, can you check order 1234?"
    (got,) = c.classify([text])
    assert got.reply is not None
    feats, toks = analyze(strip_leading_mentions(text))
    _, _, support_nb, support = c.complaint.probabilities(feats)
    w_support = c.words.probabilities([tokens(normalize(strip_leading_mentions(text)))])[0][2]
    assert toks  # the text has words
    english = entry["english"]
    inputs = [_logit(support), _logit(support_nb), _logit(w_support), _logit(got.complaint)]
    want = english["bias"] + sum(w * x for w, x in zip(english["weights"][:4], inputs, strict=True))
    assert got.reply.logit == pytest.approx(want, abs=1e-9)
    assert got.reply.threshold == english["threshold"]
    assert (got.reply.question, got.reply.request, got.reply.complaint_cue) == tuple(
        english["weights"][4:]
    )
    flags = {"question": is_question(text), "request": is_request(text)}
    cue = has_complaint_cue(text)
    decided = needs_reply(got, **flags, complaint=True, language="en", complaint_cue=cue)
    assert decided == got.reply.needs_reply(**flags, complaint_cue=has_complaint_cue(text))
    assert decided


def test_evidence_is_a_logistic_decision_over_the_flags() -> None:
    ev = ReplyEvidence(logit=-1.0, question=0.5, request=0.25, complaint_cue=1.0, threshold=0.5)
    assert ev.probability(question=False, request=False, complaint_cue=False) == pytest.approx(
        1 / (1 + math.exp(1.0))
    )
    assert ev.probability(question=True, request=True, complaint_cue=True) == pytest.approx(
        1 / (1 + math.exp(-0.75))
    )
    assert not ev.needs_reply(question=True, request=False, complaint_cue=False)
    assert ev.needs_reply(question=True, request=True, complaint_cue=True)
    flags = {"question": True, "request": True, "complaint_cue": True}
    assert ReplyEvidence(-1e6, 0, 0, 0, 0.5).probability(**flags) == 0.0  # no overflow
    assert ReplyEvidence(1e6, 0, 0, 0, 0.5).probability(**flags) == 1.0


def test_english_text_uses_the_stacker_other_languages_the_rule() -> None:
    says_no = ReplyEvidence(-5.0, 0.0, 0.0, 0.0, 0.5)
    scores = TextScores((0.3, 0.4, 0.3), 0.2, 0.9, reply=says_no)
    assert scores.reply_in("en") is says_no
    assert scores.reply_in("und") is says_no
    assert scores.reply_in("fr") is None
    flags = {"question": False, "request": False, "complaint": False, "complaint_cue": False}
    assert not needs_reply(scores, **flags, language="en")
    # The fixed rule: support 0.9 reaches its 0.5 (French text, or no stacker at all).
    assert needs_reply(scores, **flags, language="fr")
    assert needs_reply(TextScores((0.3, 0.4, 0.3), 0.2, 0.9), **flags, language="en")
    assert not needs_reply(TextScores((0.3, 0.4, 0.3), 0.2, 0.1), **flags, language="en")


def test_french_text_is_decided_by_the_rule() -> None:
    c = default_classifier()
    (got,) = c.classify(["Bonjour, ma commande n'est jamais arrivée, pouvez-vous vérifier ?"])
    assert got.reply is not None
    assert got.reply_in("fr") is None
    flags = {"question": True, "request": False, "complaint": True, "complaint_cue": False}
    assert needs_reply(got, **flags, language="fr")


def test_malformed_stackers_are_refused() -> None:
    good = {"weights": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "bias": -1.0, "threshold": 0.5}
    stacker = ReplyStacker.from_dict(good, 3)
    assert stacker.flags == (0.4, 0.5, 0.6)
    (ev,) = stacker.evidence([np.asarray([1.0]), np.asarray([1.0]), np.asarray([1.0])])
    assert ev.logit == pytest.approx(-1.0 + 0.6)
    with pytest.raises(ModelFormatError, match="6 weights, not 7"):
        ReplyStacker.from_dict(good, 4)
    with pytest.raises(ModelFormatError, match="needs-reply stacker"):
        ReplyStacker.from_dict({"weights": [0.1]}, 0)
    with pytest.raises(ModelFormatError, match="english"):
        reply_stacker({"other": good})
    seven = {**good, "weights": [0.1] * 7}
    with pytest.raises(ModelFormatError, match="inputs"):
        reply_stacker({"english": seven, "inputs": list(reversed(INPUTS))})
    assert reply_stacker({"english": seven, "inputs": list(INPUTS)}) is not None
    assert reply_stacker(None) is None
    c = default_classifier()
    with pytest.raises(ValueError, match="word-vector heads"):
        LinearClassifier(c.sentiment, c.complaint, None, stacker)


def test_signals_apply_the_stacker_to_english_and_the_rule_elsewhere() -> None:
    """text_signals passes each text's language and complaint cue to the decision."""
    from engagement.signals import text_signals

    texts = [
        ("my order never arrived and support ignores me", "en"),
        ("how do I change my password?", None),
        ("lunch with the team, pizza day", "en"),
        ("La pluie ne s'arrête plus à Paris", "fr"),
        ("Je vais au cinéma ce soir avec les copains", "fr"),
        ("Ma commande est marquée livrée mais je n'ai rien reçu", "fr"),
        ("still not working after the update, unacceptable", "en"),
        ("Still not working after the update, unacceptable", "fr"),  # tag says French
    ]
    c = default_classifier()
    signals = text_signals(texts, c)
    disagree = 0
    for (text, _), sig, scores in zip(
        texts, signals, c.classify([t for t, _ in texts]), strict=True
    ):
        flags = {"question": sig.question, "request": sig.request}
        cue = has_complaint_cue(text)
        evidence = scores.reply_in(sig.language)
        if reads_as_english(sig.language):
            assert evidence is not None
            assert sig.needs_reply == evidence.needs_reply(**flags, complaint_cue=cue)
        else:
            assert evidence is None
            support = scores.support
            rule = (
                support >= 0.5
                or sig.request
                or (sig.question and support >= 0.25)
                or (sig.complaint and support >= 0.2)
            )
            assert sig.needs_reply == rule
            stacked = scores.reply is not None and scores.reply.needs_reply(
                **flags, complaint_cue=cue
            )
            disagree += stacked != rule
    assert disagree >= 1  # the French texts do exercise the difference
