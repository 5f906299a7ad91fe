"""build_pollers / build_publisher: the Bluesky poller and publisher share one session."""

from __future__ import annotations

import pytest
from bsky_sandbox import (
    RecordingAlerts,
    advance,
    catch_up,
    clock_fixture,  # noqa: F401 - fixture
    db_fixture,  # noqa: F401 - fixture
    launch_day_fixture,  # noqa: F401 - fixture
    sandbox_state,
    settings_for,
)

from bot.bluesky import BlueskyPoller
from bot.pollers import build_pollers, build_publisher, close_pollers
from bot.publishing import PlatformPublisher
from engagement.models import ActionStatus, InteractionKind, Platform
from engagement.ports import Actor, WriteRefusedError
from sandbox import ManualClock, SandboxServer
from storage import Database


async def test_pollers_and_publisher_share_the_account_session(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 3)
    env = {k: v for k, v in launch_day.env().items() if "BLUESKY" in k}
    settings = settings_for(
        launch_day,
        x_bearer_token=None,
        x_client_id=None,
        x_refresh_token=None,
        x_client_secret=None,
        x_user_id=None,
    )
    assert settings.bluesky_handle == env["ENGAGEBOT_BLUESKY_HANDLE"]
    pollers = await build_pollers(settings, db, RecordingAlerts(), clock=clock.now)
    try:
        (poller,) = [p for p in pollers if isinstance(p, BlueskyPoller)]
        assert poller.name == f"bluesky:{launch_day.bluesky_handle}"
        outcomes, _ = await catch_up(poller)
        mention = next(
            i for o in outcomes for i in o.new_items if i.kind == InteractionKind.MENTION
        )
        publisher = build_publisher(db, pollers, clock=clock.now)
        assert isinstance(publisher, PlatformPublisher)
        action = await publisher.reply(mention, "Merci !", Actor("1", "CM"))
        assert action.status is ActionStatus.CONFIRMED
        if Platform.X not in publisher.publishers:
            with pytest.raises(WriteRefusedError):
                publisher.for_platform(Platform.X)
    finally:
        await close_pollers(pollers)
    state = await sandbox_state(launch_day)
    assert state["sessions_created"] == 1  # polling and publishing used one login
