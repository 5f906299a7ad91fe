"""``engagebot x login`` (connect the brand's X account) and ``engagebot x budget``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime

import aiohttp

from bot.errors import UserError
from bot.settings import Settings, load_settings
from bot.x import TokenStore, client_credentials, x_budget_state
from storage import Database
from watchers.x import (
    AuthorizationRequest,
    TokenSet,
    UserTokenAuth,
    XClient,
    XError,
    XUser,
    code_from_redirect,
    exchange_code,
    get_me,
    start_authorization,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``x login`` and ``x budget``."""
    parser = subparsers.add_parser("x", help="connect the X account, show the X budget")
    commands = parser.add_subparsers(dest="x_command", metavar="ACTION", required=True)
    login = commands.add_parser(
        "login",
        help="authorize the bot on the brand's X account (OAuth 2.0 with PKCE)",
        description=(
            "Prints an authorize URL; open it while logged in as the brand, approve, then paste "
            "the URL the browser was sent back to. Tokens go to the database, never the screen."
        ),
    )
    login.set_defaults(handler=_login)
    budget = commands.add_parser("budget", help="this month's estimated X spend and the cap")
    budget.add_argument("--json", action="store_true", help="print one JSON object")
    budget.set_defaults(handler=_budget)


def _read_line() -> str:
    return sys.stdin.readline()


async def _login(args: argparse.Namespace) -> int:
    settings = load_settings(Settings)
    client = client_credentials(settings)
    request = start_authorization(
        authorize_url=settings.x_authorize_url,
        client_id=client.client_id,
        redirect_uri=settings.x_redirect_uri,
    )
    print("1. Open this URL in a browser logged in as the brand's X account, and approve:")
    print(request.url)
    print("2. Paste here the full URL the browser was sent to (it starts with ", end="")
    print(f"{settings.x_redirect_uri}):", flush=True)
    line = (await asyncio.to_thread(_read_line)).strip()
    if not line:
        raise UserError("no redirect URL given; login cancelled")
    try:
        code = code_from_redirect(line, request.state)
    except XError as exc:
        raise UserError(str(exc)) from None
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        me, tokens = await _connect(settings, TokenStore(db), request, code)
    finally:
        await db.dispose()
    if not tokens.refresh_token:
        print("warning: X sent no refresh token (offline.access missing): log in again in 2 h")
    print(f"Connected X account @{me.username} (id {me.id}); tokens stored in the database.")
    return 0


async def _connect(
    settings: Settings, store: TokenStore, request: AuthorizationRequest, code: str
) -> tuple[XUser, TokenSet]:
    client = client_credentials(settings)
    seed = settings.x_refresh_token.get_secret_value() if settings.x_refresh_token else None
    async with aiohttp.ClientSession() as session:
        try:
            # Codes live about 30 seconds: exchange first, everything else after.
            tokens = await exchange_code(
                session,
                client,
                code=code,
                redirect_uri=request.redirect_uri,
                code_verifier=request.code_verifier,
                now=datetime.now(UTC),
            )
            # The configured seed counts as imported: this login must win over it.
            await store.save(tokens, datetime.now(UTC), seed=seed)

            async def on_rotate(new: TokenSet) -> None:
                await store.save(new, datetime.now(UTC))

            auth = UserTokenAuth(
                client, refresh_token=tokens.refresh_token or "", tokens=tokens, on_rotate=on_rotate
            )
            me = await get_me(XClient(session, settings.x_api_base, auth))
        except XError as exc:
            raise UserError(f"X login failed: {exc}") from None
    await store.save_user(me.id, me.username, datetime.now(UTC))
    return me, tokens


async def _budget(args: argparse.Namespace) -> int:
    settings = load_settings(Settings)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        state = await x_budget_state(settings, db, datetime.now(UTC))
    finally:
        await db.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "spent_usd": round(state.spent_usd, 6),
                    "cap_usd": state.cap_usd,
                    "status": state.status.value,
                    "month_start": state.month_start.isoformat(),
                }
            )
        )
    else:
        cap = "no cap" if state.cap_usd is None else f"cap ${state.cap_usd:.2f}"
        print(f"X spend this month: ${state.spent_usd:.2f} ({cap}); status: {state.status.value}")
    return 0
