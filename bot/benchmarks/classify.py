"""``engagebot bench classify``: texts scored per second by the default classifier, one core.

Texts come from ../shared/datasets (English and French tweets) when present, else from a
built-in French/English sample made unique per line. The cache is cleared before each run,
so every text is really scored.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bot.benchmarks._common import emit
from bot.errors import UserError
from engagement.classifiers import default_classifier
from engagement.eval import split_lines
from engagement.signals import text_signals

_DATASETS = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"
_SAMPLE = (
    "Est-ce que la version Android arrive bientôt ?",
    "Toujours pas de réponse du support depuis trois jours, c'est inadmissible",
    "Love the new release, the dark mode is perfect 😍",
    "@brand how do I reset my password? the link in the email is broken",
    "Super live hier soir, bravo à toute l'équipe 👏",
    "Just had lunch with friends, what a sunny day",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``classify`` benchmark."""
    parser = subparsers.add_parser(
        "classify",
        help="texts per second: classifier alone and full text signals (one core)",
        description="Score N texts with the shipped models (cold cache) and time it.",
    )
    parser.add_argument("--n", type=int, default=20_000, help="texts (default 20000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def _texts(n: int) -> tuple[list[str], str]:
    pool: list[str] = []
    source = "builtin"
    for lang in ("english", "french"):
        for split in ("train", "val"):
            path = _DATASETS / "sentiment" / lang / f"{split}_text.txt"
            if path.is_file():
                pool += split_lines(path.read_text(encoding="utf-8"))
                source = "shared/datasets sentiment (en, fr)"
    if not pool:
        pool = list(_SAMPLE)
    return [f"{pool[i % len(pool)]} #{i}" for i in range(n)], source


async def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its result."""
    if args.n < 1:
        raise UserError("--n must be positive")
    texts, source = _texts(args.n)
    started = time.perf_counter()
    classifier = default_classifier()
    load_s = time.perf_counter() - started
    classifier.clear_cache()
    started = time.perf_counter()
    classifier.classify(texts)
    classify_s = time.perf_counter() - started
    classifier.clear_cache()
    started = time.perf_counter()
    text_signals([(t, None) for t in texts], classifier)
    signals_s = time.perf_counter() - started
    mean_chars = sum(map(len, texts)) / len(texts)
    result = {
        "benchmark": "classify",
        "n": args.n,
        "source": source,
        "mean_chars": round(mean_chars, 1),
        "model_load_s": round(load_s, 3),
        "classify_s": round(classify_s, 3),
        "texts_per_s": round(args.n / classify_s, 1),
        "us_per_text": round(classify_s / args.n * 1e6, 1),
        "signals_texts_per_s": round(args.n / signals_s, 1),
        "target_texts_per_s": 5000,
        "ok": args.n / classify_s >= 5000,
    }
    emit(result, as_json=args.json, title="classify")
    return 0
