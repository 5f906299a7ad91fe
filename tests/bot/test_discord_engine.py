"""The Discord read path is the engine's: digest, /inbox, /stats and alerts.

Over a real SQLite file filled by the real pollers from the sandbox's launch-day scenario.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _discord_env import TeamEnv, team_env

from bot.discord_app import ConfigStore, TeamInbox
from cogs.ports import InboxQuery, ItemStatus, Section
from engagement.classifiers import default_classifier
from engagement.models import InteractionRecord, Platform
from engagement.ports import Actor
from sandbox import ManualClock, SandboxServer
from storage import Database
from storage._triage_digest import load_digest

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Actor("111", "Alice")


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[TeamEnv]:
    clock = ManualClock(START)
    sb = SandboxServer(scenario="launch-day", seed=7, clock=clock)
    async with sb, team_env(sb, clock, tmp_path) as team:
        for _ in range(3):
            clock.advance(timedelta(hours=2))
            await team.poll()
        yield team


def _key(platform: str, external_id: str) -> tuple[Platform, str]:
    return (Platform(platform), external_id)


async def _question(env: TeamEnv, created_at: datetime, external_id: str) -> InteractionRecord:
    """Store a question from a small X account, made at ``created_at``."""
    page = await env.service.inbox(InboxQuery(platform=Platform.X, page_size=500), env.clock.now())
    base = next(
        c.item
        for c in page.cards
        if c.section is Section.ANSWER and (c.item.author.followers_count or 0) < 5_000
    )
    record = replace(
        base,
        external_id=external_id,
        created_at=created_at,
        text="@PlumeNotes Est-ce que l'export PDF marche sur Android ?",
        url=None,
    )
    async with env.service.db.unit_of_work() as uow:
        await uow.ingest([record], None)
        await uow.commit()
    return record


async def test_the_digest_is_the_engines_digest(env: TeamEnv) -> None:
    now = env.clock.now()
    page = await env.service.digest(now)
    async with env.service.db.unit_of_work() as uow:
        engine = await load_digest(
            uow,
            now=now,
            since=now - timedelta(days=1),
            params=env.service.triage_params(),
            classifier=default_classifier(),
        )
    answer = page.section(Section.ANSWER)
    assert [c.key for c in answer] == [_key(*e.item.key) for e in engine.answer.entries]
    for card, entry in zip(answer, engine.answer.entries, strict=True):
        assert (card.reasons, card.score, card.breach) == (entry.reasons, entry.score, entry.sla)
        assert card.waiting == entry.waiting
    assert page.section_totals == {
        Section.ANSWER: engine.answer.total,
        Section.THANK: engine.thank.total,
        Section.CREATORS: engine.creators.total,
    }
    assert page.section_totals[Section.ANSWER] > len(answer), "launch-day overflows the cap"
    # French and English comments, with the engine's readable reasons.
    languages = {r for c in answer for r in c.reasons if r in {"in French", "in English"}}
    assert languages == {"in French", "in English"}
    assert all(c.reasons[0].split(",")[0] in {"question", "complaint"} for c in answer[:3])
    # One thank card per person, on their most recent interaction, saying what they did.
    thank = page.section(Section.THANK)
    assert len(thank) == len(engine.thank.entries) > 0
    people = [(c.item.platform, c.item.author.platform_id) for c in thank]
    assert len(set(people)) == len(people)
    for card, t in zip(thank, engine.thank.entries, strict=True):
        assert card.key == _key(*t.latest.key)
        assert card.item.external_id in t.item_ids
        assert card.reasons[0] == t.line.removeprefix(f"@{t.handle} ")
        assert card.reasons[0].endswith("today")
    assert any(sum(t.counts.values()) > 1 for t in engine.thank.entries), "grouped per person"
    for card, c in zip(page.section(Section.CREATORS), engine.creators.entries, strict=True):
        assert card.reasons[0] == f"suggested: {c.action}"
        assert card.reasons[1:] == c.reasons
    figures = {f.label: f for f in page.figures}
    assert figures["Interactions"].value == str(engine.figures.total)
    assert figures["Still to answer"].value == str(engine.figures.to_answer)
    assert figures["Open questions"].value == str(engine.figures.open_questions)
    assert figures["SLA breaches"].value == str(engine.figures.breaches)
    assert figures["Interactions"].delta == f"+{engine.figures.total} vs previous day"
    assert {"Bluesky", "X", "By kind", "Oldest waiting", "SLA flags"} <= set(figures)
    assert "Older open items" not in figures
    assert await env.service.stats(now) == page.figures


async def test_spam_never_reaches_the_digest(env: TeamEnv) -> None:
    page = await env.service.digest(env.clock.now())
    truth = env.sandbox.world.generated()
    spammers = {g["author"] for g in truth["x"] if g.get("intent") == "spam"}
    assert spammers, "launch-day has spam on X"
    shown = {c.item.author.handle for c in page.cards if c.item.platform is Platform.X}
    assert shown
    assert shown.isdisjoint(spammers)


async def test_inbox_pages_and_filters_in_sql(env: TeamEnv) -> None:
    await _check_inbox(env.service, env.clock.now())


async def test_inbox_and_digest_on_both_databases(env: TeamEnv, database: Database) -> None:
    """The same items in a fresh SQLite file or PostgreSQL schema: the same pages."""
    now = env.clock.now()
    async with env.service.db.unit_of_work() as uow:
        records = await uow.interactions.list_between(START, now)
        actions = await uow.actions.list_between(START, now + timedelta(seconds=1))
    assert actions, "the pollers record answers the brand made on the platforms"
    async with database.unit_of_work() as uow:
        await uow.ingest(records, None)
        for action in actions:
            await uow.actions.begin(action)
        await uow.commit()
    config = ConfigStore(
        env.settings.discord_state_dir / "other.json", await env.service.get_config()
    )
    service = TeamInbox(database, None, env.service.drafter, config, params=env.service.params)
    expected = await env.service.digest(now)
    page = await service.digest(now)
    for section in (Section.ANSWER, Section.CREATORS):
        assert [(c.key, c.reasons) for c in page.section(section)] == [
            (c.key, c.reasons) for c in expected.section(section)
        ]
    # Thank cards: the same people and lines (which of a person's interactions the card acts
    # on follows storage ids, which differ between the two databases).
    assert [(c.item.author.platform_id, c.reasons) for c in page.section(Section.THANK)] == [
        (c.item.author.platform_id, c.reasons) for c in expected.section(Section.THANK)
    ]
    assert page.section_totals == expected.section_totals
    await _check_inbox(service, now)


async def _check_inbox(service: TeamInbox, now: datetime) -> None:
    inbox = service.inbox
    everything = await inbox(InboxQuery(page_size=1000), now)
    assert everything.total == len(everything.cards) > 20
    times = [c.item.created_at for c in everything.cards]
    assert times == sorted(times, reverse=True)
    assert all(c.item.kind != "like" for c in everything.cards)
    first, second = [await inbox(InboxQuery(page=n, page_size=7), now) for n in (0, 1)]
    assert first.total == second.total == everything.total
    assert [c.key for c in first.cards + second.cards] == [c.key for c in everything.cards[:14]]
    by_platform = [await inbox(InboxQuery(platform=p, page_size=1000), now) for p in Platform]
    assert sum(p.total for p in by_platform) == everything.total
    for platform, page in zip(Platform, by_platform, strict=True):
        assert {c.item.platform for c in page.cards} == {platform}
    likes = await inbox(InboxQuery(kind="like", page_size=5), now)
    assert likes.total > 0
    assert {c.item.kind for c in likes.cards} == {"like"}
    # Statuses: a claim stays listed, a snooze and a closed item leave the default list.
    answer = [c for c in everything.cards if c.section is Section.ANSWER]
    claimed, snoozed, done = answer[0].key, answer[1].key, answer[2].key
    assert (await service.claim(claimed, ALICE, now)).ok
    assert (await service.snooze(snoozed, now + timedelta(hours=5), ALICE, now)).ok
    assert (await service.mark(done, ItemStatus.DONE, ALICE, now)).ok
    default = await inbox(InboxQuery(page_size=1000), now)
    assert default.total == everything.total - 2
    keys = {c.key for c in default.cards}
    assert claimed in keys
    assert {snoozed, done}.isdisjoint(keys)
    assert next(c for c in default.cards if c.key == claimed).state.by_name == "Alice"
    for status, expected in (
        (ItemStatus.CLAIMED, [claimed]),
        (ItemStatus.SNOOZED, [snoozed]),
        (ItemStatus.DONE, [done]),
        (ItemStatus.DISMISSED, []),
    ):
        page = await inbox(InboxQuery(status=status, page_size=50), now)
        assert [c.key for c in page.cards] == expected, status
        assert page.total == len(expected)
        assert all(c.state.status is status for c in page.cards)
    open_only = await inbox(InboxQuery(status=ItemStatus.OPEN, page_size=1000), now)
    assert open_only.total == everything.total - 3
    # The snooze ends: the item is back.
    later = await inbox(InboxQuery(page_size=1000), now + timedelta(hours=6))
    assert snoozed in {c.key for c in later.cards}


async def test_old_open_items_do_not_vanish(env: TeamEnv) -> None:
    now = env.clock.now()
    before = await env.service.inbox(InboxQuery(page_size=1000), now)
    old = await _question(env, now - timedelta(days=40), "1900000000000000001")
    after = await env.service.inbox(InboxQuery(page_size=1000), now)
    assert after.total == before.total + 1
    assert after.cards[-1].key == old.key
    assert after.cards[-1].section is Section.ANSWER
    assert "breach: unanswered >72h" in after.cards[-1].reasons
    # Asked for explicitly as open, and on its platform: still there, whatever its age.
    for query in (
        InboxQuery(status=ItemStatus.OPEN, page_size=1000),
        InboxQuery(platform=Platform.X, kind=old.kind, status=ItemStatus.OPEN, page_size=1000),
    ):
        page = await env.service.inbox(query, now)
        assert old.key in {c.key for c in page.cards}, query
    figures = {f.label: f.value for f in await env.service.stats(now)}
    assert figures["Older open items"] == "1"
    assert (await env.service.mark(old.key, ItemStatus.DONE, ALICE, now)).ok
    assert "Older open items" not in {f.label for f in await env.service.stats(now)}


async def test_alerts_large_accounts_and_new_breaches_once(env: TeamEnv) -> None:
    now = env.clock.now()
    async with env.service.db.unit_of_work() as uow:
        records = await uow.interactions.list_between(now - timedelta(hours=6), now)
    urgent = await env.service.urgent(records, now)
    assert urgent, "launch-day has questions from large accounts"
    large = env.service.triage_params().large_account_followers
    for card in urgent:
        assert card.section is Section.ANSWER
        assert card.reasons[0].split(",")[0] in {"question", "complaint"}
        assert (card.item.author.followers_count or 0) >= large
        assert card.item.author.platform_id != card.item.account_id
    # A small account's question crosses the 72 h breach: alerted once, at the next check.
    crossed = await _question(env, now - timedelta(hours=71, minutes=50), "1900000000000000002")
    later = now + timedelta(minutes=30)
    first = await env.service.urgent([], later)
    assert [c.key for c in first] == [crossed.key]
    assert first[0].breach == ">72h"
    assert await env.service.urgent([], later + timedelta(minutes=30)) == ()
