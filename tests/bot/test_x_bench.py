"""``engagebot bench x --json``: one JSON object, cost per 1,000 mentions, no wasted reads."""

from __future__ import annotations

import json

import pytest

from bot.cli import main


def test_bench_x_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "x", "--json", "--hours", "8", "--interval-min", "10"])
    out = capsys.readouterr().out
    result = json.loads(out)
    assert out.count("\n") == 1
    assert code == 0
    assert result["exact_set"] is True
    assert result["mentions_ingested"] == result["mentions_generated"] > 50
    assert result["post_reads_per_mention"] == 1.0
    assert result["no_wasted_reads"] is True
    assert result["owned_read_cost_per_1000_usd"] == pytest.approx(1.0)
    assert result["estimate_error_pct"] == pytest.approx(0.0, abs=0.01)
    assert result["api_calls"] == result["requests_by_endpoint"]["GET /2/users/:id/mentions"]
    assert result["estimated_cost_per_1000_usd"] == pytest.approx(
        result["owned_read_cost_per_1000_usd"]
        + result["user_read_cost_per_1000_usd"]
        + result["expanded_post_cost_per_1000_usd"],
        abs=0.01,
    )


def test_bench_x_refuses_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "x", "--hours", "0"]) == 2
    assert "must be positive" in capsys.readouterr().err
    assert main(["bench", "x", "--scenario", "nope"]) == 2
    assert "unknown scenario" in capsys.readouterr().err
