"""The SQL digest read path builds exactly the digest the pure engine builds from all items.

A seeded, varied data set (two brand accounts, brand replies, team actions, spam accounts,
repeated texts written with other case, accents and spaces, praise-only people, creators,
kinds not known yet) is stored once; every section, entry, reason and figure of
:func:`storage._triage_digest.load_digest` must equal :func:`engagement.digest.build_digest`
over :func:`storage._triage_queries.load_items`, whole (``Digest.to_dict``).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from engagement.classifiers import default_classifier
from engagement.digest import build_digest
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    Author,
    InteractionRecord,
    Platform,
)
from engagement.triage import TriageParams
from storage import Database
from storage._triage_counts import period_counts
from storage._triage_digest import load_digest
from storage._triage_queries import load_actions, load_items, score_pending
from tests.engagement._factory import BRAND, NOW, action, author, record

BRAND_2 = "did:plc:brand2"
_TEXTS = (
    "Est-ce que la version Android arrive bientôt ?",
    "Toujours pas de réponse du support depuis trois jours, c'est inacceptable",
    "Merci pour la mise à jour, super boulot !",
    "Love the new release, the dark mode is perfect",
    "Any plans for an API? We'd build on it right away.",
    "Pouvez-vous ajouter l'export CSV s'il vous plaît ?",
    "Free crypto giveaway, claim your airdrop now",
    "https://spam.example/win",
    "ok",
)
_KINDS = ("like", "like", "like", "repost", "repost", "follow", "mention", "reply", "quote")


def _people(rng: random.Random) -> list[Author]:
    people = []
    for i in range(120):
        blank = rng.random() < 0.3
        people.append(
            author(
                f"p{i}",
                rng.choice([None, 0, 3, 40, 250, 1_500, 2_500, 12_000, 90_000]),
                follows=rng.choice([None, 10, 300, 900, 4_800]),
                posts=rng.choice([None, 0, 12, 900]),
                age_days=rng.choice([None, 2, 12, 45, 800]),
                bio="" if blank else "Je parle de tech",
                avatar=None if blank else "https://cdn.example/a.jpg",
                verified=rng.random() < 0.05,
            )
        )
    return people


def _data() -> tuple[list[InteractionRecord], list[ActionRecord]]:
    rng = random.Random(20261206)
    people = _people(rng)
    records: list[InteractionRecord] = []
    for _ in range(900):
        who = rng.choice(people)
        kind = rng.choice(_KINDS)
        text = rng.choice(_TEXTS) if kind in {"mention", "reply", "quote"} else ""
        ago = timedelta(seconds=rng.randrange(rng.choice((86_400, 34 * 86_400))))
        account = BRAND_2 if rng.random() < 0.2 else BRAND
        records.append(record(who, kind, text, ago=ago, account=account))
    # Repeated texts that only match once stripped and lowercased (accents included).
    repeater = author("repeater", 3, follows=4_800, bio="", avatar=None)
    for n, text in enumerate(("SUPER ÉQUIPE !", "super équipe !", "  Super Équipe !\n")):
        records.append(record(repeater, "quote", text, ago=timedelta(minutes=30 + n)))
    records.append(record(repeater, "repost", ago=timedelta(hours=3)))
    fan = author("fan", 800)  # praise only, no repost or like
    for hours in (2, 5):
        records.append(record(fan, "mention", "Merci, super boulot !", ago=timedelta(hours=hours)))
    platform = records[0].platform
    brand = Author(platform=platform, platform_id=BRAND, handle="brand")
    brand_2 = Author(platform=platform, platform_id=BRAND_2, handle="brand2")
    asked = [r for r in records if r.kind == "mention" and r.text.endswith("?")]
    for n, (who, account) in enumerate(((brand, BRAND), (brand_2, BRAND_2))):
        reply = record(
            who, "reply", "On regarde !", ago=timedelta(minutes=5), parent=asked[n].external_id,
            account=account,
        )  # fmt: skip
        records.append(reply)
    records.append(record(people[0], "starterpack-joined", ago=timedelta(hours=1)))
    reposts = [r for r in records if r.kind == "repost"]
    actions = [
        action(asked[2], ActionKind.ANSWERED),
        action(asked[3], ActionKind.DISMISSED),
        action(asked[4], ActionKind.SNOOZED, snooze_until=NOW + timedelta(hours=2)),
        action(asked[5], ActionKind.LIKED),
        action(reposts[0], ActionKind.THANKED),
        action(reposts[1], ActionKind.THANKED, status=ActionStatus.FAILED),
    ]  # fmt: skip
    return records, actions


@pytest.mark.parametrize(
    ("period", "params", "accounts"),
    [
        (timedelta(hours=24), TriageParams(), ()),
        (
            timedelta(days=7),
            TriageParams(section_cap=60, creator_min_followers=1_000, topics=("android",)),
            (),
        ),
        (timedelta(hours=24), TriageParams(section_cap=40), (("bluesky", BRAND),)),
    ],
)
async def test_stored_digest_is_the_engines_digest_whole(
    database: Database,
    period: timedelta,
    params: TriageParams,
    accounts: tuple[tuple[str, str], ...],
) -> None:
    records, actions = _data()
    await database.ingest(records, None)
    async with database.unit_of_work() as uow:
        for a in actions:
            await uow.actions.begin(a)
        await score_pending(uow, default_classifier())
        await uow.commit()
    since = NOW - period
    history = NOW - timedelta(days=params.history_days)
    async with database.unit_of_work() as uow:
        stored = await load_digest(uow, now=NOW, since=since, params=params, accounts=accounts)
        items = await load_items(uow, since=history, accounts=accounts)
        memory = build_digest(
            items, await load_actions(uow, since=history),
            now=NOW, since=since, params=params, brand_accounts=accounts,
        )  # fmt: skip
    assert stored.to_dict() == memory.to_dict()
    # Every section runs past its cap, with breaches, and the repeated text (written three
    # ways) makes spam of its sender, who would otherwise be among the first to thank.
    assert stored.answer.more > 0
    assert stored.thank.more > 0
    assert stored.creators.total > 0
    assert stored.breaches
    assert "repeater" not in {e.handle for e in stored.thank.entries}


async def test_period_counts_per_account_equal_the_counts_per_platform(
    database: Database,
) -> None:
    rng = random.Random(7)
    records = []
    for n in range(300):
        platform = rng.choice(list(Platform))
        who = author(f"c{n % 40}", platform=platform)
        account = BRAND if platform is Platform.BLUESKY else rng.choice(("15", "99"))
        ago = timedelta(minutes=rng.randrange(3 * 24 * 60))
        records.append(record(who, rng.choice(_KINDS), "hé", ago=ago, account=account))
    await database.ingest(records, None)
    since = NOW - timedelta(hours=24)
    expected: list[Counter[tuple[str, str]]] = [Counter(), Counter()]
    for r in records:
        if since - timedelta(hours=24) <= r.created_at < NOW:
            expected[r.created_at < since][(r.platform.value, r.kind)] += 1
    pairs = {(r.platform.value, r.account_id) for r in records}
    # Every account known (per account), one missing or one id on two platforms (fallback).
    ambiguous = pairs | {("bluesky", "99")}
    async with database.unit_of_work() as uow:
        for known in (pairs, (), set(list(pairs)[1:]), ambiguous):
            counts = await period_counts(uow, now=NOW, since=since, known=known)
            assert (dict(counts.current), dict(counts.previous)) == tuple(map(dict, expected))
        scoped = [("bluesky", BRAND)]
        mine = await period_counts(uow, now=NOW, since=since, accounts=scoped, known=scoped)
    alone = [r for r in records if r.account_id == BRAND and since <= r.created_at]
    assert sum(mine.current.values()) == len(alone) > 0
