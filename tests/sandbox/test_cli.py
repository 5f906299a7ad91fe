"""``engagebot sandbox``: printing the environment, argument errors, and serving."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_print_env_lines_point_at_the_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "--port", "9123", "--print-env"]) == 0
    lines = capsys.readouterr().out.splitlines()
    env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
    assert all(line.startswith("export ENGAGEBOT_") for line in lines)
    assert env["ENGAGEBOT_BLUESKY_SERVICE"] == "http://127.0.0.1:9123"
    assert env["ENGAGEBOT_BLUESKY_HANDLE"] == "plume-notes.bsky.social"
    assert env["ENGAGEBOT_LLM_BASE_URL"] == "http://127.0.0.1:9123/v1"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scenario", "nope"], "unknown scenario"),
        (["--port", "0", "--print-env"], "fixed --port"),
        (["--port", "70000"], "--port"),
        (["--speed", "0"], "--speed"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sandbox", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_serves_with_the_first_hour_already_there() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sandbox", "--port", "0", "--scenario", "launch-day"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("export ENGAGEBOT_BLUESKY_SERVICE=http://127.0.0.1:")
        url = first.strip().split("=", 1)[1]
        with urllib.request.urlopen(f"{url}/_sandbox/state?log=0", timeout=10) as resp:
            state = json.load(resp)
        assert state["scenario"] == "launch-day"
        assert len(state["generated"]["bluesky"]) > 100  # the launch burst of the first hour
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 130
