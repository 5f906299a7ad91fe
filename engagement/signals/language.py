"""Language of a text: the platform's own tag first, else the script, else a char n-gram model.

The model (``language.json.gz``) is a logistic regression over the shared n-gram features,
trained on tweets in English, French, German, Spanish, Italian and Portuguese; Arabic,
Hebrew, Cyrillic, Greek, Devanagari, CJK, Thai and Korean scripts are recognised by their
characters, and a clear majority of French/English/… function words decides before the
model. Texts with too few letters (emoji only, a link) are ``und`` (undetermined).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from engagement.classifiers._features import analyze
from engagement.classifiers._linear import LinearModel, load_packaged

__all__ = ["LanguageGuess", "detect_language", "primary_tag"]

UNDETERMINED = "und"
_MIN_LETTERS = 3
_MIN_CONFIDENCE = 0.40

# (first code point, last code point, language) for scripts that name their language well
# enough for triage; the bot only needs "French / English / something else".
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0600, 0x06FF, "ar"),
    (0x0590, 0x05FF, "he"),
    (0x0400, 0x04FF, "ru"),
    (0x0370, 0x03FF, "el"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"),
    (0x4E00, 0x9FFF, "zh"),
)


# Function words: on short social posts they are more reliable than n-grams learnt from one
# domain of tweets, so a clear majority of them decides before the model is asked.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "fr": "le la les est que qu pas de des et un une je vous pour avec ce c'est sur ne "
        "qui dans du au aux mon ma mes votre vos nous il elle ils on est-ce ça merci bonjour "
        "j'ai n'est très mais ou où quand comment pourquoi toujours depuis",
        "en": "the is are to and of you it my for this that with not i on have do does "
        "your we was be can will what how why when just at from me our an thanks hi please "
        "it's don't i'm",
        "es": "el los las que y en por para es con no una lo se del al pero muy como "
        "gracias hola está mi tu yo",
        "de": "der die das und ist nicht ich zu den mit sie ein eine es auf für auch sich "
        "wie danke hallo",
        "it": "il di che è la e per non un una sono del della ma con mi ho grazie ciao",
        "pt": "o a os de que é não um uma para com do da em mas se muito obrigado olá você",
    }.items()
}
_NOISE = re.compile(r"https?://\S+|\bwww\.\S+|[@＠][\w.\-]+", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _function_word_vote(text: str) -> str | None:
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    words: list[str] = _WORDS.findall(text.lower())
    for word in words:
        for lang, vocabulary in _FUNCTION_WORDS.items():
            if word in vocabulary:
                counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if (top >= 2 and top >= 2 * second) or (top == 1 and second == 0 and len(words) <= 4):
        return best
    return None


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A language decision.

    Attributes:
        code: Primary BCP-47 subtag (``fr``, ``en``…) or ``und``.
        confidence: 1.0 for a platform tag or a script, else the model's probability.
        source: ``platform``, ``script``, ``words`` (function words), ``model`` or ``none``.
    """

    code: str
    confidence: float
    source: str


def primary_tag(tag: str | None) -> str | None:
    """``fr-FR`` → ``fr``; empty or malformed tags → ``None``."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


@cache
def _model() -> LinearModel:
    return LinearModel.from_dict(load_packaged("language.json.gz"))


def _script(text: str) -> tuple[str | None, int]:
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if code < 0x0370:
            continue
        for low, high, lang in _SCRIPTS:
            if low <= code <= high:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if counts:
        lang, count = max(counts.items(), key=lambda kv: kv[1])
        if count * 2 >= letters:
            return lang, letters
    return None, letters


def detect_language(text: str, platform_tag: str | None = None) -> LanguageGuess:
    """Decide the language of ``text``.

    Args:
        text: The post's text (any length; @handles and links are ignored).
        platform_tag: The language the platform reported (Bluesky ``langs[0]``, X ``lang``),
            preferred when present and not ``und``/``zxx``/``qme``-style codes.

    Returns:
        The guess; ``und`` with source ``none`` when there is nothing to decide from.
    """
    tag = primary_tag(platform_tag)
    if tag is not None and tag not in {"und", "zxx", "qme", "qht", "qam", "qct", "art"}:
        return LanguageGuess(tag, 1.0, "platform")
    body = _NOISE.sub(" ", text)
    script, letters = _script(body)
    if script is not None:
        return LanguageGuess(script, 1.0, "script")
    if letters < _MIN_LETTERS:
        return LanguageGuess(UNDETERMINED, 0.0, "none")
    voted = _function_word_vote(body)
    if voted is not None:
        return LanguageGuess(voted, 0.9, "words")
    model = _model()
    probs = model.probabilities(analyze(body)[0])
    best = max(range(len(probs)), key=probs.__getitem__)
    if probs[best] < _MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, probs[best], "model")
    return LanguageGuess(model.outputs[best], probs[best], "model")
