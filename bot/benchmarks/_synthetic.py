"""Realistic synthetic interactions for benchmarks (seeded, ids unique per run)."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

from engagement.models import Author, InteractionKind, InteractionRecord, Platform, PostRef

_B32 = string.ascii_lowercase + "234567"
_TEXTS = (
    "Merci pour la mise à jour, ça marche enfin chez moi !",
    "Est-ce que la version Android arrive bientôt ?",
    "Love the new release, the dark mode is perfect",
    "Toujours pas de réponse du support depuis trois jours…",
    "Any plans for an API? We'd build on it right away.",
    "Super live hier soir, bravo à toute l'équipe 👏",
)
_NSID = {
    InteractionKind.LIKE: "app.bsky.feed.like",
    InteractionKind.REPOST: "app.bsky.feed.repost",
    InteractionKind.FOLLOW: "app.bsky.graph.follow",
}
_KINDS = (
    (InteractionKind.LIKE, 40),
    (InteractionKind.REPOST, 15),
    (InteractionKind.FOLLOW, 10),
    (InteractionKind.REPLY, 15),
    (InteractionKind.MENTION, 12),
    (InteractionKind.QUOTE, 8),
)


def _did(rng: random.Random) -> str:
    return "did:plc:" + "".join(rng.choices(_B32, k=24))


def _tid(rng: random.Random) -> str:
    return "".join(rng.choices(_B32, k=13))


def _author(rng: random.Random, platform: Platform, index: int) -> Author:
    followers = int(rng.paretovariate(1.2) * 40)
    if platform is Platform.BLUESKY:
        platform_id, handle = _did(rng), f"user{index}.bsky.social"
    else:
        platform_id, handle = str(rng.randrange(10**17, 10**19)), f"user{index}"
    return Author(
        platform=platform,
        platform_id=platform_id,
        handle=handle,
        display_name=f"User {index}",
        followers_count=followers,
        follows_count=rng.randrange(0, 2_000),
        posts_count=rng.randrange(0, 20_000),
    )


def synthetic_records(
    n: int, *, seed: int = 7, start: datetime | None = None
) -> list[InteractionRecord]:
    """``n`` interactions: 70 % Bluesky, 30 % X, one author per five interactions.

    Args:
        n: How many records.
        seed: The random seed; ids are random too, so two seeds never collide.
        start: Time of the first interaction (UTC); one every 0.8 s after it.
    """
    rng = random.Random(seed)
    start = start or datetime(2026, 11, 1, tzinfo=UTC)
    brand = {
        Platform.BLUESKY: "did:plc:brandbrandbrandbrandbran",
        Platform.X: "1500000000000000001",
    }
    brand_posts = {
        Platform.BLUESKY: [
            PostRef(
                f"at://{brand[Platform.BLUESKY]}/app.bsky.feed.post/{_tid(rng)}",
                "bafyrei" + _tid(rng),
            )
            for _ in range(20)
        ],
        Platform.X: [PostRef(str(rng.randrange(10**18, 10**19))) for _ in range(20)],
    }
    pool = max(2, n // 5)  # one author per five interactions, split like the traffic
    authors = {
        Platform.BLUESKY: [_author(rng, Platform.BLUESKY, i) for i in range(pool * 7 // 10)],
        Platform.X: [_author(rng, Platform.X, i) for i in range(pool - pool * 7 // 10)],
    }
    kinds, weights = zip(*_KINDS, strict=True)
    records: list[InteractionRecord] = []
    for i in range(n):
        platform = Platform.BLUESKY if rng.random() < 0.7 else Platform.X
        author = rng.choice(authors[platform])
        kind = rng.choices(kinds, weights)[0]
        subject = rng.choice(brand_posts[platform])
        at = start + timedelta(seconds=i * 0.8)
        text = rng.choice(_TEXTS) if kind.has_text else ""
        if platform is Platform.BLUESKY:
            nsid = _NSID.get(kind, "app.bsky.feed.post")
            external_id = f"at://{author.platform_id}/{nsid}/{_tid(rng)}"
            cid, url = "bafyrei" + _tid(rng), None
        else:
            external_id = f"{kind}:{rng.randrange(10**18, 10**19)}"
            cid, url = None, f"https://x.com/{author.handle}/status/{external_id}"
        reply = kind is InteractionKind.REPLY
        records.append(
            InteractionRecord(
                platform=platform,
                external_id=external_id,
                kind=kind,
                author=author,
                account_id=brand[platform],
                created_at=at,
                indexed_at=at + timedelta(seconds=1),
                text=text,
                language=("fr" if "é" in text or "ç" in text else "en") if text else None,
                cid=cid,
                subject=None if kind is InteractionKind.FOLLOW else subject,
                root=subject if reply else None,
                parent=subject if reply else None,
                url=url,
                raw={
                    "uri": external_id,
                    "reason": str(kind),
                    "isRead": False,
                    "indexedAt": at.isoformat(),
                },
            )
        )
    return records
