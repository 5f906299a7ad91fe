"""``engagebot run`` as a real process against the sandbox: start, post, stop cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from sandbox import SandboxServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def sb() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="launch-day", seed=7, speed=1.0) as server:
        yield server


def _env(sb: SandboxServer, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env.update({k: v for k, v in sb.env().items() if not k.startswith("ENGAGEBOT_LLM_")})
    env.update(
        ENGAGEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        ENGAGEBOT_DISCORD_STATE_DIR=str(tmp_path / "state"),
        ENGAGEBOT_DISCORD_API_BASE=sb.discord_api_base,
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


async def _start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_without_discord_settings_run_explains_what_is_missing(
    sb: SandboxServer, tmp_path: Path
) -> None:
    env = _env(sb, tmp_path)
    del env["ENGAGEBOT_DISCORD_WEBHOOK_URL"]
    proc = await _start(env, tmp_path)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert err.decode().strip().splitlines()[-1] == (
        "engagebot: set ENGAGEBOT_DISCORD_TOKEN (the bot) or ENGAGEBOT_DISCORD_WEBHOOK_URL "
        "(digest only)"
    )


async def test_a_refused_bot_token_is_one_clear_line(sb: SandboxServer, tmp_path: Path) -> None:
    proc = await _start(_env(sb, tmp_path, ENGAGEBOT_DISCORD_TOKEN="not-the-token"), tmp_path)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert lines[-1] == "engagebot: Discord refused ENGAGEBOT_DISCORD_TOKEN (invalid token)"
    assert "not-the-token" not in err.decode()


async def test_webhook_only_mode_posts_the_digest_and_stops_on_sigterm(
    sb: SandboxServer, tmp_path: Path
) -> None:
    proc = await _start(_env(sb, tmp_path, ENGAGEBOT_DIGEST_TIME="00:00"), tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                async with http.get(f"{sb.url}/_sandbox/discord") as resp:
                    recorded = await resp.json()
                if recorded["messages"]:
                    break
                await asyncio.sleep(0.1)
        hooked = [m for m in recorded["messages"] if m["via"] == "webhook"]
        assert hooked, "the digest was posted through the webhook"
        assert hooked[0]["embeds"][0]["title"].startswith("Engagement digest")
        assert recorded["rejected"] == []
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()
