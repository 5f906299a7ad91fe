"""X API v2 simulator: mentions, lookup, search, posting, likes, reposts, OAuth 2.0 and costs.

Plugged into the shared sandbox app by :func:`register`. See ``sandbox/x/README.md`` for the
endpoints, control routes and choices (prices, limits, error bodies).
"""

from __future__ import annotations

from aiohttp import web

from sandbox._world import World
from sandbox.x._auth_routes import add_auth_routes
from sandbox.x._control_routes import add_control_routes, summary
from sandbox.x._costs import PRICES, CostLedger, LedgerEntry
from sandbox.x._errors import REPLY_NOT_ALLOWED
from sandbox.x._http import X_STATE
from sandbox.x._limits import DEFAULT_LIMITS, RateLimiter
from sandbox.x._oauth import OAuthServer, s256
from sandbox.x._reads import add_read_routes
from sandbox.x._state import XState
from sandbox.x._writes import add_write_routes

__all__ = [
    "DEFAULT_LIMITS",
    "PRICES",
    "REPLY_NOT_ALLOWED",
    "X_STATE",
    "CostLedger",
    "LedgerEntry",
    "OAuthServer",
    "RateLimiter",
    "XState",
    "register",
    "s256",
]


def register(app: web.Application, world: World) -> None:
    """Add the X routes to ``app`` and the ``x`` key to ``/_sandbox/state``.

    The credit budget comes from ``world.x_credits_usd`` (``SandboxServer(x_credits_usd=…)``,
    ``engagebot sandbox --x-credits``; ``None``: no budget); ``POST /_sandbox/x/credits``
    changes it at run time.
    """
    state = XState(world, credits_usd=world.x_credits_usd)
    app[X_STATE] = state
    add_read_routes(app)
    add_write_routes(app)
    add_auth_routes(app)
    add_control_routes(app)
    world.extensions["x"] = lambda: summary(app)
