"""Scenario realism and determinism, and traffic delivery through a running sandbox."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import aiohttp

from engagement.models import InteractionKind, Platform
from sandbox import ManualClock, SandboxServer, build_scenario
from sandbox.scenarios import POST

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def test_launch_day_has_the_promised_mix() -> None:
    scenario = build_scenario("launch-day", 7)
    interactions = [e for e in scenario.events if e.is_interaction]
    kinds = Counter((e.platform, e.kind) for e in interactions)
    for kind in InteractionKind:
        assert kinds[(Platform.BLUESKY, kind.value)] > 10, kind
    assert {k for p, k in kinds if p is Platform.X} == {"mention", "reply", "quote"}
    assert Counter(e.lang for e in interactions if e.text)["fr"] > 50
    assert Counter(e.lang for e in interactions if e.text)["en"] > 50
    intents = Counter(e.intent for e in interactions)
    for intent in ("question", "complaint", "praise", "request", "spam"):
        assert intents[intent] >= 10, intent
    flavors = Counter(e.author.flavor for e in interactions)
    assert flavors["spam"] > 0
    assert flavors["bot"] > 0
    # Heavy-tailed audiences: the biggest accounts dwarf the median one.
    followers = sorted(p.followers for p in scenario.personas)
    assert followers[-1] > 100 * statistics.median(followers)
    # Some threads were already answered by the brand, some answered people came back.
    answers = [e for e in scenario.events if e.intent == "answer"]
    assert answers
    assert all(e.author is scenario.brand and e.kind == POST for e in answers)
    assert all(scenario.events[a.parent or 0].kind == "reply" for a in answers)
    assert any(e.parent in {a.seq for a in answers} for e in interactions)
    # A topic corpus for discovery, on both platforms.
    corpus = [e for e in scenario.events if e.intent == "topic"]
    assert {e.platform for e in corpus} == set(Platform)
    assert sum(1 for e in corpus if e.tags) > len(corpus) / 2
    # Traffic arrives over the day in bursts, not all at once.
    hours = Counter(int(e.offset.total_seconds() // 3600) for e in interactions)
    assert hours[0] > 3 * hours[12] > 0
    assert max(hours) == 23


def test_scenarios_are_deterministic_and_distinct() -> None:
    assert build_scenario("quiet-day", 3) == build_scenario("quiet-day", 3)
    quiet, launch = build_scenario("quiet-day", 7), build_scenario("launch-day", 7)
    assert len(quiet.events) * 4 < len(launch.events)
    outage = build_scenario("outage", 7)
    assert outage.faults
    assert not launch.faults
    assert {f.endpoint for f in outage.faults} >= {
        "app.bsky.notification.listNotifications",
        "GET /2/users/:id/mentions",
    }


async def test_same_seed_same_ids_through_the_server() -> None:
    async def generated(seed: int) -> dict[str, list[dict[str, object]]]:
        clock = ManualClock(START)
        async with SandboxServer(scenario="launch-day", seed=seed, clock=clock) as sb:
            clock.advance(timedelta(hours=3))
            async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state") as r:
                state = await r.json()
        result: dict[str, list[dict[str, object]]] = state["generated"]
        return result

    first, again, other = await generated(7), await generated(7), await generated(8)
    assert first == again
    assert first["bluesky"]
    assert first["x"]
    assert first != other
    ids = [g["id"] for g in first["bluesky"]]
    assert len(ids) == len(set(ids))
    assert all(str(i).startswith("at://did:plc:") for i in ids)
    kinds = {g["kind"] for g in first["bluesky"]}
    assert kinds == {k.value for k in InteractionKind}


async def test_outage_faults_arm_as_time_passes(http: aiohttp.ClientSession) -> None:
    clock = ManualClock(START)
    async with SandboxServer(scenario="outage", seed=7, clock=clock) as sb:
        url = f"{sb.url}/xrpc/app.bsky.notification.listNotifications"
        async with http.get(url) as resp:
            assert resp.status == 401  # no token: the real handler, no fault yet
        clock.advance(timedelta(minutes=31))
        statuses = []
        for _ in range(4):
            async with http.get(url) as resp:
                statuses.append(resp.status)
        assert statuses == [503, 503, 503, 401]
