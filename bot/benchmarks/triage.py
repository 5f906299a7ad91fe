"""``engagebot bench triage``: a digest over N stored open interactions, query included.

Seeds a new SQLite file through the storage ingest, stores the text signals once (as the
runner does after each poll cycle; timed separately), then times what a digest costs:
the query (items, actions, per-period counts), the triage and the digest.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.benchmarks._common import emit
from bot.benchmarks._synthetic import synthetic_records
from bot.errors import UserError
from engagement.classifiers import default_classifier
from engagement.triage import TriageParams
from storage import Database
from storage._triage_digest import load_digest
from storage._triage_queries import score_pending

_SPACING = timedelta(seconds=0.8)  # synthetic_records' spacing


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``triage`` benchmark."""
    parser = subparsers.add_parser(
        "triage",
        help="seconds to build a digest over N stored interactions (query included)",
        description=(
            "Ingest N synthetic interactions into a new SQLite file, store their text "
            "signals, then build the digest (query + triage + digest) several times."
        ),
    )
    parser.add_argument("--n", type=int, default=100_000, help="interactions (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed digests (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its result."""
    if args.n < 1 or args.repeat < 1:
        raise UserError("--n and --repeat must be positive")
    records = synthetic_records(args.n, seed=args.seed)
    now = max(r.created_at for r in records) + timedelta(minutes=5)
    since = now - timedelta(hours=24)
    params = TriageParams()
    classifier = default_classifier()
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as directory:
        db = Database(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}")
        try:
            await db.upgrade()
            seeded = 0
            for i in range(0, len(records), 25_000):
                seeded += (await db.ingest(records[i : i + 25_000], None)).inserted
            started = time.perf_counter()
            async with db.unit_of_work() as uow:
                scored = await score_pending(uow, classifier)
                await uow.commit()
            scoring_s = time.perf_counter() - started
            timings: list[float] = []
            digest = None
            for _ in range(args.repeat):
                started = time.perf_counter()
                async with db.unit_of_work() as uow:
                    digest = await load_digest(uow, now=now, since=since, params=params)
                timings.append(time.perf_counter() - started)
        finally:
            await db.dispose()
    assert digest is not None
    result = {
        "benchmark": "triage",
        "backend": "sqlite",
        "n": args.n,
        "stored": seeded,
        "signals_scored": scored,
        "signals_scoring_s": round(scoring_s, 3),
        "signals_per_s": round(scored / scoring_s, 1) if scoring_s else None,
        "digest_s": round(min(timings), 4),
        "digest_median_s": round(statistics.median(timings), 4),
        "digest_runs_s": [round(t, 4) for t in timings],
        "to_answer": digest.answer.total,
        "to_thank": digest.thank.total,
        "creators": digest.creators.total,
        "interactions_in_period": digest.figures.total,
        "target_s": 1.0,
        "ok": min(timings) <= 1.0,
    }
    emit(result, as_json=args.json, title="triage digest")
    return 0
