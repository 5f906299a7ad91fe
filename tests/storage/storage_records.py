"""Small builders for storage tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engagement.models import Author, Cursor, InteractionRecord, Platform, PostRef

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
BRAND = "did:plc:brand"


def author(
    n: int = 1, *, followers: int | None = 100, platform: Platform = Platform.BLUESKY
) -> Author:
    return Author(
        platform=platform,
        platform_id=f"did:plc:author{n}",
        handle=f"author{n}.bsky.social",
        display_name=f"Author {n}",
        followers_count=followers,
    )


def record(
    n: int,
    *,
    who: Author | None = None,
    kind: str = "reply",
    at: datetime | None = None,
    external_id: str | None = None,
    platform: Platform = Platform.BLUESKY,
    account_id: str = BRAND,
) -> InteractionRecord:
    when = at or T0 + timedelta(minutes=n)
    return InteractionRecord(
        platform=platform,
        external_id=external_id
        if external_id is not None
        else f"at://x/app.bsky.feed.post/{n:06d}",
        kind=kind,
        author=who or author(n % 7, platform=platform),
        account_id=account_id,
        created_at=when,
        indexed_at=when + timedelta(seconds=2),
        text=f"Bonjour, question numéro {n} ?",
        language="fr",
        cid=f"bafy{n}",
        subject=PostRef("at://brand/app.bsky.feed.post/1", "bafysubject"),
        root=PostRef("at://brand/app.bsky.feed.post/1", "bafysubject"),
        parent=PostRef(f"at://x/app.bsky.feed.post/{n - 1:06d}", None) if n else None,
        url=f"https://bsky.app/profile/x/post/{n}",
        raw={"n": n, "nested": {"ok": True, "text": "é"}},
    )


def cursor(value: str, *, stream: str = "notifications", at: datetime = T0) -> Cursor:
    return Cursor(Platform.BLUESKY, BRAND, stream, value, at)
