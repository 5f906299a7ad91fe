"""Bluesky XRPC simulator (``/xrpc/<nsid>``)."""

from __future__ import annotations

from aiohttp import web

from sandbox._world import World

__all__ = ["register"]


def register(app: web.Application, world: World) -> None:
    """Add the Bluesky XRPC routes for ``world`` to ``app``."""
