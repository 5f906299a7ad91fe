"""The engagebot CLI as a user runs it: real processes, real databases, one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from bot.cli import COMMAND_MODULES, main
from bot.commands.bench import BENCHMARKS
from storage import Database

ROOT = Path(__file__).resolve().parents[1]


def _engagebot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot.cli`` in a clean environment (only ``env`` as ENGAGEBOT_ settings)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    for name in COMMAND_MODULES:
        assert name in out
    with pytest.raises(SystemExit) as info:
        main(["bench", "--help"])
    assert info.value.code == 0
    bench_help = capsys.readouterr().out
    assert all(name in bench_help for name in BENCHMARKS)


def test_db_upgrade_builds_the_sqlite_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'bot.db'}"
    result = _engagebot("db", "upgrade", env={"ENGAGEBOT_DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"is at revision {Database.head_revision()}" in result.stdout
    assert (tmp_path / "nested" / "bot.db").is_file()


def test_db_upgrade_uses_the_default_database(tmp_path: Path) -> None:
    result = _engagebot("db", "upgrade", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "engagebot.db").is_file()


async def test_db_upgrade_builds_the_postgres_schema(postgres_url: str, tmp_path: Path) -> None:
    # A database of its own, so `db upgrade` works on the real public schema.
    name = f"engagebot_cli_{uuid.uuid4().hex[:12]}"
    admin_dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
        result = _engagebot("db", "upgrade", env={"ENGAGEBOT_DATABASE_URL": url}, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        created = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            tables = {
                r["tablename"]
                for r in await created.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public'"
                )
            }
        finally:
            await created.close()
        assert {"interactions", "authors", "cursors", "actions", "digests"} <= tables
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ENGAGEBOT_DATABASE_URL", "mysql://root@localhost/engagebot"),
        ("ENGAGEBOT_TIMEZONE", "Europe/Atlantis"),
    ],
)
def test_bad_setting_is_one_line_and_exit_2(tmp_path: Path, variable: str, value: str) -> None:
    result = _engagebot("db", "upgrade", env={variable: value}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"engagebot: {variable}: ")
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://postgres:s3cret@127.0.0.1:{_closed_port()}/nowhere"
    result = _engagebot("db", "upgrade", env={"ENGAGEBOT_DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("engagebot: cannot open the database at postgresql+asyncpg://")
    assert "s3cret" not in result.stderr


def test_uncreatable_sqlite_directory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    url = f"sqlite+aiosqlite:///{blocker / 'data' / 'bot.db'}"
    result = _engagebot("db", "upgrade", env={"ENGAGEBOT_DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("engagebot: cannot open the database at sqlite+aiosqlite://")


def test_bench_ingest_json_is_one_object(tmp_path: Path) -> None:
    result = _engagebot(
        "bench", "ingest", "--n", "3000", "--batch-size", "1000", "--json", env={}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["backend"] == "sqlite"
    assert (report["rows"], report["inserted"]) == (3000, 3000)
    assert (report["inserted_on_rerun"], report["duplicates_on_rerun"]) == (0, 3000)
    assert report["rows_per_s"] == pytest.approx(3000 / report["seconds"], rel=0.01)
    assert result.stderr == ""


async def test_bench_ingest_on_postgres_drops_its_schema(postgres_url: str, tmp_path: Path) -> None:
    result = _engagebot(
        "bench",
        "ingest",
        "--n",
        "2000",
        "--json",
        "--database-url",
        postgres_url,
        env={},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["backend"] == "postgresql"
    assert (report["inserted"], report["inserted_on_rerun"]) == (2000, 0)
    conn = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        left = await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench_%'")
    finally:
        await conn.close()
    assert left == []


def test_bench_ingest_refuses_bad_arguments(tmp_path: Path) -> None:
    result = _engagebot("bench", "ingest", "--n", "0", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "engagebot: --n and --batch-size must be positive"
    result = _engagebot("bench", "ingest", "--database-url", "mysql://x/y", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "unsupported database URL driver" in result.stderr
