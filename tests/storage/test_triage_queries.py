"""The digest read path on real databases: stored signals, and the same digest as in memory."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from engagement.classifiers import default_classifier
from engagement.digest import build_digest
from engagement.models import ActionKind, Author
from engagement.triage import TriageParams
from storage import Database
from storage._triage_digest import load_digest
from storage._triage_queries import (
    SIGNALS,
    SIGNALS_VERSION,
    load_actions,
    load_items,
    score_pending,
)
from tests.engagement._factory import BRAND, NOW, action, author, record


def _scenario():
    big = author("journaliste", 85_000, verified=True)
    alice = author("alice", 1_200)
    creator = author("creatrice", 40_000, bio="Vidéos tech")
    bot = author("cryptoking", 3, follows=4_800, posts=0, age_days=2, bio="", avatar=None)
    q = record(big, text="Est-ce que la version Android sortira avant Noël ?",
               ago=timedelta(minutes=90))  # fmt: skip
    answered = record(author("bob"), text="How do I export my data? Button greyed out")
    on_platform = record(author("carla"), text="Pourquoi ai-je été débitée deux fois ?")
    brand = Author(platform=q.platform, platform_id=BRAND, handle="brand")
    reply = record(brand, "reply", "On regarde ça !", ago=timedelta(minutes=5),
                   parent=on_platform.external_id)  # fmt: skip
    reposts = [record(alice, "repost", ago=timedelta(hours=h)) for h in range(1, 6)]
    records = [
        q,
        answered,
        on_platform,
        reply,
        *reposts,
        record(creator, "quote", "Super annonce sur la #domotique", ago=timedelta(days=3)),
        record(creator, "like", ago=timedelta(hours=4)),
        record(bot, "mention", "Free crypto giveaway, claim your airdrop now"),
        record(bot, "repost", ago=timedelta(hours=1)),
        record(author("old", 10), "mention", "Vieux message ?", ago=timedelta(days=40)),
        record(author("x"), "starterpack-joined", ago=timedelta(hours=1)),
        record(author("nobody", None, follows=None, posts=None, age_days=None), "mention", ""),
    ]
    return records, [action(answered, ActionKind.ANSWERED)]


def _keys(digest):
    return (
        [e.item.key for e in digest.answer.entries],
        [(e.platform, e.author_id, e.counts) for e in digest.thank.entries],
        [(e.platform, e.author_id, e.action) for e in digest.creators.entries],
    )


async def test_stored_digest_equals_the_in_memory_digest(database: Database) -> None:
    records, actions = _scenario()
    await database.ingest(records, None)
    async with database.unit_of_work() as uow:
        for a in actions:
            await uow.actions.begin(a)
        await uow.commit()
    params = TriageParams(topics=("domotique",))
    classifier = default_classifier()
    since = NOW - timedelta(hours=24)
    async with database.unit_of_work() as uow:
        stored = await load_digest(uow, now=NOW, since=since, params=params, classifier=classifier)
        await uow.commit()
    async with database.unit_of_work() as uow:
        items = await load_items(uow, since=NOW - timedelta(days=30))
        memory = build_digest(
            items, await load_actions(uow, since=NOW - timedelta(days=30)),
            now=NOW, since=since, params=params,
        )  # fmt: skip
    assert _keys(stored) == _keys(memory)
    answer, thank, creators = _keys(stored)
    assert answer == [records[0].key]  # answered in Discord / on the platform, spam: gone
    assert thank == [("bluesky", "did:plc:alice", {"repost": 5})]
    assert sorted(creators) == [
        ("bluesky", "did:plc:creatrice", "reply to their quote"),
        ("bluesky", "did:plc:journaliste", "reply to their post"),
    ]
    by_handle = {e.handle: e for e in stored.creators.entries}
    assert "talks about domotique" in by_handle["creatrice"].reasons
    assert stored.thank.entries[0].line == "@alice reposted 5 posts today"
    assert len(stored.thank.entries[0].item_ids) == 5
    assert stored.thank.entries[0].latest.kind == "repost"
    assert stored.figures.by_kind["repost"] == 6
    assert stored.figures.total == memory.figures.total


async def test_a_long_text_sent_again_is_spam_as_a_short_one_is(database: Database) -> None:
    # Digest items carry the first 2,000 characters of a text: its repeats must be counted on
    # those too, or a text longer than that would never be found repeated.
    long_text = "Pourquoi l'export CSV ne marche-t-il toujours pas ? " * 50
    assert len(long_text) > 2_000
    short_text = "Pourquoi l'export CSV ne marche-t-il toujours pas ?"

    def shady(handle: str) -> Author:  # ratio and blank profile: spam once a text repeats
        return author(handle, 3, follows=4_800, bio="", avatar=None)

    records = [
        record(who, text=text, ago=timedelta(hours=hours))
        for who, text in (
            (shady("longa"), long_text),
            (shady("longb"), long_text.upper()),
            (shady("short"), short_text),
        )
        for hours in (1, 2, 3)
    ]
    once = record(shady("once"), text=long_text)
    await database.ingest([*records, once], None)
    since = NOW - timedelta(hours=24)
    async with database.unit_of_work() as uow:
        stored = await load_digest(uow, now=NOW, since=since, classifier=default_classifier())
        await uow.commit()
    async with database.unit_of_work() as uow:
        history = NOW - timedelta(days=30)
        items = await load_items(uow, since=history)
        memory = build_digest(items, await load_actions(uow, since=history), now=NOW, since=since)
    assert stored.to_dict() == memory.to_dict()
    assert [e.item.key for e in stored.answer.entries] == [once.key]


async def test_signals_are_scored_once(database: Database) -> None:
    records, _ = _scenario()
    await database.ingest(records, None)
    text_kinds = sum(1 for r in records if r.kind in {"mention", "reply", "quote"})
    async with database.unit_of_work() as uow:
        assert await score_pending(uow, default_classifier(), batch=3) == text_kinds
        assert await score_pending(uow, default_classifier()) == 0
        await uow.commit()
    async with database.unit_of_work() as uow:
        count = await uow._session.scalar(select(func.count()).select_from(SIGNALS))
        assert count == text_kinds
        items = {i.external_id: i for i in await load_items(uow, since=NOW - timedelta(days=60))}
    q = items[records[0].external_id]
    assert q.signals is not None
    assert q.signals.question
    assert q.signals.language == "fr"
    assert items[records[-5].external_id].signals.spam_cues == ("crypto/giveaway wording",)
    assert items[records[4].external_id].signals is None  # a repost has no text signals


async def test_two_cycles_scoring_the_same_rows_at_once_keep_one_set(database: Database) -> None:
    # The Bluesky and the X poller each score pending rows after their cycle, concurrently.
    records, _ = _scenario()
    await database.ingest(records, None)
    text_kinds = sum(1 for r in records if r.kind in {"mention", "reply", "quote"})

    async def score() -> int:
        async with database.unit_of_work() as uow:
            scored = await score_pending(uow, default_classifier(), batch=2)
            await uow.commit()
            return scored

    results = await asyncio.gather(score(), score())
    assert text_kinds in results  # neither failed; the later one may re-score and drop
    async with database.unit_of_work() as uow:
        count = await uow._session.scalar(select(func.count()).select_from(SIGNALS))
    assert count == text_kinds


async def test_signals_of_an_older_classifier_are_scored_again_once(database: Database) -> None:
    records, _ = _scenario()
    await database.ingest(records, None)
    text_kinds = sum(1 for r in records if r.kind in {"mention", "reply", "quote"})
    columns = (SIGNALS.c.interaction_id, SIGNALS.c.version, SIGNALS.c.needs_reply)
    async with database.unit_of_work() as uow:
        assert await score_pending(uow, default_classifier()) == text_kinds
        fresh = sorted((await uow._session.execute(select(*columns))).all())
        # As an older release left them: an older version, and decisions it no longer makes.
        stale = update(SIGNALS).values(
            version=SIGNALS_VERSION - 1, needs_reply=~SIGNALS.c.needs_reply
        )
        await uow._session.execute(stale.where(SIGNALS.c.question.is_(True)))
        await uow.commit()
    async with database.unit_of_work() as uow:
        old = await uow._session.scalar(
            select(func.count()).where(SIGNALS.c.version < SIGNALS_VERSION)
        )
        assert old >= 2
        assert await score_pending(uow, default_classifier(), batch=2) == old
        assert await score_pending(uow, default_classifier()) == 0
        await uow.commit()
    async with database.unit_of_work() as uow:
        again = sorted((await uow._session.execute(select(*columns))).all())
    assert again == fresh
    assert {version for _, version, _ in again} == {SIGNALS_VERSION}
