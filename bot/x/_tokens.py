"""OAuth 2.0 tokens kept in the database: loaded at start, saved after every rotation.

The refresh token in ``ENGAGEBOT_X_REFRESH_TOKEN`` is only a seed: once used, X rotates it and
the database holds the one that works. A *new* seed (the variable changed since it was last
imported) wins over the stored token; the seed is remembered by its SHA-256, never in clear.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from engagement.models import Platform
from storage import Database
from watchers.x import TokenSet

log = logging.getLogger(__name__)

#: Credentials row owner: the app has one brand user, whose id may not be known yet.
TOKEN_ACCOUNT = "oauth2-user"
REFRESH = "refresh_token"
ACCESS = "access_token"
EXPIRES = "access_expires_at"
SEED = "refresh_token_seed_sha256"
USER_ID = "user_id"
USERNAME = "username"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredTokens:
    """What to start the user token with.

    Attributes:
        refresh_token: The refresh token to use next.
        tokens: A stored access token (maybe expired), if any.
        from_seed: Whether ``refresh_token`` is a newly configured seed not imported yet.
    """

    refresh_token: str = field(repr=False)
    tokens: TokenSet | None
    from_seed: bool


class TokenStore:
    """Reads and writes the brand's X tokens (never logs them).

    Args:
        db: The database.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self, seed: str | None) -> StoredTokens | None:
        """The tokens to start with; ``seed`` is the configured refresh token, if any."""
        async with self.db.unit_of_work() as uow:
            get = uow.credentials.get
            refresh = await get(Platform.X, TOKEN_ACCOUNT, REFRESH)
            access = await get(Platform.X, TOKEN_ACCOUNT, ACCESS)
            expires = await get(Platform.X, TOKEN_ACCOUNT, EXPIRES)
            seen_seed = await get(Platform.X, TOKEN_ACCOUNT, SEED)
        if seed and _digest(seed) != seen_seed:
            log.info("using the configured X refresh token (not imported yet)")
            return StoredTokens(seed, None, from_seed=True)
        if refresh is None:
            return None
        tokens = None
        if access and expires:
            tokens = TokenSet(access, refresh, datetime.fromisoformat(expires))
        return StoredTokens(refresh, tokens, from_seed=False)

    async def save(self, tokens: TokenSet, at: datetime, *, seed: str | None = None) -> None:
        """Persist rotated tokens at once, in their own transaction.

        Args:
            tokens: The new tokens.
            at: Now (UTC).
            seed: The configured refresh token these derive from, marked as imported.
        """
        async with self.db.unit_of_work() as uow:
            put = uow.credentials.set
            if tokens.refresh_token:
                await put(Platform.X, TOKEN_ACCOUNT, REFRESH, tokens.refresh_token, at)
            await put(Platform.X, TOKEN_ACCOUNT, ACCESS, tokens.access_token, at)
            await put(Platform.X, TOKEN_ACCOUNT, EXPIRES, tokens.expires_at.isoformat(), at)
            if seed:
                await put(Platform.X, TOKEN_ACCOUNT, SEED, _digest(seed), at)
            await uow.commit()
        log.info("X tokens saved (rotated refresh token persisted)")

    async def user(self) -> tuple[str, str] | None:
        """The stored (user id, username) of the logged-in account, if known."""
        async with self.db.unit_of_work() as uow:
            user_id = await uow.credentials.get(Platform.X, TOKEN_ACCOUNT, USER_ID)
            username = await uow.credentials.get(Platform.X, TOKEN_ACCOUNT, USERNAME)
        return (user_id, username or "") if user_id else None

    async def save_user(self, user_id: str, username: str, at: datetime) -> None:
        """Remember whose tokens these are."""
        async with self.db.unit_of_work() as uow:
            await uow.credentials.set(Platform.X, TOKEN_ACCOUNT, USER_ID, user_id, at)
            await uow.credentials.set(Platform.X, TOKEN_ACCOUNT, USERNAME, username, at)
            await uow.commit()
