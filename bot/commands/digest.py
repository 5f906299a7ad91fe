"""``engagebot digest [--since 24h] [--json]``: build the digest from the database and print it."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table

from bot.errors import UserError
from bot.runtime import open_database
from bot.settings import Settings, load_settings
from engagement.classifiers import default_classifier
from engagement.digest import Digest
from engagement.triage import TriageParams, format_wait
from storage._triage_digest import load_digest

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``digest`` sub-command."""
    parser = subparsers.add_parser(
        "digest",
        help="print the digest (to answer, to thank, creators) from the database",
        description=(
            "Build the digest of the last period from ENGAGEBOT_DATABASE_URL: comments to "
            "answer, people to thank, creators to engage, and headline figures."
        ),
    )
    parser.add_argument(
        "--since", default="24h", help="period length: 90m, 24h, 7d, 2w (default 24h)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def parse_duration(value: str) -> timedelta:
    """``90m`` / ``24h`` / ``7d`` / ``2w`` → a positive duration.

    Raises:
        UserError: For anything else.
    """
    match = _DURATION.match(value)
    if match is None or float(match.group(1)) <= 0:
        raise UserError(f"--since {value!r}: use a positive duration like 90m, 24h, 7d or 2w")
    return timedelta(**{_UNITS[match.group(2).lower()]: float(match.group(1))})


def triage_params(settings: Settings) -> TriageParams:
    """Map the settings onto the engine's triage parameters."""
    return TriageParams(
        large_account_followers=settings.large_account_followers,
        creator_min_followers=settings.creator_min_followers,
        section_cap=settings.digest_section_cap,
        topics=tuple(t for t in settings.topics.split(",") if t.strip()),
    )


async def run(args: argparse.Namespace) -> int:
    """Build and print the digest."""
    period = parse_duration(args.since)
    settings = load_settings(Settings)
    params = triage_params(settings)
    db = await open_database(settings)
    now = datetime.now(UTC)
    try:
        async with db.unit_of_work() as uow:
            digest = await load_digest(
                uow, now=now, since=now - period, params=params, classifier=default_classifier()
            )
            await uow.commit()  # keeps the newly computed text signals
    finally:
        await db.dispose()
    if args.json:
        print(json.dumps(digest.to_dict(), ensure_ascii=False))
    else:
        render(digest, Console())
    return 0


def _delta(now: int, before: int) -> str:
    diff = now - before
    return f"{now} ({'+' if diff >= 0 else ''}{diff})"


def render(digest: Digest, console: Console) -> None:
    """Print the digest for people: figures, then the three sections with their reasons."""
    f = digest.figures
    console.rule(
        f"[bold]Digest[/] {digest.since:%Y-%m-%d %H:%M} → {digest.until:%Y-%m-%d %H:%M} UTC"
    )
    kinds = ", ".join(
        f"{k} {_delta(v, f.by_kind_previous.get(k, 0))}" for k, v in f.by_kind.items()
    )
    platforms = ", ".join(
        f"{k} {_delta(v, f.by_platform_previous.get(k, 0))}" for k, v in f.by_platform.items()
    )
    console.print(f"Interactions: {_delta(f.total, f.total_previous)}  [dim]{kinds}[/]")
    console.print(f"Platforms: {platforms or 'none'}")
    oldest = format_wait(f.oldest_waiting) if f.oldest_waiting is not None else "-"
    console.print(
        f"To answer: {f.to_answer} (questions {f.open_questions}), oldest waiting {oldest}, "
        f"service-level flags {f.sla_flagged}, breaches {f.breaches}"
    )
    answer = Table(title="Comments to answer", expand=True)
    for column in ("#", "who", "what", "text", "why"):
        answer.add_column(column, overflow="fold")
    for n, e in enumerate(digest.answer.entries, start=1):
        text = e.item.text if len(e.item.text) <= 120 else e.item.text[:119] + "…"
        answer.add_row(str(n), f"@{e.item.handle}", e.what, text, "; ".join(e.reasons[1:]))
    console.print(answer)
    if digest.answer.more:
        console.print(f"… and {digest.answer.more} more")
    console.print("[bold]People to thank[/]")
    for t in digest.thank.entries:
        console.print(f" • {t.line}  [dim]({'; '.join(t.reasons)})[/]")
    if digest.thank.more:
        console.print(f"… and {digest.thank.more} more")
    console.print("[bold]Creators to engage[/]")
    for c in digest.creators.entries:
        console.print(f" • @{c.handle}: {c.action}  [dim]({'; '.join(c.reasons)})[/]")
    if digest.creators.more:
        console.print(f"… and {digest.creators.more} more")
