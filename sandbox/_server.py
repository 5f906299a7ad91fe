"""``SandboxServer``: one aiohttp app on loopback serving every simulator."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import socket
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Protocol

from aiohttp import web

from sandbox import _credentials as creds
from sandbox._clock import DEFAULT_SPEED, Clock, ScaledClock
from sandbox._control import WORLD, control_middleware, setup_control
from sandbox._world import World
from sandbox.scenarios import Scenario, build_scenario

__all__ = ["PLUGINS", "SandboxServer", "build_app"]

log = logging.getLogger(__name__)

#: Modules that add routes to the app, each exposing ``register(app, world)``; a module that
#: does not exist (yet) is skipped.
PLUGINS: tuple[str, ...] = ("sandbox.bluesky", "sandbox.x", "sandbox.llm", "sandbox.discord")


def _real_now() -> datetime:
    return datetime.now(UTC)


class _Plugin(Protocol):
    def register(self, app: web.Application, world: World) -> None:
        """Add routes (and world extensions) to the app."""


def build_app(world: World) -> web.Application:
    """Build the aiohttp application for ``world`` with every available plugin registered."""
    app = web.Application(middlewares=[control_middleware], client_max_size=4 * 1024 * 1024)
    app[WORLD] = world
    setup_control(app)
    for name in PLUGINS:
        if importlib.util.find_spec(name) is None:
            continue
        plugin: _Plugin = importlib.import_module(name)
        if not hasattr(plugin, "register"):  # a package still being written
            log.debug("sandbox plugin %s has no register() yet", name)
            continue
        plugin.register(app, world)
    return app


class SandboxServer:
    """Run the simulators on loopback for the duration of an ``async with`` block.

    Args:
        scenario: Scenario name (``quiet-day``, ``launch-day``, ``outage``) or a built one.
        seed: Seed for the scenario.
        clock: Scenario clock; default a :class:`ScaledClock` at ``speed``.
        host: Interface to bind (loopback by default).
        port: TCP port, 0 for a free one.
        speed: Scenario seconds per real second for the default clock.
        preroll: How much of the scenario has already happened at start (default: one hour
            with the default clock, nothing with a given clock).
        x_credits_usd: X API credits before billable calls get 402 ``CreditsDepleted``
            (``None``: unlimited).
    """

    def __init__(
        self,
        scenario: str | Scenario = "launch-day",
        seed: int = 7,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = DEFAULT_SPEED,
        preroll: timedelta | None = None,
        x_credits_usd: float | None = None,
    ) -> None:
        self.scenario = build_scenario(scenario, seed) if isinstance(scenario, str) else scenario
        if preroll is None:
            preroll = timedelta(hours=1) if clock is None else timedelta(0)
        self.clock: Clock = clock if clock is not None else ScaledClock(speed=speed)
        # Tokens and rate-limit windows follow a given clock, else real time (see World).
        auth_clock = None if clock is not None else _real_now
        self.world = World(self.scenario, self.clock, self.clock.now() - preroll, auth_clock)
        self.world.x_credits_usd = x_credits_usd
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Bind and start serving."""
        app = build_app(self.world)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock)
        await site.start()
        log.info("sandbox serving %s at %s", self.scenario.name, self.url)

    async def stop(self) -> None:
        """Stop serving and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def app(self) -> web.Application:
        """The running aiohttp application (plugins keep their state under its ``AppKey``s)."""
        if self._runner is None:
            raise RuntimeError("the sandbox is not running")
        return self._runner.app

    @property
    def url(self) -> str:
        """Base URL of the whole app, e.g. ``http://127.0.0.1:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def bluesky_service(self) -> str:
        """Base for ``atproto.AsyncClient(base_url=...)`` (the SDK appends ``/xrpc``)."""
        return self.url

    @property
    def x_api_base(self) -> str:
        """Base for X API v2 calls (``{x_api_base}/2/...``)."""
        return self.url

    @property
    def llm_base_url(self) -> str:
        """OpenAI-compatible base (``{llm_base_url}/chat/completions``)."""
        return f"{self.url}/v1"

    @property
    def discord_api_base(self) -> str:
        """Discord REST base (``{discord_api_base}/channels/...``)."""
        return f"{self.url}/api/v10"

    @property
    def discord_webhook_url(self) -> str:
        """An execute-webhook URL the Discord recorder accepts."""
        # The discord.com/api/webhooks/ID/TOKEN shape lets discord.Webhook.from_url parse it.
        return (
            f"{self.url}/discord.com/api/webhooks/"
            f"{creds.DISCORD_WEBHOOK_ID}/{creds.DISCORD_WEBHOOK_TOKEN}"
        )

    @property
    def bluesky_handle(self) -> str:
        """The brand's Bluesky handle (log in with it and :data:`BLUESKY_APP_PASSWORD`)."""
        return self.scenario.brand.bsky_handle

    def env(self) -> dict[str, str]:
        """``ENGAGEBOT_*`` variables that point the bot at this sandbox, with credentials."""
        brand = self.scenario.brand
        return {
            "ENGAGEBOT_BLUESKY_SERVICE": self.bluesky_service,
            "ENGAGEBOT_BLUESKY_HANDLE": brand.bsky_handle,
            "ENGAGEBOT_BLUESKY_APP_PASSWORD": creds.BLUESKY_APP_PASSWORD,
            "ENGAGEBOT_X_API_BASE": self.x_api_base,
            "ENGAGEBOT_X_BEARER_TOKEN": creds.X_BEARER_TOKEN,
            "ENGAGEBOT_X_CLIENT_ID": creds.X_CLIENT_ID,
            "ENGAGEBOT_X_CLIENT_SECRET": creds.X_CLIENT_SECRET,
            "ENGAGEBOT_X_REFRESH_TOKEN": creds.X_REFRESH_TOKEN,
            "ENGAGEBOT_X_USER_ID": brand.x_id,
            "ENGAGEBOT_LLM_BASE_URL": self.llm_base_url,
            "ENGAGEBOT_LLM_MODEL": creds.LLM_MODEL,
            "ENGAGEBOT_LLM_API_KEY": creds.LLM_API_KEY,
            "ENGAGEBOT_DISCORD_WEBHOOK_URL": self.discord_webhook_url,
        }
