"""Seeded personas with a heavy-tailed spread of audience sizes, plus spam and bot accounts."""

from __future__ import annotations

import random
import unicodedata

from sandbox._ids import did_for
from sandbox.scenarios._model import Persona
from sandbox.scenarios._texts import BIOS, NAMES

__all__ = ["make_brand", "make_personas"]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


def make_brand(seed: int) -> Persona:
    """Return the brand account the bot watches."""
    return Persona(
        key="brand",
        display_name="Plume",
        bsky_handle="plume-notes.bsky.social",
        bsky_did=did_for(f"brand:{seed}"),
        x_handle="PlumeNotes",
        x_id="1456789012345678901",
        followers=18_400,
        follows=312,
        posts=2_140,
        created_days_ago=900,
        bio="L'appli de notes qui vous suit partout · The notes app that goes where you go. 🇫🇷",
        lang="fr",
        flavor="brand",
        verified=True,
    )


def _audience(rng: random.Random, flavor: str) -> tuple[int, int, int, int]:
    """Followers, follows, posts and account age for a flavor (log-normal, heavy tail)."""
    if flavor == "spam":
        return rng.randint(0, 40), rng.randint(1500, 7500), rng.randint(3, 60), rng.randint(0, 9)
    if flavor == "bot":
        return (
            rng.randint(5, 300),
            rng.randint(2000, 5000),
            rng.randint(8000, 60000),
            rng.randint(10, 120),
        )
    if flavor == "creator":
        return (
            int(rng.lognormvariate(10.5, 1.0)),
            rng.randint(200, 1500),
            rng.randint(2000, 20000),
            rng.randint(400, 3000),
        )
    if flavor == "press":
        return (
            int(rng.lognormvariate(11.5, 0.7)),
            rng.randint(300, 2500),
            rng.randint(10000, 90000),
            rng.randint(1500, 4000),
        )
    followers = int(rng.lognormvariate(5.0, 1.6))
    follows = int(rng.lognormvariate(5.5, 0.9))
    return followers, follows, int(rng.lognormvariate(6.0, 1.3)), rng.randint(30, 3000)


def make_personas(rng: random.Random, count: int) -> list[Persona]:
    """Return ``count`` people: mostly ordinary users, some creators, press, spam and bots."""
    people: list[Persona] = []
    seen: set[str] = set()
    for index in range(count):
        roll = rng.random()
        flavor = (
            "spam"
            if roll < 0.07
            else "bot"
            if roll < 0.12
            else "creator"
            if roll < 0.17
            else "press"
            if roll < 0.19
            else "person"
        )
        lang = "fr" if rng.random() < 0.55 else "en"
        firsts, lasts = NAMES[lang]
        first, last = rng.choice(firsts), rng.choice(lasts)
        name = f"{first} {last}"
        base = _slug(first) + rng.choice(["", ".", "_"]) + _slug(last)
        if flavor in {"spam", "bot"}:
            base = _slug(first) + str(rng.randint(10000, 99999))
            name = rng.choice([name, f"{first} 💰", f"{first}{rng.randint(1, 999)}"])
        handle = base.replace("_", "-").replace(".", "-")
        while handle in seen:
            handle += str(rng.randint(0, 9))
        seen.add(handle)
        followers, follows, posts, age = _audience(rng, flavor)
        bio = rng.choice(BIOS[lang]) if flavor not in {"spam", "bot"} else "DM for promo 📈"
        people.append(
            Persona(
                key=f"p{index:03d}",
                display_name=name,
                bsky_handle=f"{handle}.bsky.social",
                bsky_did=did_for(f"persona:{index}:{handle}"),
                x_handle=base.replace(".", "_")[:15],
                x_id=str(1_000_000_000 + rng.randint(0, 10**12)),
                followers=followers,
                follows=follows,
                posts=posts,
                created_days_ago=age,
                bio=bio,
                lang=lang,
                flavor=flavor,
                verified=flavor == "press" or (flavor == "creator" and rng.random() < 0.3),
            )
        )
    return people
