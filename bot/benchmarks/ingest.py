"""``engagebot bench ingest``: idempotent batch ingest throughput, then the same batches again."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.benchmarks._common import LazyProgress, emit
from bot.benchmarks._synthetic import synthetic_records
from bot.errors import UserError
from engagement.models import Cursor, InteractionRecord, Platform
from storage import Database

URL_VARIABLE = "ENGAGEBOT_BENCH_DATABASE_URL"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``ingest`` benchmark."""
    parser = subparsers.add_parser(
        "ingest",
        help="interactions ingested per second (SQLite file by default, or PostgreSQL)",
        description=(
            "Ingest N synthetic interactions in batches (interactions, authors and cursor in "
            "one transaction per batch), then ingest the same batches again: nothing new "
            "must be stored. On PostgreSQL a temporary schema is used and dropped."
        ),
    )
    parser.add_argument("--n", type=int, default=100_000, help="interactions (default 100000)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="interactions per transaction (default: all N in one batch)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(URL_VARIABLE),
        help=f"database to measure (default ${URL_VARIABLE}, else a new temporary SQLite file)",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


@asynccontextmanager
async def _database(url: str | None) -> AsyncIterator[Database]:
    """A fresh, migrated database: a temporary SQLite file or PostgreSQL schema."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="engagebot-bench-") as directory:
            db = Database(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}")
            try:
                await db.upgrade()
                yield db
            finally:
                await db.dispose()
        return
    try:
        probe = Database(url)
    except ValueError as exc:
        raise UserError(f"--database-url: {exc}") from None
    if probe.backend != "postgresql":
        try:
            await probe.upgrade()
            yield probe
        finally:
            await probe.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        async with probe.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await probe.dispose()
    db = Database(url, schema=schema)
    try:
        await db.upgrade()
        yield db
    finally:
        await db.dispose()
        cleanup = Database(url)
        try:
            async with cleanup.engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        finally:
            await cleanup.dispose()


@dataclass(frozen=True)
class _Pass:
    seconds: float
    cpu_seconds: float
    inserted: int
    duplicates: int


async def _pass(db: Database, batches: Sequence[Sequence[InteractionRecord]], label: str) -> _Pass:
    """Ingest every batch, one unit of work (transaction) each."""
    inserted = duplicates = 0
    with LazyProgress(label, sum(len(b) for b in batches)) as progress:
        started, cpu_started = time.perf_counter(), time.process_time()
        for number, batch in enumerate(batches):
            cursor = Cursor(Platform.BLUESKY, "bench", "notifications", f"c{number}", _NOW)
            result = await db.ingest(batch, cursor)
            inserted += result.inserted
            duplicates += result.duplicates
            progress.advance(len(batch))
        return _Pass(
            seconds=time.perf_counter() - started,
            cpu_seconds=time.process_time() - cpu_started,
            inserted=inserted,
            duplicates=duplicates,
        )


_NOW = datetime(2026, 11, 25, tzinfo=UTC)


async def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its result."""
    batch_size = args.n if args.batch_size is None else args.batch_size
    if args.n < 1 or batch_size < 1:
        raise UserError("--n and --batch-size must be positive")
    seed = args.seed if args.seed is not None else uuid.uuid4().int % 2**32
    records = synthetic_records(args.n, seed=seed)
    batches = [records[i : i + batch_size] for i in range(0, len(records), batch_size)]
    try:
        async with _database(args.database_url) as db:
            first = await _pass(db, batches, "ingest")
            again = await _pass(db, batches, "re-ingest")
            backend, url = db.backend, db.url
    except (OSError, SQLAlchemyError) as exc:
        raise UserError(f"database error: {str(exc).splitlines()[0]}") from None
    result = {
        "benchmark": "ingest",
        "backend": backend,
        "database": url,
        "rows": args.n,
        "batch_size": batch_size,
        "batches": len(batches),
        "seconds": round(first.seconds, 4),
        "rows_per_s": round(args.n / first.seconds, 1),
        "cpu_seconds": round(first.cpu_seconds, 4),
        "inserted": first.inserted,
        "rerun_seconds": round(again.seconds, 4),
        "rerun_rows_per_s": round(args.n / again.seconds, 1),
        "rerun_cpu_seconds": round(again.cpu_seconds, 4),
        "inserted_on_rerun": again.inserted,
        "duplicates_on_rerun": again.duplicates,
    }
    emit(result, as_json=args.json, title="ingest benchmark")
    return 0
