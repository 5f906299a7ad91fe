"""64-bit hashes of the n-gram features, computed for a whole batch of texts with numpy.

A feature is a span of a text's space-joined tokens (see :func:`~._features.analyze`): a
character n-gram (2–5 characters, spaces included), a word (between two spaces) or a word
bigram (two words and the space between them). Its hash is a polynomial over the code points
(``Σ c_k·B^k`` modulo 2⁶⁴), salted with the span's length and kind and then mixed. Prefix sums
give every span's polynomial in O(1), so all the features of a batch are hashed in a few array
operations, and the same function hashes the feature strings of a model file
(:func:`string_hashes`), so both sides meet in :class:`HashIndex` without building a string per
n-gram.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from engagement.classifiers._features import CHAR_NGRAMS

__all__ = ["HashIndex", "TextHashes", "span_kind", "string_hashes", "text_hashes"]

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.intp]

_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_K_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_K_KIND = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_S31 = np.uint64(31)
_S29 = np.uint64(29)
_M64 = (1 << 64) - 1
_SPACE = 32
_EMPTY = np.uint64((1 << 64) - 1)
CHAR, WORD, BIGRAM = 0, 1, 2
_N_CHAR = CHAR_NGRAMS[1] - CHAR_NGRAMS[0] + 1


class _Powers:
    """``B^i`` and ``B^-i`` modulo 2⁶⁴ for i < size, grown on demand."""

    def __init__(self) -> None:
        self.up: U64 = np.ones(1, dtype=np.uint64)
        self.down: U64 = np.ones(1, dtype=np.uint64)

    def ensure(self, size: int) -> None:
        if size <= len(self.up):
            return
        size = max(size, 2 * len(self.up), 4096)
        self.up = _geometric(_BASE, size)
        self.down = _geometric(_BASE_INV, size)


def _geometric(base: int, size: int) -> U64:
    steps = np.full(size, base, dtype=np.uint64)
    steps[0] = 1
    return np.cumprod(steps, dtype=np.uint64)  # wraps modulo 2**64, as intended


_POWERS = _Powers()


def _codepoints(text: str) -> U64:
    raw = text.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(raw, dtype=np.uint32).astype(np.uint64)


def _prefix(codes: U64) -> U64:
    """``P[i] = Σ_{k<i} c_k·B^k``: the polynomial of ``[a, b)`` is ``(P[b]-P[a])·B^-a``."""
    _POWERS.ensure(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes * _POWERS.up[: len(codes)], out=prefix[1:])
    return prefix


def _spans(prefix: U64, starts: Ints, ends: Ints, kind: int | Ints) -> U64:
    """Hashes of the spans ``[starts, ends)`` of the text behind ``prefix``."""
    raw = (prefix[ends] - prefix[starts]) * _POWERS.down[starts]
    salt = (ends - starts).astype(np.uint64) * _K_LENGTH
    if isinstance(kind, int):
        salt += np.uint64((kind * int(_K_KIND)) & _M64)
    else:
        salt += kind.astype(np.uint64) * _K_KIND  # arrays wrap modulo 2**64 silently
    return _finish(raw, salt)


def _ngrams(prefix: U64, n: int) -> U64:
    """Hashes of the character n-grams starting at every position (the last n-1 are junk)."""
    m = len(prefix) - n
    raw = (prefix[n:] - prefix[:m]) * _POWERS.down[:m]
    return _finish(raw, np.uint64((n * int(_K_LENGTH) + CHAR * int(_K_KIND)) & _M64))


def _finish(raw: U64, salt: U64 | np.uint64) -> U64:
    h = raw + salt
    h ^= h >> _S31
    h *= _MIX
    h ^= h >> _S29
    return h


def span_kind(feature: str) -> tuple[int, str]:
    """The kind of a feature string and the text span it stands for (``w|ok`` → word ``ok``)."""
    if feature.startswith("w|"):
        return WORD, feature[2:]
    if feature.startswith("b|"):
        return BIGRAM, feature[2:]
    return CHAR, feature


def string_hashes(features: Sequence[str]) -> U64:
    """The hash of each feature string, equal to the hash of the same n-gram in a text."""
    if not features:
        return np.zeros(0, dtype=np.uint64)
    kinds, bodies = zip(*map(span_kind, features), strict=True)
    lengths = np.fromiter(map(len, bodies), dtype=np.intp, count=len(bodies))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    prefix = _prefix(_codepoints("".join(bodies)))
    return _spans(prefix, starts, ends, np.asarray(kinds, dtype=np.intp))


class TextHashes:
    """Every feature occurrence of a batch of space-joined token strings, grouped by text.

    Attributes:
        hashes: One hash per occurrence (repetitions kept), text after text.
        counts: Occurrences per text.
    """

    __slots__ = ("counts", "hashes")

    def __init__(self, hashes: U64, counts: Ints) -> None:
        self.hashes = hashes
        self.counts = counts


def text_hashes(joined: Sequence[str]) -> TextHashes:
    """Hash the features of each text of ``joined`` (each `` tok tok … `` with outer spaces).

    Args:
        joined: Per text, its tokens joined by single spaces, with a leading and a trailing
            space (tokens never contain a space).
    """
    lengths = np.fromiter(map(len, joined), dtype=np.intp, count=len(joined))
    codes = _codepoints("".join(joined))
    size = len(codes)
    owner = np.repeat(np.arange(len(joined)), lengths)
    prefix = _prefix(codes)
    width = _N_CHAR + 2
    table = np.zeros((size, width), dtype=np.uint64)
    valid = np.zeros((size, width), dtype=bool)
    for col, n in enumerate(range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1)):
        m = size - n + 1
        if m <= 0:
            break
        valid[:m, col] = owner[:m] == owner[n - 1 :]
        table[:m, col] = _ngrams(prefix, n)
    spaces = np.flatnonzero(codes == _SPACE)
    same = (owner[spaces[:-1]] == owner[spaces[1:]]) & (spaces[1:] - spaces[:-1] > 1)
    words = spaces[:-1][same]  # a space followed by a word of the same text
    ends = spaces[1:][same]
    valid[words, _N_CHAR] = True
    table[words, _N_CHAR] = _spans(prefix, words + 1, ends, WORD)
    pair = owner[spaces[:-2]] == owner[spaces[2:]]
    firsts = spaces[:-2][pair]
    valid[firsts, _N_CHAR + 1] = True
    table[firsts, _N_CHAR + 1] = _spans(prefix, firsts + 1, spaces[2:][pair], BIGRAM)
    counts = np.bincount(owner, weights=valid.sum(axis=1), minlength=len(joined))
    return TextHashes(table[valid], counts.astype(np.intp))


class HashIndex:
    """Open-addressing table from feature hash to row number (linear probing, load ≤ 1/4).

    Args:
        hashes: Distinct hashes; row ``i`` is ``hashes[i]``.

    Raises:
        ValueError: When two hashes are equal (two features would share a row).
    """

    def __init__(self, hashes: U64) -> None:
        if len(np.unique(hashes)) != len(hashes):
            raise ValueError("feature hashes collide")
        bits = max(int(len(hashes) * 4 - 1).bit_length(), 4)
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        # One row per slot, (key, row number): a probe reads one cache line.
        table = np.zeros((1 << bits, 2), dtype=np.uint64)
        table[:, 1] = _EMPTY
        slots = (hashes >> self._shift).astype(np.intp)
        pending = np.arange(len(hashes))
        while pending.size:  # place what lands on a free slot, move the rest one slot on
            free = table[slots[pending], 1] == _EMPTY
            first = np.unique(slots[pending][free], return_index=True)[1]
            placed = pending[free][first]
            table[slots[placed], 0] = hashes[placed]
            table[slots[placed], 1] = placed
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            slots[pending] = (slots[pending] + 1) & self._mask  # their slot is taken now
        self._table = table

    def lookup(self, hashes: U64) -> Ints:
        """Row of each hash, ``-1`` where the feature is unknown."""
        slots = (hashes >> self._shift).astype(np.intp)
        entries = self._table[slots]
        occupied = entries[:, 1] != _EMPTY
        hit = (entries[:, 0] == hashes) & occupied
        out = np.where(hit, entries[:, 1].astype(np.intp), -1)
        todo = np.flatnonzero(occupied & ~hit)  # the slot holds another feature: probe on
        slots = (slots[todo] + 1) & self._mask
        while todo.size:
            entries = self._table[slots]
            occupied = entries[:, 1] != _EMPTY
            hit = (entries[:, 0] == hashes[todo]) & occupied
            out[todo[hit]] = entries[hit, 1].astype(np.intp)
            more = occupied & ~hit
            todo, slots = todo[more], (slots[more] + 1) & self._mask
        return out
