"""Text helpers shared by templates and LLM validation: avoided words, names, tidying."""

from __future__ import annotations

from functools import lru_cache

import regex

from engagement.drafting._limits import ELLIPSIS, graphemes

_EDGE_BEFORE = r"(?<![\p{L}\p{N}_])"
_EDGE_AFTER = r"(?![\p{L}\p{N}_])"
_SENTENCE_KEEP = regex.compile(r"(?<=[.!?…])(\s+)")
_SENTENCE_START = regex.compile(r"(^|[.!?]\s+)(\p{Ll})")
_LETTER = regex.compile(r"\p{L}")
NAME_MAX_GRAPHEMES = 24
# "Firstname Lastname" (two or three capitalised words): greet by the first name.
_PERSON_WORD = regex.compile(r"\p{Lu}[\p{Ll}\p{Lm}]+(?:[-'’]\p{L}+)*")
# A first word that is an article or a title is not a first name ("Le Monde", "Dr Smith").
_NOT_FIRST_NAMES = frozenset(
    {
        *("le", "la", "les", "l'", "un", "une", "des", "du", "de", "the", "a", "an"),
        *("mr", "mrs", "ms", "dr", "pr", "prof", "mme", "mlle", "m", "st", "saint", "team"),
    }
)
TOPIC_MAX_GRAPHEMES = 40


@lru_cache(maxsize=64)
def avoid_pattern(words: tuple[str, ...]) -> regex.Pattern[str] | None:
    """One case-insensitive pattern matching any avoided word on word boundaries."""
    cleaned = [w for w in (" ".join(word.split()) for word in words) if w]
    if not cleaned:
        return None
    alternatives = "|".join(
        regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(cleaned, key=len, reverse=True)
    )
    return regex.compile(f"{_EDGE_BEFORE}(?:{alternatives}){_EDGE_AFTER}", regex.IGNORECASE)


def contains_avoided(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` uses any avoided word (case-insensitive, whole words)."""
    pattern = avoid_pattern(words)
    return bool(pattern and pattern.search(text))


def tidy(text: str, language: str) -> str:
    """Repair spacing and punctuation left by empty slots or removed words."""
    french = language == "fr"
    text = regex.sub(r"[ \t]+", " ", text)
    text = regex.sub(r",(\s*,)+", ",", text)
    text = regex.sub(r",\s*([!?.:;])", r" \1" if french else r"\1", text)
    text = regex.sub(r"\s+([,.])", r"\1", text)
    if not french:
        text = regex.sub(r"[ \t]+([!?:;])", r"\1", text)
    text = regex.sub(r"\(\s*\)", "", text)
    text = regex.sub(r"[ \t]+\n", "\n", text)
    text = regex.sub(r"[ \t]{2,}", " ", text).strip()
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def scrub(text: str, words: tuple[str, ...], language: str) -> str:
    """Drop the sentences of ``text`` that use an avoided word (the words alone if all do)."""
    pattern = avoid_pattern(words)
    if pattern is None or not pattern.search(text):
        return text
    parts = _SENTENCE_KEEP.split(text)  # sentence, separator, sentence, separator…
    kept: list[str] = []
    for index in range(0, len(parts), 2):
        if not pattern.search(parts[index]):
            if kept:
                kept.append(parts[index - 1])
            kept.append(parts[index])
    if any(_LETTER.search(s) for s in kept):
        return tidy("".join(kept), language)
    return tidy(pattern.sub("", text), language)


def cap(text: str, max_graphemes: int) -> str:
    """Cut ``text`` to ``max_graphemes`` at a word (else grapheme) boundary, with ``…``."""
    parts = graphemes(text)
    if len(parts) <= max_graphemes:
        return text
    head = "".join(parts[: max_graphemes - 1])
    boundary = head.rfind(" ")
    if boundary >= len(head) // 2:
        head = head[:boundary]
    return head.rstrip(" ,;:-") + ELLIPSIS


def clean_name(name: str) -> str:
    """A greeting-friendly name: one line, no ``@``, the first name of a person, short."""
    name = " ".join(name.split()).lstrip("@")
    words = name.split(" ")
    if (
        2 <= len(words) <= 3
        and all(_PERSON_WORD.fullmatch(word) for word in words)
        and words[0].casefold() not in _NOT_FIRST_NAMES
    ):
        return words[0]
    if len(graphemes(name)) <= NAME_MAX_GRAPHEMES:
        return name
    first = name.split(" ", 1)[0]
    if 2 <= len(graphemes(first)) <= NAME_MAX_GRAPHEMES:
        return first
    return cap(name, NAME_MAX_GRAPHEMES)
