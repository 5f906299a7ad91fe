"""Faults with ``after``: the write lands, the answer is lost; search finds the brand's reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer

BRAND_ID = "1456789012345678901"


async def _json(http: aiohttp.ClientSession, method: str, url: str, **kw: Any) -> Any:
    async with http.request(method, url, **kw) as response:
        assert response.status < 300, await response.text()
        return await response.json()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"drop": True}, aiohttp.ServerDisconnectedError),
        ({"malformed": True}, ValueError),
        ({"status": 503}, None),
    ],
)
async def test_after_processes_then_garbles_the_answer(fault: dict[str, Any], error: Any) -> None:
    clock = ManualClock(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        clock.advance(timedelta(hours=3))
        async with aiohttp.ClientSession() as http:
            token = await _json(
                http,
                "POST",
                f"{sb.url}/_sandbox/x/token",
                json={"scope": "tweet.read tweet.write users.read"},
            )
            auth = {"Authorization": f"Bearer {token['access_token']}"}
            state = await _json(http, "GET", f"{sb.url}/_sandbox/state?log=0")
            parent = next(g for g in state["generated"]["x"] if g["kind"] == "mention")["id"]
            await _json(
                http,
                "POST",
                f"{sb.url}/_sandbox/faults",
                json={"endpoint": "POST /2/tweets", "after": True, **fault},
            )
            body = {"text": "Merci !", "reply": {"in_reply_to_tweet_id": parent}}
            if error is None:
                async with http.post(f"{sb.url}/2/tweets", json=body, headers=auth) as r:
                    assert r.status == fault["status"]
            else:
                with pytest.raises(error):
                    async with http.post(f"{sb.url}/2/tweets", json=body, headers=auth) as r:
                        await r.json()
            state = await _json(http, "GET", f"{sb.url}/_sandbox/state?log=0")
            (post,) = [w for w in state["written"] if w["type"] == "post"]
            assert post["reply_parent"] == parent
            found = await _json(
                http,
                "GET",
                f"{sb.url}/2/tweets/search/recent",
                params={
                    "query": f"conversation_id:{post['reply_root']} from:{BRAND_ID}",
                    "tweet.fields": "referenced_tweets",
                },
                headers=auth,
            )
            ids = [p["id"] for p in found["data"]]
            assert post["id"] in ids
            by_reply = await _json(
                http,
                "GET",
                f"{sb.url}/2/tweets/search/recent",
                params={"query": f"in_reply_to_tweet_id:{parent} from:PlumeNotes"},
                headers=auth,
            )
            assert [p["id"] for p in by_reply["data"]] == [post["id"]]
