"""Run the demo pipeline: sandbox, pollers, digest, drafts, renderings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from bot.discord_app import post_digest_via_webhook
from bot.discord_app._runtime import open_runtime
from bot.pollers import LoggingAlerts
from bot.settings import Settings, load_settings
from cogs.ports import DigestPage, Section
from sandbox import ManualClock, SandboxServer

log = logging.getLogger(__name__)

DEMO_DB = "engagebot-demo.db"


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo produced.

    Attributes:
        page: The digest.
        drafts: Three drafts for each of the first items to answer, by card index.
        html_path: Where the HTML page was written.
        webhook_messages: Messages posted to the webhook.
        webhook_target: Where they went (``sandbox`` or ``configured webhook``).
        ingested: Interactions stored, per platform.
        generated: Interactions the sandbox generated, per platform (ground truth).
        cycles: Poll cycles run.
        simulated: How much scenario time the cycles covered.
        drafts_source: Where the drafts came from (built-in templates or the team's model).
    """

    page: DigestPage
    drafts: dict[int, Sequence[str]]
    html_path: Path
    webhook_messages: int
    webhook_target: str
    ingested: dict[str, int]
    generated: dict[str, int]
    cycles: int
    simulated: timedelta
    alerts: list[str] = field(default_factory=list)
    drafts_source: str = "built-in templates"


def _settings(sandbox_env: dict[str, str], data_dir: Path) -> Settings:
    """Settings pointing at the sandbox, ignoring any real credentials in the environment."""
    overrides: dict[str, object] = {
        key.removeprefix("ENGAGEBOT_").lower(): value for key, value in sandbox_env.items()
    }
    # Drafts come from the built-in templates, or from the team's own model when one is
    # configured: the sandbox's stand-in model only answers canned sentences.
    for key in ("llm_base_url", "llm_model", "llm_api_key"):
        overrides.pop(key, None)
    overrides["discord_webhook_url"] = None
    overrides["discord_token"] = None
    overrides["bluesky_extra_accounts"] = None
    overrides["database_url"] = f"sqlite+aiosqlite:///{data_dir / DEMO_DB}"
    overrides["discord_state_dir"] = data_dir / "demo-state"
    overrides["topics"] = "notes,productivity,writing,carnet,organisation"
    return load_settings(Settings, **overrides)


async def run_demo(
    data_dir: Path,
    *,
    seed: int = 7,
    cycles: int = 6,
    step: timedelta = timedelta(hours=1),
    webhook_url: str | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DemoResult:
    """Run the demo and return what it produced (renderings are the caller's).

    Args:
        data_dir: Where the demo database and the HTML page go (created).
        seed: Scenario seed.
        cycles: Poll cycles; the sandbox clock moves ``step`` before each.
        step: Scenario time between two cycles.
        webhook_url: A real Discord webhook to post to; the sandbox recorder when ``None``.
        progress: Called with a short line at each stage.
    """
    from bot.demo._html import write_html  # local: keeps CLI start-up light

    await asyncio.to_thread(_fresh_database, data_dir)
    start = datetime.now(UTC).replace(microsecond=0)
    clock = ManualClock(start)
    alerts = LoggingAlerts()
    async with SandboxServer(scenario="launch-day", seed=seed, clock=clock) as sb:
        progress(f"sandbox up at {sb.url} (launch-day, seed {seed})")
        settings = _settings(sb.env(), data_dir)
        runtime = await open_runtime(settings, alerts, clock=clock.now)
        try:
            for cycle in range(cycles):
                clock.advance(step)
                for poller in runtime.pollers:
                    outcome = await poller.poll_once()
                    progress(
                        f"cycle {cycle + 1}/{cycles} {poller.name}: "
                        f"{outcome.inserted} new, {outcome.api_calls} API calls"
                    )
            page = await runtime.service.digest(clock.now())
            answers = [i for i, c in enumerate(page.cards) if c.section is Section.ANSWER]
            drafts = {i: await runtime.service.drafts(page.cards[i].key, 3) for i in answers[:3]}
            ingested = await _ingested(settings)
            generated = await _generated(sb.url)
            html_path = write_html(page, drafts, data_dir)
            target = "configured webhook" if webhook_url else "sandbox Discord recorder"
            async with aiohttp.ClientSession() as http:
                ids = await post_digest_via_webhook(
                    webhook_url or sb.discord_webhook_url, page, http
                )
        finally:
            if runtime.close is not None:
                await runtime.close()
    return DemoResult(
        page=page,
        drafts=drafts,
        html_path=html_path,
        webhook_messages=len(ids),
        webhook_target=target,
        ingested=ingested,
        generated=generated,
        cycles=cycles,
        simulated=step * cycles,
        alerts=[message for _platform, _account, message in alerts.sent],
        drafts_source=(
            f"your model {settings.llm_model or ''} at {settings.llm_base_url}".replace("  ", " ")
            if settings.llm_base_url
            else "built-in templates"
        ),
    )


def _fresh_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"{DEMO_DB}{suffix}").unlink(missing_ok=True)


async def _ingested(settings: Settings) -> dict[str, int]:
    from engagement.models import Platform
    from storage import Database

    db = Database(settings.database_url)
    try:
        async with db.unit_of_work() as uow:
            return {p.value: len(await uow.interactions.external_ids(p)) for p in Platform}
    finally:
        await db.dispose()


async def _generated(url: str) -> dict[str, int]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{url}/_sandbox/state", params={"log": "0"}) as resp,
    ):
        state = await resp.json()
    return {platform: len(items) for platform, items in state["generated"].items()}
