"""Sigmoid heads over the (approximately) normalised mean of static word vectors (MiniLM).

A head's logit is ``b + w · m / ‖m‖`` where ``m`` is the mean of the text's word vectors
(``scripts/word_vectors.py``: each word run through all-MiniLM-L6-v2 on its own). The vectors
themselves are not shipped, only what the formula needs, per word:

- ``projections``: ``w · v`` for each head, so ``w · Σv`` is a sum of per-word numbers;
- ``low``: the word's coordinates on the top singular directions of all the vectors, and
  ``residual``: the squared norm the low-rank part misses. ``n·‖m‖`` is then taken as
  ``sqrt(‖Σ low‖² + Σ_words count² · residual)`` (exact when the residuals of different
  words are orthogonal; on the complaint corpus it is 0.85 to 1.05 of the exact norm), so
  ``w · m / ‖m‖ = Σ projections / that norm``.

Training uses the very same features (``scripts/complaint_model.py``), so the shipped heads
are the fitted logistic regressions, not an approximation of them. A text with no known word
gets the bias alone, as in training.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Sequence
from importlib import resources
from itertools import chain

import numpy as np
import numpy.typing as npt

from engagement.classifiers._linear import Matrix, ModelFormatError, activate_rows

__all__ = ["WordVectorHeads"]

FORMAT = 1


class WordVectorHeads:
    """Per-word projections and norm terms of a few sigmoid heads (see the module docstring).

    Args:
        words: The vocabulary (normalised tokens, ``_features.tokens``).
        projections: ``(words, heads)`` per-word head projections.
        low: ``(words, rank)`` low-rank coordinates.
        residual: ``(words,)`` squared norms the low-rank part misses.
        bias: ``(heads,)`` intercepts.
        outputs: The head names.

    Raises:
        ModelFormatError: When the arrays do not agree in shape.
    """

    def __init__(
        self,
        words: Sequence[str],
        projections: npt.ArrayLike,
        low: npt.ArrayLike,
        residual: npt.ArrayLike,
        bias: npt.ArrayLike,
        outputs: Sequence[str],
    ) -> None:
        self.outputs = tuple(outputs)
        self._index = {w: i for i, w in enumerate(words)}
        self._projections = np.asarray(projections, dtype=np.float64)
        self._low = np.asarray(low, dtype=np.float64)
        self._residual = np.asarray(residual, dtype=np.float64)
        self._bias = np.asarray(bias, dtype=np.float64)
        n, heads = len(words), len(self.outputs)
        shapes_ok = (
            len(self._index) == n
            and self._projections.shape == (n, heads)
            and self._low.ndim == 2
            and self._low.shape[0] == n
            and self._residual.shape == (n,)
            and self._bias.shape == (heads,)
        )
        if not shapes_ok:
            raise ModelFormatError("word-vector heads: arrays of inconsistent shapes")
        arrays = (self._projections, self._low, self._residual, self._bias)
        if not all(np.isfinite(a).all() for a in arrays) or not (self._residual > 0).all():
            raise ModelFormatError("word-vector heads: non-finite values or residuals <= 0")

    @classmethod
    def from_package(cls, filename: str, sha256: str | None = None) -> WordVectorHeads:
        """Load an ``.npz`` shipped in ``engagement/classifiers/models``.

        Args:
            filename: The file's name in the models package.
            sha256: The digest the complaint model recorded for it, checked when given (the
                thresholds and the needs-reply stacker are only valid for that file).

        Raises:
            ModelFormatError: When the file is missing, not the recorded one, not an npz of
                this format, or corrupt.
        """
        resource = resources.files("engagement.classifiers.models").joinpath(filename)
        try:
            blob = resource.read_bytes()
        except OSError as exc:
            raise ModelFormatError(f"cannot read word vectors {filename}: {exc}") from exc
        if sha256 is not None and hashlib.sha256(blob).hexdigest() != sha256:
            raise ModelFormatError(
                f"{filename} is not the file the complaint model was trained with"
            )
        return cls.from_bytes(blob, filename)

    @classmethod
    def from_bytes(cls, blob: bytes, name: str) -> WordVectorHeads:
        """Load the heads from the bytes of an ``.npz`` (``name`` is for error messages).

        Raises:
            ModelFormatError: When the bytes are not an npz of this format, or are corrupt.
        """
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                    found = meta.get("format") if isinstance(meta, dict) else meta
                    raise ModelFormatError(f"{name}: format {found!r}")
                words = bytes(data["words"]).decode("utf-8").split("\n")
                return cls(
                    words,
                    data["projections"],
                    data["low"],
                    data["residual"],
                    data["bias"],
                    meta["outputs"],
                )
        except ModelFormatError:
            raise
        except (
            OSError,
            EOFError,
            ValueError,
            KeyError,
            TypeError,
            zipfile.BadZipFile,
            zlib.error,
        ) as exc:
            raise ModelFormatError(f"cannot read word vectors {name}: {exc}") from exc

    def probabilities(self, token_lists: Sequence[Sequence[str]]) -> Matrix:
        """A ``(texts, heads)`` array of probabilities; unknown words are skipped."""
        index = self._index
        ids_per_text = [[index[t] for t in toks if t in index] for toks in token_lists]
        n = len(ids_per_text)
        counts = np.fromiter((len(ids) for ids in ids_per_text), dtype=np.int64, count=n)
        flat = np.fromiter(chain.from_iterable(ids_per_text), dtype=np.int64, count=counts.sum())
        scores = np.tile(self._bias, (n, 1))
        present = counts > 0
        if present.any():
            starts = (np.cumsum(counts) - counts)[present]
            sums = np.add.reduceat(self._projections[flat], starts, axis=0)
            low = np.add.reduceat(self._low[flat], starts, axis=0)
            norm2 = np.einsum("ij,ij->i", low, low) + self._repeated_residual(counts, flat)[present]
            scores[present] += sums / np.sqrt(norm2)[:, None]
        return activate_rows(scores, "sigmoid")

    def _repeated_residual(
        self, counts: npt.NDArray[np.int64], flat: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Per text, ``Σ_words count² · residual`` (a word said twice counts four times)."""
        vocab = len(self._residual)
        owner = np.repeat(np.arange(len(counts)), counts)
        keys, times = np.unique(owner * vocab + flat, return_counts=True)
        weights = times.astype(np.float64) ** 2 * self._residual[keys % vocab]
        sums = np.bincount(keys // vocab, weights=weights, minlength=len(counts))
        return sums.astype(np.float64, copy=False)
