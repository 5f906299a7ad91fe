"""Bluesky XRPC simulator (``/xrpc/<nsid>``), faithful to the lexicons in ``specs/lexicons``.

The brand logs in with its handle and ``sandbox._credentials.BLUESKY_APP_PASSWORD``; reads are
rendered for the brand as viewer; writes go to the brand's repo.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox._control import json_response
from sandbox._ids import format_datetime
from sandbox._world import World
from sandbox.bluesky._auth import Auth
from sandbox.bluesky._routes_read import add_read_routes
from sandbox.bluesky._routes_server import add_server_routes
from sandbox.bluesky._routes_write import add_write_routes
from sandbox.bluesky._store import Store
from sandbox.bluesky._views import Views
from sandbox.scenarios import Event

__all__ = ["STORE", "register"]

#: App key of the Bluesky :class:`Store` (records, notifications).
STORE = web.AppKey("bluesky_store", Store)


async def _not_implemented(request: web.Request) -> web.StreamResponse:
    return json_response(
        {"error": "MethodNotImplemented", "message": "Method Not Implemented"}, 501
    )


def register(app: web.Application, world: World) -> None:
    """Add the Bluesky XRPC routes for ``world`` to ``app``."""
    store = Store(world)
    views = Views(store)
    auth = Auth(world.scenario.seed)
    app[STORE] = store
    add_server_routes(app, store, auth)
    add_read_routes(app, store, views, auth)
    add_write_routes(app, store, auth)
    app.router.add_route("*", "/xrpc/{nsid}", _not_implemented)

    def ground_truth(events: list[Event]) -> list[dict[str, Any]]:
        by_seq = {n.event.seq: n for n in store.notices}
        answered = {
            post.parent.uri
            for post in store.posts.values()
            if post.did == store.brand.bsky_did and post.parent is not None and store.visible(post)
        }
        rows: list[dict[str, Any]] = []
        for event in events:
            notice = by_seq.get(event.seq)
            if notice is None:
                continue
            rows.append(
                {
                    "id": notice.uri,
                    "kind": notice.reason,
                    "author": event.author.bsky_handle,
                    "author_id": event.author.bsky_did,
                    "text": event.text,
                    "lang": event.lang,
                    "intent": event.intent,
                    "at": format_datetime(notice.at),
                    "cid": notice.cid,
                    "subject": notice.reason_subject,
                    "answered": notice.uri in answered,
                }
            )
        return rows

    world.ground_truth["bluesky"] = ground_truth
