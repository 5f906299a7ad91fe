"""Small text heuristics drafting needs on its own: language, intent and topic.

They are deliberately simple (word lists), deterministic and fast. When the engagement
engine's classifiers are available the callers pass their verdicts in the request instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from engagement.drafting._models import Intent

_WORD = regex.compile(r"[\p{L}\p{M}'’-]+")
_HASHTAG = regex.compile(r"(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{2,40})")
_NOISE = regex.compile(r"https?://\S+|(?<![\p{L}\p{N}_])@[\w.-]+|#[\p{L}\p{N}_]+")

_FR = frozenset(
    (
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "pas",
        "ne",
        "je",
        "tu",
        "il",
        "elle",
        "nous",
        "vous",
        "ils",
        "elles",
        "on",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "votre",
        "vos",
        "notre",
        "nos",
        "pour",
        "avec",
        "sur",
        "dans",
        "par",
        "qui",
        "que",
        "quoi",
        "quand",
        "comment",
        "pourquoi",
        "où",
        "ça",
        "ce",
        "cette",
        "ces",
        "c'est",
        "j'ai",
        "merci",
        "bonjour",
        "salut",
        "très",
        "trop",
        "aussi",
        "mais",
        "ou",
        "donc",
        "car",
        "encore",
        "déjà",
        "toujours",
        "jamais",
        "rien",
        "tout",
        "tous",
        "bien",
        "fait",
        "faire",
        "peut",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "est-ce",
        "avez",
        "avons",
        "êtes",
        "suis",
    )
)
_EN = frozenset(
    (
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "not",
        "no",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "it",
        "my",
        "your",
        "our",
        "their",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "from",
        "what",
        "when",
        "how",
        "why",
        "where",
        "who",
        "which",
        "this",
        "that",
        "these",
        "those",
        "thanks",
        "thank",
        "hi",
        "hello",
        "very",
        "too",
        "also",
        "but",
        "or",
        "so",
        "still",
        "already",
        "always",
        "never",
        "nothing",
        "all",
        "good",
        "does",
        "do",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "have",
        "has",
        "had",
        "was",
        "were",
        "am",
    )
)
_FR_MARKS = frozenset("éèêàùçôîœ")

_QUESTION_WORDS = {
    "fr": ("comment", "pourquoi", "quand", "combien", "est-ce", "quel", "quelle", "où"),
    "en": ("how", "why", "when", "where", "what", "which", "who", "does", "can", "is there"),
}
# Word starts that mark a complaint (``crash`` matches crashes, crashing…).
_NEGATIVE_STEMS = (
    "bug",
    "broke",
    "crash",
    "plant",
    "erreur",
    "error",
    "panne",
    "problem",
    "problèm",
    "disappoint",
    "déçu",
    "decu",
    "worst",
    "horribl",
    "terribl",
    "awful",
    "scandal",
    "arnaqu",
    "scam",
    "refund",
    "rembours",
    "inadmissibl",
    "inacceptabl",
    "unacceptabl",
    "angry",
    "furious",
    "fâché",
    "énervé",
    "honte",
    "shame",
    "annul",
    "cancel",
    "retard",
    "delay",
    "bloqu",
    "stuck",
    "hate",
    "détest",
    "frustr",
)
# Short words matched whole (``late`` must not match ``later``).
_NEGATIVE_WORDS = frozenset(("nul", "nulle", "pire", "lent", "lente", "slow", "late", "issue"))


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``, links, @handles and hashtags left out."""
    return [w.casefold().strip("'’-") for w in _WORD.findall(_NOISE.sub(" ", text))]


def detect_language(text: str) -> str | None:
    """Guess ``fr`` or ``en`` from function words and accents; ``None`` when unsure."""
    tokens = words(text)
    if not tokens:
        return None
    french = sum(1 for w in tokens if w in _FR) + sum(1 for c in text.casefold() if c in _FR_MARKS)
    english = sum(1 for w in tokens if w in _EN)
    if french == english:
        return None
    return "fr" if french > english else "en"


def infer_intent(text: str, language: str = "en") -> Intent:
    """Question when it asks, complaint when it is negative, praise otherwise."""
    tokens = words(text)
    if any(w in _NEGATIVE_WORDS or w.startswith(_NEGATIVE_STEMS) for w in tokens):
        return Intent.COMPLAINT
    if "?" in text:
        return Intent.QUESTION
    lowered = " ".join(tokens)
    starters = _QUESTION_WORDS["fr" if language.startswith("fr") else "en"]
    if any(lowered.startswith(word) for word in starters):
        return Intent.QUESTION
    return Intent.PRAISE


def extract_topic(text: str, known_topics: Iterable[str] = ()) -> str:
    """The topic a reply can name: a known brand topic the text mentions, else its first hashtag.

    Free text is not mined for words: a badly guessed topic quoted back to a person reads
    worse than no topic, so templates simply leave the topic out when this returns ``""``.

    Args:
        text: The item's text.
        known_topics: Topics the brand cares about (``ENGAGEBOT_TOPICS``), first match wins.

    Returns:
        The topic, or ``""``.
    """
    for topic in known_topics:
        clean = " ".join(topic.split())
        if clean and regex.search(
            rf"(?<![\p{{L}}\p{{N}}_]){regex.escape(clean)}(?![\p{{L}}\p{{N}}_])",
            text,
            regex.IGNORECASE,
        ):
            return clean
    tag = _HASHTAG.search(text)
    return tag.group(1) if tag else ""
