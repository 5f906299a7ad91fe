from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer, ScaledClock, build_scenario

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def test_manual_clock_moves_forward_only(clock: ManualClock) -> None:
    start = clock.now()
    clock.advance(timedelta(minutes=5))
    clock.advance(30)
    assert clock.now() - start == timedelta(minutes=5, seconds=30)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))


def test_scaled_clock_runs_at_speed() -> None:
    ticks = iter([100.0, 102.0, 102.0])
    scaled = ScaledClock(speed=720.0, monotonic=lambda: next(ticks))
    first = scaled.now()
    scaled.advance(timedelta(hours=1))
    assert scaled.now() - first == timedelta(hours=1)
    with pytest.raises(ValueError, match="speed"):
        ScaledClock(speed=0)


def test_same_seed_same_traffic_other_seed_other_traffic() -> None:
    a, b = build_scenario("launch-day", 7), build_scenario("launch-day", 7)
    assert a == b
    other = build_scenario("launch-day", 8)
    assert [e.text for e in other.events] != [e.text for e in a.events]
    with pytest.raises(KeyError, match="unknown scenario"):
        build_scenario("nope", 1)


async def test_traffic_arrives_as_the_clock_moves(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sandbox.url}/_sandbox/state") as resp:
        assert resp.headers["Content-Type"] == "application/json"
        before = await resp.json()
    clock.advance(timedelta(hours=1))
    async with http.get(f"{sandbox.url}/_sandbox/state", params={"log": "0"}) as resp:
        after = await resp.json()
    assert "request_log" not in after
    assert len(after["generated"]["x"]) > len(before["generated"]["x"])
    resp = await http.post(f"{sandbox.url}/_sandbox/advance", json={"seconds": 3600})
    assert (await resp.json())["now"] == "2026-03-10T10:00:00.000Z"
    assert clock.now() - sandbox.world.epoch == timedelta(hours=2)


async def test_faults_status_malformed_delay_and_drop(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    url = f"{sandbox.url}/_sandbox/faults"
    resp = await http.post(url, json={"endpoint": "GET /probe", "count": 2, "status": 503})
    assert (await resp.json()) == {"endpoint": "GET /probe", "queued": 2}
    await http.post(url, json={"endpoint": "GET /probe", "malformed": True})
    for _ in range(2):
        async with http.get(f"{sandbox.url}/probe") as r:
            assert r.status == 503
            assert (await r.json())["status"] == 503
    async with http.get(f"{sandbox.url}/probe") as r:
        assert r.status == 200
        with pytest.raises(ValueError):  # noqa: PT011 - json's error type
            await r.json()
    async with http.get(f"{sandbox.url}/probe") as r:
        assert r.status == 404  # faults used up: the real route table answers again
    # aiohttp retries an idempotent request once after a disconnect: drop twice to see it.
    await http.post(url, json={"endpoint": "GET /probe", "drop": True, "count": 2})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await http.get(f"{sandbox.url}/probe")
    await http.post(url, json={"endpoint": "GET /probe", "delay_s": 1})
    with pytest.raises(asyncio.TimeoutError):
        await http.get(f"{sandbox.url}/probe", timeout=aiohttp.ClientTimeout(total=0.2))
    statuses = [e.status for e in sandbox.world.request_log if e.endpoint == "GET /probe"]
    assert statuses[:6] == [503, 503, 200, 404, 0, 0]
    assert sandbox.world.requests["GET /probe"] >= 5


@pytest.mark.parametrize(
    "body",
    [
        {"count": 1},
        {"endpoint": "x", "count": 0},
        {"endpoint": "x", "status": 200},
        {"endpoint": "x", "delay_s": -1},
        ["not", "an", "object"],
    ],
)
async def test_fault_requests_are_validated(
    sandbox: SandboxServer, http: aiohttp.ClientSession, body: object
) -> None:
    async with http.post(f"{sandbox.url}/_sandbox/faults", json=body) as resp:
        assert resp.status == 400
    assert not sandbox.world.faults


def test_env_points_at_the_server(sandbox: SandboxServer) -> None:
    env = sandbox.env()
    assert env["ENGAGEBOT_BLUESKY_SERVICE"] == sandbox.url
    assert env["ENGAGEBOT_X_API_BASE"] == sandbox.url
    assert env["ENGAGEBOT_LLM_BASE_URL"] == f"{sandbox.url}/v1"
    assert env["ENGAGEBOT_DISCORD_WEBHOOK_URL"].startswith(
        f"{sandbox.url}/discord.com/api/webhooks/"
    )
    assert all(key.startswith("ENGAGEBOT_") and value for key, value in env.items())


async def test_default_clock_has_the_first_hour_already() -> None:
    async with SandboxServer(scenario="quiet-day", seed=1) as sb:
        assert sb.clock.now() - sb.world.epoch >= timedelta(hours=1)
        assert sb.port > 0


def test_ids_are_real_atproto_identifiers() -> None:
    import hashlib

    import libipld
    from atproto_client.models import string_formats as sf
    from atproto_core.cid import CID

    from sandbox._ids import dag_cbor, did_for, record_cid, snowflake, tid

    record = {
        "$type": "app.bsky.feed.post",
        "text": "Plume 2 est là ! 🎉",
        "createdAt": "2026-03-10T08:09:00.000Z",
        "langs": ["fr"],
        "reply": {"root": {"uri": "at://x/y/z", "cid": "bafy"}, "parent": {"uri": "a", "cid": "b"}},
        "n": -300,
        "big": 2**40,
    }
    assert dag_cbor(record) == libipld.encode_dag_cbor(record)
    cid = CID.decode(record_cid(record))
    assert (cid.version, cid.codec, cid.hash.code) == (1, 0x71, 0x12)  # dag-cbor, sha2-256
    assert cid.hash.digest == hashlib.sha256(libipld.encode_dag_cbor(record)).digest()
    assert sf.validate_did.__wrapped__(did_for("x"), None)  # type: ignore[attr-defined]
    assert sf.validate_tid.__wrapped__(tid(START, 5), None)  # type: ignore[attr-defined]
    assert tid(START, 1) < tid(START.replace(minute=1), 0)  # TIDs sort by time
    assert int(snowflake(START, 1)) < int(snowflake(START.replace(minute=1), 0))
    with pytest.raises(TypeError):
        dag_cbor({"float": 1.5})
