"""Text features shared by training (``scripts/train_classifiers.py``) and inference.

One function, :func:`extract`, turns a text into the string features a linear model reads:
word unigrams and bigrams plus character 2–5-grams of the space-joined tokens.
Training feeds it to scikit-learn as the analyzer, so inference sees exactly the same
features. :func:`lexicon_scores` gives three dense polarity features from a cue lexicon with
negation handling. Pure standard library and fast: a tweet takes a few tens of microseconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

__all__ = [
    "NEGATIONS",
    "analyze",
    "extract",
    "lexicon_scores",
    "normalize",
    "strip_leading_mentions",
    "tokens",
]

_URL = re.compile(r"https?://\S+|\bwww\.\S+|\bhttps?\b", re.IGNORECASE)
_MENTION = re.compile(r"@[\w.\-]+")
_REPEAT = re.compile(r"(.)\1{3,}")
_TOKEN = re.compile(r"[#@]?\w+(?:['’]\w+)*|[^\w\s]")
_LEADING_MENTIONS = re.compile(r"^(?:\s*[@＠][\w.\-]+[:,]?)+\s*")
_PUNCT_BREAK = frozenset(".,;:!?…")

NEGATIONS = frozenset(
    {
        "not", "no", "never", "nobody", "nothing", "none", "cannot", "cant", "dont",
        "doesnt", "didnt", "isnt", "wasnt", "wont", "aint", "neither", "nor", "without",
        "pas", "jamais", "rien", "aucun", "aucune", "personne", "ni", "sans", "plus",
    }
)  # fmt: skip

_MAX_CHARS = 2_000


def normalize(text: str) -> str:
    """Lower-case, replace links and @handles by placeholders, cap letter repetitions."""
    text = text[:_MAX_CHARS].lower()
    text = _URL.sub(" httpurl ", text)
    text = _MENTION.sub("@user", text)
    return _REPEAT.sub(r"\1\1\1", text)


def strip_leading_mentions(text: str) -> str:
    """Drop the ``@handle`` prefix a reply starts with (``@brand @bob hi`` → ``hi``)."""
    return _LEADING_MENTIONS.sub("", text, count=1)


def tokens(normalized: str) -> list[str]:
    """Words (with ``#``/``@`` prefixes and inner apostrophes) and single punctuation marks."""
    return _TOKEN.findall(normalized)


def analyze(text: str) -> tuple[list[str], list[str]]:
    """The n-gram features of ``text`` (with repetitions) and its tokens.

    Args:
        text: Raw text, any length (only the first 2,000 characters are read).

    Returns:
        ``(features, tokens)``: word unigrams (``w|…``), word bigrams (``b|… …``) and the
        character 2–5-grams of the space-joined tokens; then the tokens themselves.
    """
    toks = tokens(normalize(text))
    feats = ["w|" + t for t in toks]
    feats += ["b|" + a + " " + b for a, b in pairwise(toks)]
    joined = " " + " ".join(toks) + " "
    size = len(joined)
    feats += [joined[i : i + 2] for i in range(size - 1)]
    feats += [joined[i : i + 3] for i in range(size - 2)]
    feats += [joined[i : i + 4] for i in range(size - 3)]
    feats += [joined[i : i + 5] for i in range(size - 4)]
    return feats, toks


def extract(text: str) -> list[str]:
    """The n-gram features of ``text`` (see :func:`analyze`); scikit-learn's analyzer."""
    return analyze(text)[0]


def lexicon_scores(toks: Sequence[str], lexicon: Mapping[str, float]) -> tuple[float, float, float]:
    """Positive, negative and net polarity of a token list from a word → valence lexicon.

    A negation word flips (and damps) the valence of the words after it until the next
    punctuation mark. Results are squashed into ``[-1, 1]`` with ``tanh``.
    """
    pos = neg = 0.0
    negated = False
    for tok in toks:
        if tok in NEGATIONS or tok.endswith(("n't", "n’t")):
            negated = True
            continue
        if tok in _PUNCT_BREAK:
            negated = False
            continue
        value = lexicon.get(tok)
        if value is None:
            continue
        if negated:
            value = -0.74 * value
        if value > 0:
            pos += value
        else:
            neg -= value
    return math.tanh(pos / 4), math.tanh(neg / 4), math.tanh((pos - neg) / 4)
