"""Rate limits (429 code 88), credits (402 CreditsDepleted) and the pay-per-use cost ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds
from sandbox.x import CostLedger

APP = {"Authorization": f"Bearer {creds.X_BEARER_TOKEN}"}
T0 = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)


async def _state(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, Any]:
    async with http.get(f"{sb.url}/_sandbox/state", params={"log": "0"}) as resp:
        result: dict[str, Any] = await resp.json()
        return result


async def _control(http: aiohttp.ClientSession, sb: SandboxServer, path: str, body: Any) -> Any:
    async with http.post(f"{sb.url}/_sandbox/x/{path}", json=body) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


def _mentions(sb: SandboxServer) -> str:
    return f"{sb.x_api_base}/2/users/{sb.scenario.brand.x_id}/mentions"


async def test_rate_limit_window_follows_the_sandbox_clock(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    await _control(http, sandbox, "limits", {"endpoint": "GET /2/users/:id/mentions", "app": 3})
    remaining = []
    for _ in range(3):
        async with http.get(_mentions(sandbox), headers=APP) as resp:
            assert resp.status == 200
            remaining.append(resp.headers["x-rate-limit-remaining"])
            reset = int(resp.headers["x-rate-limit-reset"])
    assert remaining == ["2", "1", "0"]
    assert reset > clock.now().timestamp()
    assert reset - clock.now().timestamp() <= 900
    async with http.get(_mentions(sandbox), headers=APP) as resp:
        assert resp.status == 429
        assert resp.headers["x-rate-limit-remaining"] == "0"
        assert "Retry-After" not in resp.headers
        assert await resp.json() == {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
    assert (await _state(http, sandbox))["rate_limited"] == {"GET /2/users/:id/mentions": 1}
    clock.set(datetime.fromtimestamp(reset, UTC))
    async with http.get(_mentions(sandbox), headers=APP) as resp:
        assert resp.status == 200
        assert resp.headers["x-rate-limit-remaining"] == "2"


async def test_user_and_app_tokens_have_separate_buckets(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    await _control(
        http, sandbox, "limits", {"endpoint": "GET /2/users/:id/mentions", "app": 1, "user": 1}
    )
    token = (await _control(http, sandbox, "token", {}))["access_token"]
    user = {"Authorization": f"Bearer {token}"}
    for headers in (APP, user):
        async with http.get(_mentions(sandbox), headers=headers) as resp:
            assert resp.status == 200
    for headers in (APP, user):
        async with http.get(_mentions(sandbox), headers=headers) as resp:
            assert resp.status == 429


async def test_credits_deplete_to_402_and_resume_after_top_up(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    clock.advance(timedelta(hours=2))
    await _control(http, sandbox, "credits", {"set_usd": 0.05})
    async with http.get(
        _mentions(sandbox), headers=APP, params={"max_results": "100", "expansions": "author_id"}
    ) as resp:
        assert resp.status == 200  # the call that spends the last cent still succeeds
    async with http.get(_mentions(sandbox), headers=APP) as resp:
        assert resp.status == 402
        body = await resp.json()
        assert "CreditsDepleted" in body["title"]
        assert "x-rate-limit-limit" in resp.headers
    async with http.get(f"{sandbox.x_api_base}/2/usage/tweets", headers=APP) as resp:
        assert resp.status == 200  # usage is free and never blocked
    ledger = await _control(http, sandbox, "credits", {"add_usd": 10})
    assert ledger["depleted"] is False
    async with http.get(_mentions(sandbox), headers=APP) as resp:
        assert resp.status == 200


async def test_bad_control_bodies_are_refused(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    for path, body in [
        ("credits", {"add_usd": -1}),
        ("credits", {"add_usd": "lots"}),
        ("credits", {}),
        ("limits", {"endpoint": "GET /nope", "app": 1}),
        ("limits", {"endpoint": "POST /2/tweets", "user": -2}),
    ]:
        async with http.post(f"{sandbox.url}/_sandbox/x/{path}", json=body) as resp:
            assert resp.status == 400, (path, body)


async def test_cost_ledger_prices_and_daily_dedup(http: aiohttp.ClientSession) -> None:
    clock = ManualClock(T0)
    async with SandboxServer("launch-day", seed=7, clock=clock, preroll=timedelta(hours=3)) as sb:
        params = {"max_results": "10", "expansions": "author_id,referenced_tweets.id"}
        async with http.get(_mentions(sb), headers=APP, params=params) as resp:
            body = await resp.json()
        posts = len(body["data"])
        users = len(body["includes"]["users"])
        data_ids = {p["id"] for p in body["data"]}
        # A referenced post that is also in data is the same resource: billed once.
        tweets = len({t["id"] for t in body["includes"]["tweets"]} - data_ids)
        expected = Decimal("0.001") * posts + Decimal("0.010") * users + Decimal("0.005") * tweets
        state = await _state(http, sb)
        assert Decimal(str(state["x_cost_usd"])) == expected
        assert state["x"]["total_usd"] == state["x_cost_usd"]
        # Same resources again the same UTC day: free.
        async with http.get(_mentions(sb), headers=APP, params=params) as resp:
            assert resp.status == 200
        assert Decimal(str((await _state(http, sb))["x_cost_usd"])) == expected
        # After midnight UTC they are billed again.
        clock.advance(timedelta(hours=1, minutes=1))
        async with http.get(
            _mentions(sb), headers=APP, params={**params, "until_id": body["meta"]["oldest_id"]}
        ) as resp:
            assert resp.status == 200
        async with http.get(_mentions(sb), headers=APP, params=params) as resp:
            again = await resp.json()
        assert again["data"][-1]["id"] != body["data"][0]["id"]
        day2 = [e for e in (await _state(http, sb))["x"]["entries"] if e["at"] >= "2026-03-11"]
        assert day2
        assert {e["item"] for e in day2} >= {"owned_read", "user_read"}


def test_ledger_write_prices() -> None:
    ledger = CostLedger(credits_usd=Decimal("0.03"))
    at = T0
    for item in (
        "post_create",
        "summoned_reply",
        "url_post",
        "interaction_create",
        "interaction_delete",
    ):
        ledger.charge(at, "POST /2/tweets", item)
    assert ledger.total_usd == Decimal("0.250")
    assert ledger.depleted
    assert ledger.balance_usd == Decimal("-0.220")
    assert ledger.charge(at, "GET", "owned_read", 0) is None
    first = ledger.charge_reads(at, "GET", "owned_read", "post", ["1", "2", "2"])
    assert first is not None
    assert first.units == 2
    assert (
        ledger.charge_reads(at + timedelta(minutes=59), "GET", "post_read", "post", ["1"]) is None
    )
    next_day = ledger.charge_reads(at + timedelta(hours=1), "GET", "post_read", "post", ["1"])
    assert next_day is not None
    assert next_day.cost_usd == Decimal("0.005")
    assert ledger.charge_reads(at, "GET", "user_read", "user", ["1"]) is not None  # other kind


@pytest.mark.parametrize("days", ["0", "91", "x"])
async def test_usage_days_bounds(
    sandbox: SandboxServer, http: aiohttp.ClientSession, days: str
) -> None:
    async with http.get(
        f"{sandbox.x_api_base}/2/usage/tweets", headers=APP, params={"days": days}
    ) as resp:
        assert resp.status == 400


async def test_budget_from_the_world_attribute(http: aiohttp.ClientSession) -> None:
    sb = SandboxServer("quiet-day", seed=7, clock=ManualClock(T0))
    sb.world.x_credits_usd = 0.0  # type: ignore[attr-defined]  # set by the core's option
    async with sb:
        async with http.get(_mentions(sb), headers=APP) as resp:
            assert resp.status == 402
        ledger = await _control(http, sb, "credits", {"set_usd": None})
        assert ledger["credits_usd"] is None
        async with http.get(_mentions(sb), headers=APP) as resp:
            assert resp.status == 200


async def test_revoked_user_tokens_get_401(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    token = (await _control(http, sandbox, "token", {}))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    async with http.get(f"{sandbox.x_api_base}/2/users/me", headers=headers) as resp:
        assert resp.status == 200
    await _control(http, sandbox, "revoke", {})
    async with http.get(f"{sandbox.x_api_base}/2/users/me", headers=headers) as resp:
        assert resp.status == 401
