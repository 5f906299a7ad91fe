"""``engagebot demo`` from the outside: a real process, no credentials, exits on its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_end_to_end_without_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env["COLUMNS"] = "120"
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--data-dir", str(tmp_path / "data")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    for heading in ("Comments to answer", "People to thank", "Creators to engage"):
        assert heading in out
    # Every interaction the sandbox generated was stored, nothing more.
    counts = re.search(r"bluesky (\d+)/(\d+), x (\d+)/(\d+)", out)
    assert counts is not None, out[-1500:]
    bsky_stored, bsky_generated, x_stored, x_generated = map(int, counts.groups())
    assert bsky_generated > 100
    assert x_generated > 20
    assert (bsky_stored, x_stored) == (bsky_generated, x_generated)
    # Drafts are shown for the first items to answer.
    assert re.search(r"^\s*│?\s*1\. \S", out, re.M)
    # With no model configured they are the built-in templates, never the sandbox's stand-in.
    assert "Drafts: built-in templates." in out
    html = list((tmp_path / "data").glob("digest-*.html"))
    assert len(html) == 1
    page = html[0].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "Creators to engage" in page
    assert "<script" not in page
    assert "http" not in page.split("<style>")[1].split("</style>")[0]
    posted = re.search(r"Posted (\d+) Discord message", out)
    assert posted is not None
    assert int(posted.group(1)) >= 1
    # Nothing outside the data dir, and the user's own database is untouched.
    assert not (tmp_path / "engagebot.db").exists()
