"""TeamInbox over a real SQLite file, the real Bluesky publisher and the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _discord_env import TeamEnv, team_env

from cogs._ids import custom_id, hash_ref
from cogs.ports import InboxQuery, ItemStatus, Section
from engagement.models import ActionKind, ActionStatus, InteractionKind, Platform
from engagement.ports import Actor
from sandbox import ManualClock, SandboxServer

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Actor("111", "Alice")
BOB = Actor("222", "Bob")


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[TeamEnv]:
    clock = ManualClock(START)
    sb = SandboxServer(scenario="launch-day", seed=7, clock=clock)
    async with sb, team_env(sb, clock, tmp_path) as team:
        clock.advance(timedelta(hours=3))
        await team.poll(Platform.BLUESKY)
        yield team


async def _open_answer(env: TeamEnv, kind: str = "mention"):
    page = await env.service.inbox(
        InboxQuery(platform=Platform.BLUESKY, page_size=200), env.clock.now()
    )
    return next(c for c in page.cards if c.section is Section.ANSWER and c.item.kind == kind)


async def test_two_members_claiming_at_once_one_wins(env: TeamEnv) -> None:
    card = await _open_answer(env)
    now = env.clock.now()
    first, second = await asyncio.gather(
        env.service.claim(card.key, ALICE, now), env.service.claim(card.key, BOB, now)
    )
    winners = [o for o in (first, second) if o.ok]
    losers = [o for o in (first, second) if not o.ok]
    assert len(winners) == 1
    assert len(losers) == 1
    winner = winners[0].card.state
    assert winner.status is ItemStatus.CLAIMED
    loser_name = "Bob" if winner.by_id == ALICE.id else "Alice"
    assert winner.by_name in losers[0].message
    assert loser_name not in losers[0].message
    # The loser cannot answer it either, and the holder can release it for the other.
    holder = ALICE if winner.by_id == ALICE.id else BOB
    other = BOB if holder is ALICE else ALICE
    refused = await env.service.reply(card.key, "Bonjour !", other, now)
    assert not refused.ok
    assert "handling" in refused.message
    assert not (await env.service.unclaim(card.key, other, now)).ok
    assert (await env.service.unclaim(card.key, holder, now)).ok
    again = await env.service.claim(card.key, other, now)
    assert again.ok
    assert again.card.state.by_id == other.id


async def test_reply_posts_once_in_the_thread_and_closes_the_item(env: TeamEnv) -> None:
    card = await _open_answer(env, "reply")
    now = env.clock.now()
    text = "Merci pour votre message, on regarde ça tout de suite !"
    results = await asyncio.gather(
        env.service.reply(card.key, text, ALICE, now),
        env.service.reply(card.key, text, ALICE, now),
    )
    assert all(r.ok for r in results)
    posts = [w for w in await env.written() if w["type"] == "post"]
    assert len(posts) == 1
    assert posts[0]["text"] == text
    assert posts[0]["reply_parent"] == card.item.external_id
    assert posts[0]["reply_root"] == card.item.root.id
    async with env.service.db.unit_of_work() as uow:
        actions = await uow.actions.for_interaction(*card.key)
    answered = [a for a in actions if a.kind is ActionKind.ANSWERED]
    assert [(a.actor_id, a.status) for a in answered] == [("111", ActionStatus.CONFIRMED)]
    digest = await env.service.digest(env.clock.now())
    assert card.key not in {c.key for c in digest.cards}
    late = await env.service.reply(card.key, "Autre texte", BOB, now)
    assert not late.ok
    assert "Alice" in late.message
    assert len([w for w in await env.written() if w["type"] == "post"]) == 1


async def test_overlong_reply_is_refused_before_posting(env: TeamEnv) -> None:
    card = await _open_answer(env)
    outcome = await env.service.reply(card.key, "é" * 301, ALICE, env.clock.now())
    assert not outcome.ok
    assert "301/300" in outcome.message
    assert [w for w in await env.written() if w["type"] == "post"] == []


async def test_done_snooze_dismiss_and_thank(env: TeamEnv) -> None:
    now = env.clock.now()
    page = await env.service.inbox(InboxQuery(page_size=200), now)
    answer = [c for c in page.cards if c.section is Section.ANSWER]
    done = await env.service.mark(answer[0].key, ItemStatus.DONE, ALICE, now)
    assert done.ok
    assert done.card.state.status is ItemStatus.DONE
    snoozed = await env.service.snooze(answer[1].key, now + timedelta(hours=24), BOB, now)
    assert snoozed.card.state.status is ItemStatus.SNOOZED
    back = await env.service.card(answer[1].key, now + timedelta(hours=25))
    assert back.state.status is ItemStatus.OPEN
    dismissed = await env.service.mark(answer[2].key, ItemStatus.DISMISSED, BOB, now)
    assert dismissed.ok
    again = await env.service.mark(answer[2].key, ItemStatus.DONE, ALICE, now)
    assert not again.ok
    assert "dismissed by Bob" in again.message
    thanked = await env.service.thank(answer[3].key, ALICE, now)
    assert thanked.ok
    assert thanked.card.state.status is ItemStatus.THANKED
    likes = [w for w in await env.written() if w["type"] == "like"]
    assert len(likes) == 1
    with pytest.raises(ValueError, match="cannot mark"):
        await env.service.mark(answer[4].key, ItemStatus.CLAIMED, ALICE, now)
    digest = await env.service.digest(now)
    closed = {answer[0].key, answer[1].key, answer[2].key, answer[3].key}
    assert closed.isdisjoint(c.key for c in digest.cards)


async def test_french_and_english_items_get_drafts_in_their_language(env: TeamEnv) -> None:
    page = await env.service.inbox(InboxQuery(page_size=200), env.clock.now())
    answer = [c for c in page.cards if c.section is Section.ANSWER and c.item.text]
    by_lang = {c.item.language: c for c in answer if c.item.language in {"fr", "en"}}
    assert set(by_lang) == {"fr", "en"}, "launch-day has French and English comments"
    for lang, card in by_lang.items():
        drafts = await env.service.drafts(card.key, 3)
        assert len(drafts) == 3
        assert len(set(drafts)) == 3
        assert all(env.service.measure(card.key[0], d) <= 300 for d in drafts)
        joined = " ".join(drafts).lower()
        marker = (
            ("merci", "bonjour", "vous", "nous")
            if lang == "fr"
            else ("thanks", "thank", "we", "you")
        )
        assert any(m in joined for m in marker), (lang, drafts)


async def test_resolve_urls_and_ids(env: TeamEnv) -> None:
    card = await _open_answer(env)
    rkey = card.item.external_id.rsplit("/", 1)[1]
    url = f"https://bsky.app/profile/{card.item.author.handle}/post/{rkey}"
    assert await env.service.resolve(url) == card.key
    assert await env.service.resolve(card.item.external_id) == card.key
    # Only ids too long for a custom id are ever referred to by a hash: store one and find it.
    long_id = card.item.external_id + "x" * 90
    ref = custom_id("reply", Platform.BLUESKY, long_id).rsplit(":", 1)[1]
    assert ref == hash_ref(long_id)
    async with env.service.db.unit_of_work() as uow:
        await uow.ingest([replace(card.item, external_id=long_id)], None)
        await uow.commit()
    assert await env.service.resolve(ref) == (Platform.BLUESKY, long_id)
    assert await env.service.resolve(hash_ref(long_id + "y")) is None
    assert await env.service.resolve(hash_ref(card.item.external_id)) is None  # never made
    assert await env.service.resolve("https://example.com/nothing") is None
    assert await env.service.resolve("https://x.com/a/status/1") is None


async def test_digest_period_is_claimed_once(env: TeamEnv) -> None:
    now = env.clock.now()
    assert await env.service.claim_digest("2026-03-10", "discord:1", now)
    assert not await env.service.claim_digest("2026-03-10", "discord:1", now)
    await env.service.digest_posted("2026-03-10", "discord:1", ["1", "2"], now)
    page = await env.service.digest(now)
    assert page.period_key == "2026-03-10"
    assert page.section_totals[Section.ANSWER] >= len(page.section(Section.ANSWER))
    assert {f.label for f in page.figures} >= {"Interactions", "Still to answer"}
    kinds = {c.item.known_kind for c in page.section(Section.THANK)}
    assert kinds <= {InteractionKind.REPOST, InteractionKind.QUOTE, InteractionKind.FOLLOW}
