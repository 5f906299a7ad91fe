"""Deterministic draft wording for the sandbox LLM: language, intent and three short replies."""

from __future__ import annotations

import hashlib
import re

__all__ = ["detect_intent", "detect_language", "drafts_for"]

_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "est",
        "et",
        "je",
        "tu",
        "vous",
        "nous",
        "on",
        "pas",
        "pour",
        "avec",
        "sur",
        "dans",
        "que",
        "qui",
        "quoi",
        "merci",
        "bonjour",
        "salut",
        "c'est",
        "ça",
        "est-ce",
        "quand",
        "comment",
        "pourquoi",
        "mais",
        "très",
        "trop",
        "plus",
        "votre",
        "vos",
        "mon",
        "ma",
        "mes",
        "du",
        "au",
        "aux",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "and",
        "i",
        "you",
        "we",
        "it",
        "not",
        "for",
        "with",
        "on",
        "in",
        "that",
        "what",
        "who",
        "thanks",
        "hello",
        "hi",
        "when",
        "how",
        "why",
        "but",
        "very",
        "too",
        "more",
        "your",
        "my",
        "does",
        "do",
        "can",
    ]
)
_COMPLAINT = re.compile(
    r"\b(bug|crash|plante|marche pas|fonctionne pas|broken|doesn't work|not working|déçu|"
    r"disappointed|nul|terrible|rembours|refund|perdu|lost|angry|énervé|inacceptable)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)

_DRAFTS: dict[str, dict[str, tuple[str, ...]]] = {
    "question": {
        "fr": (
            "Bonne question ! On vérifie et on revient vers vous dans la journée.",
            "Merci pour la question 🙏 Tout est expliqué dans notre guide, on vous envoie le lien.",
            "Oui, c'est prévu ! On partage les détails très bientôt.",
            "On regarde ça avec l'équipe et on vous répond ici même.",
        ),
        "en": (
            "Great question! We're checking and will get back to you today.",
            "Thanks for asking 🙏 It's all in our guide, we'll send you the link.",
            "Yes, it's on the way! We'll share details very soon.",
            "We're looking into it with the team and will answer right here.",
        ),
    },
    "complaint": {
        "fr": (
            "Désolés pour ce souci 😕 Vous pouvez nous écrire en privé pour qu'on regarde ?",
            "Merci de nous l'avoir signalé, l'équipe enquête déjà. On vous tient au courant.",
            "On comprend la frustration. Pouvez-vous nous donner votre version de l'app ?",
            "Toutes nos excuses, on corrige ça au plus vite.",
        ),
        "en": (
            "Sorry about this 😕 Could you DM us so we can take a look?",
            "Thanks for flagging it, the team is already on it. We'll keep you posted.",
            "We hear you. Which version of the app are you on?",
            "Our apologies, we're fixing this as fast as we can.",
        ),
    },
    "praise": {
        "fr": (
            "Merci beaucoup, ça fait super plaisir à toute l'équipe ! 💙",
            "Trop contents que ça vous plaise, merci du partage !",
            "Merci ! Vos retours nous motivent énormément.",
            "Ça nous touche, merci d'être là depuis le début 🙌",
        ),
        "en": (
            "Thank you so much, the whole team is thrilled! 💙",
            "So glad you like it, thanks for sharing!",
            "Thanks! Feedback like this keeps us going.",
            "This means a lot, thanks for being with us from day one 🙌",
        ),
    },
}


def detect_language(text: str) -> str:
    """``fr`` or ``en``: whichever language's common words (and accents) dominate."""
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(w in _FR_WORDS for w in words) + len(re.findall(r"[éèêàçùâîôû]", text))
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr > en else "en"


def detect_intent(text: str) -> str:
    """``complaint``, ``question`` or ``praise`` (the default)."""
    if _COMPLAINT.search(text):
        return "complaint"
    if "?" in text:
        return "question"
    return "praise"


def drafts_for(text: str, count: int = 3) -> tuple[str, str, list[str]]:
    """Return ``(language, intent, drafts)`` for ``text``.

    The ``count`` distinct drafts are chosen by a hash of ``text``: same text, same drafts.
    """
    lang = detect_language(text)
    intent = detect_intent(text)
    options = _DRAFTS[intent][lang]
    start = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % len(options)
    chosen = [options[(start + i) % len(options)] for i in range(min(count, len(options)))]
    return lang, intent, chosen
