"""``engagebot db upgrade``: apply the database migrations."""

from __future__ import annotations

import argparse

from bot.runtime import open_database
from bot.settings import Settings, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``db`` sub-command and its actions."""
    parser = subparsers.add_parser("db", help="manage the database schema")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="apply every pending migration (ENGAGEBOT_DATABASE_URL)",
        description="Create or update the schema of the configured database (Alembic head).",
    )
    upgrade.set_defaults(handler=_upgrade)


async def _upgrade(_args: argparse.Namespace) -> int:
    settings = load_settings(Settings)
    db = await open_database(settings)
    try:
        revision = await db.current_revision()
    finally:
        await db.dispose()
    print(f"database {db.url} is at revision {revision}")
    return 0
