"""``com.atproto.server.*``: createSession, refreshSession, getSession, deleteSession."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox import _credentials as creds
from sandbox._control import json_response
from sandbox.bluesky._auth import Auth
from sandbox.bluesky._store import Store
from sandbox.bluesky._xrpc import XrpcError, invalid, json_body, xrpc_handler
from sandbox.scenarios import Persona

__all__ = ["add_server_routes"]

_CREATE = "com.atproto.server.createSession"


def _did_doc(persona: Persona, request: web.Request) -> dict[str, Any]:
    origin = f"{request.scheme}://{request.host}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": persona.bsky_did,
        "alsoKnownAs": [f"at://{persona.bsky_handle}"],
        "verificationMethod": [],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": origin}
        ],
    }


def add_server_routes(app: web.Application, store: Store, auth: Auth) -> None:
    """Register the session endpoints."""
    world = store.world

    def session_body(persona: Persona, request: web.Request) -> dict[str, Any]:
        access, refresh = auth.issue(persona.bsky_did, world.auth_now())
        return {
            "did": persona.bsky_did,
            "handle": persona.bsky_handle,
            "email": f"{persona.bsky_handle.split('.')[0]}@example.com",
            "emailConfirmed": True,
            "accessJwt": access,
            "refreshJwt": refresh,
            "active": True,
            "didDoc": _did_doc(persona, request),
        }

    @xrpc_handler
    async def create_session(request: web.Request) -> web.StreamResponse:
        body = await json_body(request)
        identifier, password = body.get("identifier"), body.get("password")
        if not isinstance(identifier, str) or not isinstance(password, str):
            raise invalid("Error: Input must have the properties identifier and password")
        persona = store.actor(identifier.lower())
        key = persona.bsky_did if persona else identifier.lower()
        try:
            headers = auth.session_limit.check(key, world.auth_now())
        except XrpcError as exc:
            world.note_rate_limited(_CREATE)
            raise exc
        if (
            persona is None
            or persona.key != store.brand.key
            or (password != creds.BLUESKY_APP_PASSWORD)
        ):
            raise XrpcError(
                401, "AuthenticationRequired", "Invalid identifier or password", headers
            )
        world.sessions_created += 1
        return json_response(session_body(persona, request), headers=headers)

    @xrpc_handler
    async def refresh_session(request: web.Request) -> web.StreamResponse:
        claims = auth.rotate(request, world.auth_now())
        persona = store.profiles[claims.did]
        return json_response(session_body(persona, request))

    @xrpc_handler
    async def get_session(request: web.Request) -> web.StreamResponse:
        claims = auth.access(request, world.auth_now())
        persona = store.profiles[claims.did]
        return json_response(
            {
                "did": persona.bsky_did,
                "handle": persona.bsky_handle,
                "email": f"{persona.bsky_handle.split('.')[0]}@example.com",
                "emailConfirmed": True,
                "active": True,
                "didDoc": _did_doc(persona, request),
            }
        )

    @xrpc_handler
    async def delete_session(request: web.Request) -> web.StreamResponse:
        auth.revoke(request, world.auth_now())
        return web.Response(status=200)

    app.router.add_post(f"/xrpc/{_CREATE}", create_session)
    app.router.add_post("/xrpc/com.atproto.server.refreshSession", refresh_session)
    app.router.add_get("/xrpc/com.atproto.server.getSession", get_session)
    app.router.add_post("/xrpc/com.atproto.server.deleteSession", delete_session)
