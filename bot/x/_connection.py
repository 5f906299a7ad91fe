"""One X identity shared by the poller and the publisher (so exactly one party rotates tokens)."""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp

from bot.errors import UserError
from bot.settings import Settings
from bot.x._poller import MIN_PAGE, XMentionsPoller
from bot.x._publisher import XPublisher
from bot.x._tokens import TokenStore
from engagement.models import Platform
from engagement.ports import Alerts
from storage import Database
from watchers.x import (
    BearerAuth,
    BudgetPolicy,
    BudgetState,
    ClientCredentials,
    TokenSet,
    UserTokenAuth,
    XAuth,
    XClient,
    XMentionsWatcher,
    XPrices,
    XWriter,
    get_me,
    month_start,
)
from watchers.x._auth import Clock, utc_now

log = logging.getLogger(__name__)


def x_configured(settings: Settings) -> bool:
    """Whether any X credential is configured (user OAuth client or app bearer token)."""
    return bool(settings.x_client_id or settings.x_bearer_token)


def prices_from(settings: Settings) -> XPrices:
    """The configured X prices."""
    return XPrices(
        owned_read=settings.x_price_owned_read_usd,
        post_read=settings.x_price_post_read_usd,
        user_read=settings.x_price_user_read_usd,
        post_create=settings.x_price_post_create_usd,
        summoned_reply=settings.x_price_summoned_reply_usd,
        url_post=settings.x_price_url_post_usd,
        interaction=settings.x_price_interaction_usd,
        interaction_delete=settings.x_price_interaction_delete_usd,
    )


def policy_from(settings: Settings) -> BudgetPolicy:
    """The monthly budget policy from ``ENGAGEBOT_X_MONTHLY_BUDGET_USD``."""
    return BudgetPolicy(cap_usd=settings.x_monthly_budget_usd)


def token_url(settings: Settings) -> str:
    """The OAuth 2.0 token endpoint under the configured API base."""
    return f"{settings.x_api_base}/2/oauth2/token"


def client_credentials(settings: Settings) -> ClientCredentials:
    """The app's OAuth 2.0 client identity.

    Raises:
        UserError: ``ENGAGEBOT_X_CLIENT_ID`` is not set.
    """
    if not settings.x_client_id:
        raise UserError("ENGAGEBOT_X_CLIENT_ID is required for X user login")
    secret = settings.x_client_secret.get_secret_value() if settings.x_client_secret else None
    return ClientCredentials(token_url(settings), settings.x_client_id, secret)


class XConnection:
    """The brand's X account as the bot sees it: one session, one client, one identity.

    Args:
        settings: The settings.
        db: The database (tokens live there).
        clock: Current UTC time.
        session: An aiohttp session to use (else one is created and closed by :meth:`close`).
        timeout_s: Total timeout of one X request.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Clock = utc_now,
        session: aiohttp.ClientSession | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self.db = db
        self.clock = clock
        self.prices = prices_from(settings)
        self.policy = policy_from(settings)
        self.tokens = TokenStore(db)
        self._session = session
        self._owns_session = session is None
        self._client: XClient | None = None
        self.user_id = ""
        self.handle = ""

    @property
    def client(self) -> XClient:
        """The client (after :meth:`open`)."""
        if self._client is None:
            raise RuntimeError("XConnection.open() was not awaited")
        return self._client

    async def open(self) -> XConnection:
        """Build the identity (user token from the database, else bearer) and find the user.

        Raises:
            UserError: Nothing usable is configured.
        """
        if self._session is None:
            self._session = aiohttp.ClientSession()
        auth = await self._auth()
        self._client = XClient(
            self._session,
            self.settings.x_api_base,
            auth,
            clock=self.clock,
            timeout_s=self.timeout_s,
        )
        await self._identify()
        return self

    async def close(self) -> None:
        """Close the session when this connection created it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    async def __aenter__(self) -> XConnection:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _auth(self) -> XAuth:
        settings = self.settings
        seed = settings.x_refresh_token.get_secret_value() if settings.x_refresh_token else None
        if settings.x_client_id:
            stored = await self.tokens.load(seed)
            if stored is not None:
                imported_seed = seed if stored.from_seed else None

                async def on_rotate(tokens: TokenSet) -> None:
                    await self.tokens.save(tokens, self.clock(), seed=imported_seed)

                return UserTokenAuth(
                    client_credentials(settings),
                    refresh_token=stored.refresh_token,
                    tokens=stored.tokens,
                    on_rotate=on_rotate,
                    clock=self.clock,
                )
        if settings.x_bearer_token:
            log.info("X: app-only bearer token (read only; run `engagebot x login` to write)")
            return BearerAuth(settings.x_bearer_token.get_secret_value())
        raise UserError(
            "X is not connected: run `engagebot x login` (needs ENGAGEBOT_X_CLIENT_ID) or set "
            "ENGAGEBOT_X_BEARER_TOKEN for a read-only setup"
        )

    async def _identify(self) -> None:
        stored = await self.tokens.user()
        if self.settings.x_user_id:
            self.user_id = self.settings.x_user_id
            self.handle = stored[1] if stored and stored[0] == self.user_id else ""
            return
        if stored is not None:
            self.user_id, self.handle = stored
            return
        if not self.client.auth.can_write:
            raise UserError("ENGAGEBOT_X_USER_ID is required with an app-only bearer token")
        me = await get_me(self.client)
        await self.tokens.save_user(me.id, me.username, self.clock())
        self.user_id, self.handle = me.id, me.username

    def poller(self, alerts: Alerts, *, probe_interval_s: float = 900.0) -> XMentionsPoller:
        """The mentions poller of this account (after :meth:`open`)."""
        watcher = XMentionsWatcher(self.client, self.user_id, self.prices)
        poller = XMentionsPoller(
            watcher,
            self.db,
            alerts,
            policy=self.policy,
            handle=self.handle,
            base_interval_s=self.settings.x_poll_interval_s,
            clock=self.clock,
            probe_interval_s=probe_interval_s,
        )
        poller.on_close = self.close
        poller.publisher_factory = self.publisher
        return poller

    def publisher(self) -> XPublisher:
        """The X publisher (read-only setups refuse writes with reason ``read_only``)."""
        writer = XWriter(self.client, self.user_id) if self.client.auth.can_write else None
        return XPublisher(
            writer,
            self.db,
            prices=self.prices,
            policy=self.policy,
            account_id=self.user_id,
            handle=self.handle,
            clock=self.clock,
        )


async def x_budget_state(settings: Settings, db: Database, now: datetime) -> BudgetState:
    """The month's X spend against ``ENGAGEBOT_X_MONTHLY_BUDGET_USD``, for the digest.

    Returns:
        ``BudgetState(spent_usd, cap_usd, status, month_start)``; ``status`` is one of
        ``unlimited``, ``ok``, ``slowing`` (80 % of the cap and more) or ``reached`` (no
        further mentions page fits under the cap).
    """
    prices = prices_from(settings)
    async with db.unit_of_work() as uow:
        spent = await uow.api_usage.total_since(Platform.X, month_start(now))
    smallest = MIN_PAGE * prices.mentions_worst_per_item()
    return policy_from(settings).state(spent, now, min_call_usd=smallest)
