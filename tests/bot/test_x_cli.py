"""``engagebot x budget`` and the user errors of ``engagebot x login``."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from engagement.models import Platform
from storage import Database


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("X_CLIENT_ID", "X_BEARER_TOKEN", "X_REFRESH_TOKEN", "X_MONTHLY_BUDGET_USD"):
        monkeypatch.delenv(f"ENGAGEBOT_{name}", raising=False)
    monkeypatch.chdir(tmp_path)
    db_path = tmp_path / "x.db"
    monkeypatch.setenv("ENGAGEBOT_DATABASE_URL", f"sqlite+aiosqlite:///{db_path}")
    return db_path


async def _spend(db_path: Path, usd: float) -> None:
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    try:
        await db.upgrade()
        async with db.unit_of_work() as uow:
            now = datetime.now(UTC)
            await uow.api_usage.record(Platform.X, "GET /2/users/:id/mentions", 10, usd, now)
            await uow.commit()
    finally:
        await db.dispose()


def test_x_budget_json(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_spend(env, 4.5))
    monkeypatch.setenv("ENGAGEBOT_X_MONTHLY_BUDGET_USD", "5")
    assert main(["x", "budget", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["spent_usd"] == pytest.approx(4.5)
    assert result["cap_usd"] == 5.0
    assert result["status"] == "slowing"
    monkeypatch.delenv("ENGAGEBOT_X_MONTHLY_BUDGET_USD")
    assert main(["x", "budget"]) == 0
    assert "no cap" in capsys.readouterr().out


def test_x_login_needs_a_client_id(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x", "login"]) == 2
    assert capsys.readouterr().err.strip() == (
        "engagebot: ENGAGEBOT_X_CLIENT_ID is required for X user login"
    )


def test_x_login_with_nothing_pasted_is_cancelled(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENGAGEBOT_X_CLIENT_ID", "cid")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["x", "login"]) == 2
    captured = capsys.readouterr()
    assert "code_challenge_method=S256" in captured.out
    assert captured.err.strip() == "engagebot: no redirect URL given; login cancelled"
