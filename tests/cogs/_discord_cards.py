"""Builders of domain records and cards for the Discord tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cogs.ports import Card, DigestPage, ItemState, Section
from engagement.models import Author, InteractionRecord, Platform

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def record(
    n: int = 1,
    *,
    platform: Platform = Platform.BLUESKY,
    kind: str = "mention",
    text: str = "Bonjour, est-ce que l'export PDF marche sur iPad ?",
    language: str | None = "fr",
    followers: int | None = 120,
    handle: str = "alice.bsky.social",
) -> InteractionRecord:
    did = f"did:plc:{n:024d}"
    if platform is Platform.BLUESKY:
        external = f"at://{did}/app.bsky.feed.post/3k{n:011d}"
        url = f"https://bsky.app/profile/{handle}/post/3k{n:011d}"
    else:
        external = str(1_800_000_000_000_000_000 + n)
        url = f"https://x.com/{handle}/status/{external}"
    author = Author(
        platform,
        did if platform is Platform.BLUESKY else str(n),
        handle,
        display_name=handle.split(".")[0].title(),
        followers_count=followers,
    )
    created = T0 - timedelta(minutes=n)
    return InteractionRecord(
        platform=platform,
        external_id=external,
        kind=kind,
        author=author,
        account_id="did:plc:brand",
        created_at=created,
        indexed_at=created,
        text=text,
        language=language,
        cid=f"bafy{n}",
        url=url,
    )


def card(
    n: int = 1,
    *,
    section: Section = Section.ANSWER,
    text: str | None = None,
    state: ItemState | None = None,
    **kwargs: object,
) -> Card:
    item = record(n, **kwargs) if text is None else record(n, text=text, **kwargs)  # type: ignore[arg-type]
    return Card(
        item, section, ("question", "large account"), timedelta(hours=2), state or ItemState()
    )


def page(cards: list[Card]) -> DigestPage:
    return DigestPage(
        title="Engagement digest", period_key="2026-11-25", generated_at=T0, cards=tuple(cards)
    )
