"""Text features shared by training (``scripts/train_classifiers.py``) and inference.

One function, :func:`extract`, turns a text into the string features a linear model reads:
word unigrams and bigrams plus character n-grams (:data:`CHAR_NGRAMS`) of the space-joined
tokens (:func:`joined`). Training feeds it to scikit-learn as the analyzer; inference hashes
the same spans of the joined string with numpy (``_hashing``) instead of building strings, and a
test checks both give the same features. :func:`lexicon_scores` gives three dense polarity
features from a cue lexicon with negation handling.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

__all__ = [
    "CHAR_NGRAMS",
    "NEGATIONS",
    "Polarity",
    "analyze",
    "extract",
    "joined",
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
CHAR_NGRAMS = (2, 5)  # smallest and largest character n-gram


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


def joined(toks: Sequence[str]) -> str:
    """The tokens joined by spaces, with a space before and after (``␣a␣b␣``)."""
    return " " + " ".join(toks) + " "


def analyze(text: str) -> tuple[list[str], list[str]]:
    """The n-gram features of ``text`` (with repetitions) and its tokens.

    Args:
        text: Raw text, any length (only the first 2,000 characters are read).

    Returns:
        ``(features, tokens)``: word unigrams (``w|…``), word bigrams (``b|… …``) and the
        character n-grams of :func:`joined`; then the tokens themselves.
    """
    toks = tokens(normalize(text))
    feats = ["w|" + t for t in toks]
    feats += ["b|" + a + " " + b for a, b in pairwise(toks)]
    line = joined(toks)
    size = len(line)
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        feats += [line[i : i + n] for i in range(size - n + 1)]
    return feats, toks


def extract(text: str) -> list[str]:
    """The n-gram features of ``text`` (see :func:`analyze`); scikit-learn's analyzer."""
    return analyze(text)[0]


def lexicon_scores(toks: Sequence[str], lexicon: Mapping[str, float]) -> tuple[float, float, float]:
    """Positive, negative and net polarity of a token list from a word → valence lexicon.

    A negation word flips (and damps) the valence of the words after it until the next
    punctuation mark. Results are squashed into ``[-1, 1]`` with ``tanh``. Scoring many
    texts with one lexicon is faster through :class:`Polarity`.
    """
    return Polarity(lexicon).scores(toks)


_NEGATE = math.inf  # table markers: a negation word, a punctuation mark ending its scope
_BREAK = -math.inf
_NT = ("n't", "n’t")


class Polarity:
    """A lexicon compiled for :func:`lexicon_scores`: one dictionary look-up per token.

    Args:
        lexicon: Word → valence (finite numbers).
    """

    __slots__ = ("_table",)

    def __init__(self, lexicon: Mapping[str, float]) -> None:
        table = {w: (_NEGATE if w.endswith(_NT) else v) for w, v in lexicon.items()}
        table.update(dict.fromkeys(_PUNCT_BREAK, _BREAK))
        table.update(dict.fromkeys(NEGATIONS, _NEGATE))
        self._table = table

    def scores(self, toks: Sequence[str]) -> tuple[float, float, float]:
        """``(positive, negative, net)`` polarity of ``toks``, as :func:`lexicon_scores`."""
        get = self._table.get
        pos = neg = 0.0
        negated = False
        for tok in toks:
            value = get(tok)
            if value is None:
                if tok[-1] == "t" and tok.endswith(_NT):
                    negated = True
            elif value == _NEGATE:
                negated = True
            elif value == _BREAK:
                negated = False
            else:
                if negated:
                    value = -0.74 * value
                if value > 0:
                    pos += value
                else:
                    neg -= value
        return math.tanh(pos / 4), math.tanh(neg / 4), math.tanh((pos - neg) / 4)
