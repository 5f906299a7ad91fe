"""Open what the bot runs on (database, pollers, publisher, drafter) from the settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.commands.digest import triage_params
from bot.discord_app._app import Runtime
from bot.discord_app._config import ConfigStore
from bot.discord_app._locations import JsonLocationStore
from bot.discord_app._service import TeamInbox
from bot.drafting import build_drafter, voice_from_settings
from bot.pollers import build_pollers, build_publisher, close_pollers
from bot.settings import Settings
from bot.x import x_budget_state, x_configured
from cogs.ports import TeamConfig
from engagement.classifiers import default_classifier
from engagement.ports import Alerts
from storage import Database
from watchers.x import BudgetState

CONFIG_FILE = "team-config.json"
CARDS_FILE = "discord-cards.json"


def team_config_from(settings: Settings) -> TeamConfig:
    """The team configuration the settings give (``/config`` overrides it)."""
    return TeamConfig(
        digest_channel_id=settings.discord_digest_channel_id,
        alerts_channel_id=settings.discord_alerts_channel_id,
        digest_time=settings.digest_time.strftime("%H:%M"),
        timezone=settings.timezone,
        brand_role=settings.discord_brand_role,
        large_account_followers=settings.large_account_followers,
        voice_tone=settings.voice_tone,
        topics=tuple(t.strip() for t in settings.topics.split(",") if t.strip()),
    )


def budget_line(state: BudgetState) -> str:
    """The X budget as one line of the digest summary."""
    spent = f"${state.spent_usd:,.2f}"
    if state.cap_usd is None:
        return f"{spent} spent this month (no cap)"
    share = state.used_fraction or 0.0
    return f"{spent} of ${state.cap_usd:,.2f} this month ({share:.0%}) · {state.status.value}"


async def open_runtime(
    settings: Settings, alerts: Alerts, *, clock: Callable[[], datetime]
) -> Runtime:
    """Open the database (migrated), the pollers, the publisher and the team inbox.

    Args:
        settings: The settings.
        alerts: Where pollers report lasting platform states.
        clock: The current time (UTC).

    Returns:
        The runtime; its ``close`` closes the pollers' connections, the model client and the
        database.
    """
    db = Database(settings.database_url)
    await db.upgrade()
    pollers = await build_pollers(settings, db, alerts, clock=clock)
    drafter, llm = build_drafter(settings)
    state_dir = settings.discord_state_dir

    async def budget(now: datetime) -> str | None:
        return budget_line(await x_budget_state(settings, db, now))

    service = TeamInbox(
        db,
        build_publisher(db, pollers, clock=clock),
        drafter,
        ConfigStore(state_dir / CONFIG_FILE, team_config_from(settings)),
        voice=voice_from_settings(settings),
        params=triage_params(settings),
        classifier=default_classifier(),
        budget=budget if x_configured(settings) else None,
    )

    async def close() -> None:
        try:
            await close_pollers(pollers)
            if llm is not None:
                await llm.close()
        finally:
            await db.dispose()

    return Runtime(service, pollers, JsonLocationStore(state_dir / CARDS_FILE), close)
