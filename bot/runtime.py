"""Shared start-up steps for commands: open (and migrate) the database."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.errors import UserError
from bot.settings._core import CoreSettings
from storage import Database


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


async def open_database(settings: CoreSettings, *, url: str | None = None) -> Database:
    """Open the configured database and bring its schema up to date (Alembic ``head``).

    Args:
        settings: Settings holding ``database_url``.
        url: Use this URL instead of the configured one.

    Returns:
        The migrated database; the caller disposes of it.

    Raises:
        UserError: The URL is not supported or the database cannot be reached or migrated
            (one line, with the URL's password hidden).
    """
    target = url or settings.database_url
    try:
        db = Database(target)
    except ValueError as exc:
        raise UserError(f"ENGAGEBOT_DATABASE_URL: {exc}") from None
    except OSError as exc:  # SQLite: the database's directory cannot be created
        raise UserError(f"cannot open the database at {target}: {exc}") from None
    try:
        await db.upgrade()
    except (OSError, SQLAlchemyError) as exc:
        await db.dispose()
        raise UserError(f"cannot open the database at {db.url}: {_reason(exc)}") from None
    return db
