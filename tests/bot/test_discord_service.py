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
from cogs.render import summary_embed
from engagement.models import ActionKind, ActionStatus, InteractionKind, Platform
from engagement.ports import Actor
from sandbox import ManualClock, SandboxServer
from storage.repositories import InteractionRepository

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
    created = card.item.created_at
    ref = custom_id("reply", Platform.BLUESKY, long_id, created).rsplit(":", 1)[1]
    assert ref == hash_ref(long_id, created)
    assert ref.endswith(f"@{int(created.timestamp())}")
    async with env.service.db.unit_of_work() as uow:
        await uow.ingest([replace(card.item, external_id=long_id)], None)
        await uow.commit()
    assert await env.service.resolve(ref) == (Platform.BLUESKY, long_id)
    # The creation second is where the item is looked up (an index), never a scan of all ids:
    # the right hash with another second finds nothing.
    elsewhere = hash_ref(long_id, created - timedelta(days=3))
    assert await env.service.resolve(elsewhere) is None
    assert await env.service.resolve(hash_ref(long_id + "y", created)) is None
    assert await env.service.resolve(f"{hash_ref(long_id)}@soon") is None
    # Cards posted before references carried the second still resolve.
    assert await env.service.resolve(hash_ref(long_id)) == (Platform.BLUESKY, long_id)
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
    # Each thank card is on the person's newest thank-worthy interaction (as the engine
    # picks it): a repost, quote, follow or like, or a mention or reply that praises.
    kinds = {c.item.known_kind for c in page.section(Section.THANK)}
    assert kinds
    assert kinds <= set(InteractionKind)


async def _cards_of(env: TeamEnv, kind: str):
    page = await env.service.inbox(
        InboxQuery(platform=Platform.BLUESKY, kind=kind, page_size=200), env.clock.now()
    )
    assert page.cards, f"launch-day has Bluesky {kind}s"
    return page.cards


async def _thanked_record(env: TeamEnv, key) -> tuple[list[ActionKind], str | None]:
    async with env.service.db.unit_of_work() as uow:
        actions = await uow.actions.for_interaction(*key)
    confirmed = [a for a in actions if a.status is ActionStatus.CONFIRMED]
    thanked = [a for a in confirmed if a.kind is ActionKind.THANKED]
    assert [(a.actor_id, a.actor_name) for a in thanked] == [(ALICE.id, ALICE.name)]
    return [a.kind for a in confirmed], thanked[0].text


async def test_thanking_a_follow_follows_back_once_per_person(env: TeamEnv) -> None:
    now = env.clock.now()
    follow = (await _cards_of(env, "follow"))[0]
    outcome = await env.service.thank(follow.key, ALICE, now)
    assert outcome.ok
    assert outcome.message == f"Followed @{follow.item.author.handle} back on bluesky."
    assert outcome.drafts == ()
    assert (outcome.card.state.status, outcome.card.state.note) == (
        ItemStatus.THANKED,
        "followed back",
    )
    assert outcome.card.state.text is None  # nothing was posted as text
    follows = [w for w in await env.written() if w["type"] == "follow"]
    assert [w["subject"] for w in follows] == [follow.item.author.platform_id]
    kinds, how = await _thanked_record(env, follow.key)
    assert sorted(kinds) == sorted([ActionKind.FOLLOWED, ActionKind.THANKED])
    assert how == "followed back"
    # The same person follows again (unfollowed, came back): no second follow is made.
    again = replace(follow.item, external_id=follow.item.external_id + "2", created_at=now)
    async with env.service.db.unit_of_work() as uow:
        await uow.ingest([again], None)
        await uow.commit()
    second = await env.service.thank(again.key, ALICE, now)
    assert second.ok
    assert second.message == f"Already following @{follow.item.author.handle}: not followed again."
    assert second.card.state.note == "already followed back"
    assert [w for w in await env.written() if w["type"] == "follow"] == follows


@pytest.mark.parametrize(("kind", "words"), [("like", ("thank",)), ("repost", ("shar", "repost"))])
async def test_thanking_a_like_or_repost_posts_nothing_and_offers_drafts(
    env: TeamEnv, kind: str, words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = env.clock.now()
    item = (await _cards_of(env, kind))[0]
    written = await env.written()
    reads: list[tuple[Platform, str]] = []
    get = InteractionRepository.get

    async def counted(self: InteractionRepository, platform: Platform, external_id: str):
        reads.append((platform, external_id))
        return await get(self, platform, external_id)

    monkeypatch.setattr(InteractionRepository, "get", counted)
    outcome = await env.service.thank(item.key, ALICE, now)
    assert reads == [item.key]  # the drafts are made from the item read to thank it
    assert outcome.ok
    assert "Nothing was posted" in outcome.message
    assert f"a {kind} cannot be answered" in outcome.message
    assert len(outcome.drafts) == 3
    assert len(set(outcome.drafts)) == 3
    assert all(env.service.measure(Platform.BLUESKY, d) <= 300 for d in outcome.drafts)
    joined = " ".join(outcome.drafts).lower()
    assert any(w in joined for w in words), outcome.drafts
    assert await env.written() == written  # not a like, a repost, a follow or a post
    assert outcome.card.state.status is ItemStatus.THANKED
    assert outcome.card.state.note == "nothing posted"
    kinds, how = await _thanked_record(env, item.key)
    assert kinds == [ActionKind.THANKED]
    assert how == "nothing posted"


@pytest.mark.parametrize(
    ("kind", "write", "how"), [("mention", "like", "liked"), ("quote", "repost", "reposted")]
)
async def test_thanking_a_comment_likes_it_and_a_quote_reposts_it(
    env: TeamEnv, kind: str, write: str, how: str
) -> None:
    item = (await _cards_of(env, kind))[0]
    outcome = await env.service.thank(item.key, ALICE, env.clock.now())
    assert outcome.ok
    assert outcome.message == f"Thanked with a {write} on bluesky."
    assert outcome.card.state.note == how
    made = [w for w in await env.written() if w["type"] == write]
    assert [w["subject"] for w in made] == [item.item.external_id]
    kinds, recorded = await _thanked_record(env, item.key)
    assert recorded == how
    assert (ActionKind.LIKED if write == "like" else ActionKind.REPOSTED) in kinds


async def test_the_digest_summary_shows_the_x_budget(tmp_path: Path) -> None:
    clock = ManualClock(START)
    sb = SandboxServer(scenario="launch-day", seed=7, clock=clock)
    async with sb, team_env(sb, clock, tmp_path, x_monthly_budget_usd=2.0) as team:
        clock.advance(timedelta(hours=3))
        assert await team.poll(Platform.X)
        now = clock.now()
        async with team.service.db.unit_of_work() as uow:
            spent = await uow.api_usage.total_since(Platform.X, datetime(2026, 3, 1, tzinfo=UTC))
        assert 0 < spent < 1.6, "some X reads, far from the cap"
        page = await team.service.digest(now)
        assert page.budget == f"${spent:,.2f} of $2.00 this month ({spent / 2:.0%}) · ok"
        summary = summary_embed(page)
        fields = {f.name: f.value for f in summary.fields}
        assert fields["X budget"] == page.budget
