"""``engagebot eval``, ``engagebot digest`` and the engine benchmarks, run as the CLI runs them."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from engagement.models import Author, InteractionRecord, Platform
from storage import Database


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = _write(tmp_path / "t.txt", ["I love this, thanks!", "C'est nul, une honte", "ok"])
    labels = _write(tmp_path / "l.txt", ["2", "0", "1"])
    assert (
        main(["eval", "sentiment", "--texts", str(texts), "--labels", str(labels), "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"macro_f1", "macro_recall", "accuracy", "n"}
    assert out["n"] == 3
    binary = _write(tmp_path / "b.txt", ["1", "0", "0"])
    assert (
        main(["eval", "needs-reply", "--texts", str(texts), "--labels", str(binary), "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"precision", "recall", "f1", "n"}


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["1", "0"], "has 3 lines but"),
        (["1", "0", "7"], "line 3: label '7' is not 0 or 1"),
    ],
)
def test_eval_user_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], labels: list[str], message: str
) -> None:
    texts = _write(tmp_path / "t.txt", ["a", "b", "c"])
    label_file = _write(tmp_path / "l.txt", labels)
    code = main(["eval", "complaint", "--texts", str(texts), "--labels", str(label_file)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_eval_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "sentiment", "--texts", str(tmp_path / "nope.txt"), "--labels", "x"])
    assert code == 2
    assert "texts file not found" in capsys.readouterr().err


def _seed(url: str) -> None:
    now = datetime.now(UTC)
    fan = Author(Platform.BLUESKY, "did:plc:fan", "fan", followers_count=50)
    big = Author(Platform.BLUESKY, "did:plc:big", "big", followers_count=90_000)

    def rec(n: int, who: Author, kind: str, text: str, hours: float) -> InteractionRecord:
        at = now - timedelta(hours=hours)
        return InteractionRecord(
            Platform.BLUESKY, f"at://x/{n}", kind, who, "did:plc:brand", at, at, text=text
        )

    records = [
        rec(1, big, "mention", "Est-ce que vous livrez en Belgique ?", 3),
        rec(2, fan, "repost", "", 2),
        rec(3, fan, "repost", "", 1),
        rec(4, fan, "mystery-kind", "", 1),
    ]

    async def go() -> None:
        db = Database(url)
        try:
            await db.upgrade()
            await db.ingest(records, None)
        finally:
            await db.dispose()

    asyncio.run(go())


def test_digest_json_from_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'db' / 'engagebot.db'}"
    monkeypatch.setenv("ENGAGEBOT_DATABASE_URL", url)
    _seed(url)
    assert main(["digest", "--since", "24h", "--json"]) == 0
    out = capsys.readouterr().out
    digest = json.loads(out)
    assert out.count("\n") == 1
    assert digest["answer"]["entries"][0]["handle"] == "big"
    assert "question unanswered >1h" in digest["answer"]["entries"][0]["reasons"]
    assert digest["thank"]["entries"][0]["line"] == "@fan reposted 2 posts today"
    assert digest["figures"]["by_kind"]["mystery-kind"] == 1
    assert main(["digest"]) == 0  # the human rendering
    human = capsys.readouterr().out
    assert "Comments to answer" in human
    assert "@fan reposted 2 posts today" in human
    assert main(["digest", "--since", "yesterday"]) == 2
    assert "--since 'yesterday'" in capsys.readouterr().err


def test_triage_and_classify_benchmarks_print_one_json_object(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "triage", "--n", "600", "--repeat", "1", "--json"]) == 0
    triage = json.loads(capsys.readouterr().out)
    assert triage["stored"] == 600
    assert triage["signals_scored"] > 0
    assert triage["to_answer"] > 0
    assert main(["bench", "classify", "--n", "300", "--json"]) == 0
    classify = json.loads(capsys.readouterr().out)
    assert classify["n"] == 300
    assert classify["texts_per_s"] > 0
