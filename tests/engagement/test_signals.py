"""Text signals: questions, requests, complaints, language, spam — and odd input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engagement.classifiers import default_classifier
from engagement.signals import (
    detect_language,
    has_complaint_cue,
    is_link_only,
    is_question,
    is_request,
    primary_tag,
    spam_likelihood,
    text_signals,
    text_spam_cues,
)
from tests.engagement._factory import NOW


@pytest.mark.parametrize(
    "text",
    [
        "Est-ce que la boutique est ouverte dimanche",
        "Pouvez-vous m'aider avec ma facture",
        "peut-on payer en trois fois",
        "Comment faire pour annuler mon abonnement",
        "Quel est le prix de la version pro",
        "Y a-t-il une date de sortie",
        "Où est ma commande",
        "Je me demande si l'appli marche sur iPad",
        "how do I reset my password",
        "Can you send me the invoice",
        "Does it work offline",
        "any idea when it ships",
        "Is there a way to export my data",
        "le lien https://ex.com/a?b=1 marche pas ?",
    ],
)
def test_questions_in_french_and_english(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "On se donne rendez-vous demain à 10h",
        "Quand je suis arrivé, tout était fermé",
        "Merci pour tout, super équipe",
        "I love this so much",
        "look at this https://ex.com/page?id=3",
        "",
        "😍🔥",
    ],
)
def test_not_questions(text: str) -> None:
    assert not is_question(text)


def test_requests_and_complaint_cues() -> None:
    assert is_request("Merci de me rembourser svp")
    assert is_request("Please DM me the tracking number")
    assert not is_request("Great launch today")
    assert has_complaint_cue("Toujours pas reçu mon colis, c'est inadmissible")
    assert has_complaint_cue("still not working after the update")
    assert not has_complaint_cue("Bravo pour la sortie !")


def test_language_prefers_the_platform_tag_then_detects() -> None:
    assert detect_language("Hello there", "fr-FR").code == "fr"
    assert detect_language("Bonjour", "und").source != "platform"
    assert primary_tag("pt_BR") == "pt"
    assert primary_tag("") is None
    assert primary_tag("123") is None
    assert detect_language("Le support ne répond toujours pas depuis hier").code == "fr"
    assert detect_language("Where is my order, it has been two weeks").code == "en"
    assert detect_language("مرحبا كيف حالك").code == "ar"
    for odd in ("", "😍😍😍", "https://t.co/xyz", "@brand"):
        guess = detect_language(odd)
        assert guess.code == "und"
        assert guess.source == "none"


def test_spam_cues_and_likelihood() -> None:
    assert text_spam_cues("Free crypto giveaway, claim now") == ("crypto/giveaway wording",)
    assert is_link_only("@brand https://spam.example/x ")
    assert not is_link_only("regardez https://ex.com")
    bot = spam_likelihood(
        now=NOW,
        text_cues=("crypto/giveaway wording",),
        followers=2,
        follows=5_000,
        posts=0,
        account_created_at=NOW - timedelta(days=1),
        has_avatar=False,
        bio="",
        repeats=4,
    )
    assert bot.score > 0.9
    assert "same text sent 4 times" in bot.reasons
    assert "account 1 day old" in bot.reasons
    unknown = spam_likelihood(now=NOW)  # missing author data is not suspicious by itself
    assert unknown.score == 0.0
    assert unknown.reasons == ()


def test_text_signals_survive_odd_input() -> None:
    odd = [
        ("", None),
        ("😍😍😍", None),
        ("https://t.co/abc", "en"),
        ("a" * 100_000, None),
        ("Merci for the update, c'est top but when is v2 coming?", None),
        ("\x00\u200b\n\t", None),
    ]
    signals = text_signals(odd, default_classifier())
    assert len(signals) == len(odd)
    assert not signals[0].needs_reply
    assert not signals[0].question
    assert signals[2].spam_cues == ("only a link",)
    assert signals[2].language == "en"
    assert signals[4].question
    for s in signals:
        assert 0.0 <= s.negative <= 1.0
        assert 0.0 <= s.support_p <= 1.0


def test_needs_reply_on_a_small_sanity_set() -> None:
    """Support-style messages (some from the complaint corpus' style) vs ordinary posts.

    A sanity check only: the real needs-reply test set is held out and scored with
    ``engagebot eval needs-reply``.
    """
    positives = [
        "my order still hasn't arrived and nobody answers my emails",
        "can I return online purchases to a store if I have the delivery note?",
        "i need to check my order status, can you help",
        "Bonjour, je n'arrive pas à me connecter à mon compte depuis ce matin",
        "Pourquoi ma carte a été débitée deux fois ? Merci de me rembourser",
        "the app keeps crashing when I open my basket, please fix",
        "Est-ce que vous livrez en Belgique ?",
        "worst customer service ever, 3 weeks waiting for a refund",
        "Ma commande est marquée livrée mais je n'ai rien reçu",
        "hi, how do I change the email address on my account?",
    ]
    negatives = [
        "what a beautiful sunset tonight at the beach",
        "Je vais au cinéma ce soir avec les copains",
        "just finished my morning run, feeling great",
        "le match d'hier était incroyable",
        "happy birthday to my amazing sister",
        "Vivement les vacances !",
        "listening to the new album on repeat",
        "lunch with the team, pizza day",
        "La pluie ne s'arrête plus à Paris",
        "watching the game with friends tonight",
    ]
    signals = text_signals([(t, None) for t in positives + negatives], default_classifier())
    predicted = [int(s.needs_reply) for s in signals]
    gold = [1] * len(positives) + [0] * len(negatives)
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    precision = tp / max(sum(predicted), 1)
    recall = tp / len(positives)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    assert f1 >= 0.9, (predicted, f1)


def test_french_complaints_keep_the_language_independent_score() -> None:
    """The word-vector family reads English only: French text is judged on the n-grams."""
    texts = [
        ("Pourquoi ma commande n'est toujours pas arrivée ?? 😡", "fr"),
        ("Trois semaines sans réponse du service client, c'est honteux", None),
        ("my order is three weeks late and nobody answers, this is a joke", "en"),
    ]
    classifier = default_classifier()
    scores = classifier.classify([t for t, _ in texts])
    signals = text_signals(texts, classifier)
    assert [s.language for s in signals] == ["fr", "fr", "en"]
    for sig, score in zip(signals[:2], scores[:2], strict=True):
        assert score.complaint_other is not None
        assert sig.complaint_p == round(score.complaint_other, 4)
        assert sig.complaint
    assert signals[2].complaint_p == round(scores[2].complaint, 4)
    assert signals[2].complaint
