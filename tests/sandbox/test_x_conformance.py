"""Every X response of a realistic session validates against X's own OpenAPI spec.

The schema for a response is looked up in ``../shared/specs/x-openapi.json`` itself: the
operation of the route (method + path template), then its response for the status (or
``default``) and content type, then validated with ``openapi-schema-validator`` (OAS 3.0,
formats checked, ``$ref``s resolved through a ``referencing`` registry holding the whole spec).

Two known gaps between X's live behaviour and its spec are handled explicitly, not skipped:

* The spec (v2.167) renamed fields the documented API (docs.x.com, v2.159) still uses and the
  sandbox serves: ``referenced_tweets`` -> ``referenced_posts``, ``includes.tweets`` ->
  ``includes.posts``, ``edit_history_tweet_ids`` -> ``edit_history_post_ids``,
  ``retweet_count`` -> ``repost_count``, user ``tweet_count`` -> ``post_count``. Bodies are
  renamed 1:1 before validation so those fields are checked (a plain pass-through would leave
  them unchecked because the spec allows extra properties).
* Bodies X sends outside the spec's ``Problem`` union (401/403 ``about:blank`` problems, 402
  ``CreditsDepleted``, 403 ``unsupported-authentication``) are checked as RFC 7807 problems, and
  the 429 ``{"errors": [...]}`` items against the spec's ``Error`` schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds
from sandbox.x import _model

SPEC = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs" / "x-openapi.json"
APP = {"Authorization": f"Bearer {creds.X_BEARER_TOKEN}"}
_RENAMES = {
    "referenced_tweets": "referenced_posts",
    "edit_history_tweet_ids": "edit_history_post_ids",
    "retweet_count": "repost_count",
    "tweet_count": "post_count",
}
_RFC7807 = {
    "type": "object",
    "required": ["type", "title"],
    "properties": {
        "type": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "detail": {"type": "string"},
        "status": {"type": "integer"},
    },
}


@dataclass(frozen=True)
class Exchange:
    method: str
    template: str
    status: int
    content_type: str
    body: Any


class XSpec:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.registry: Registry[Any] = Registry().with_resource(
            "urn:x-openapi", Resource(contents=spec, specification=DRAFT4)
        )

    def validator(self, schema: dict[str, Any]) -> OAS30Validator:
        return OAS30Validator(schema, registry=self.registry, format_checker=oas30_format_checker)

    def errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        return [
            f"{list(e.absolute_path)}: {e.message}"
            for e in self.validator(schema).iter_errors(instance)
        ]

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"urn:x-openapi#/components/schemas/{name}"}

    def response_schema(self, ex: Exchange) -> dict[str, Any]:
        operation = self.spec["paths"][ex.template][ex.method.lower()]
        responses = operation["responses"]
        response = responses.get(str(ex.status)) or responses["default"]
        schema = response["content"][ex.content_type]["schema"]
        return {"$ref": "urn:x-openapi" + schema["$ref"]}

    def check(self, ex: Exchange) -> list[str]:
        """Validation errors of one exchange (empty when it conforms)."""
        if ex.status == 429:
            items = ex.body.get("errors", []) if isinstance(ex.body, dict) else []
            errs = [] if items else ["429 body has no errors[]"]
            return errs + [m for item in items for m in self.errors(self.ref("Error"), item)]
        if ex.status >= 400 and ex.content_type == "application/problem+json":
            known = self.spec["components"]["schemas"]["Problem"]["discriminator"]["mapping"]
            if ex.body.get("type") not in known:
                return self.errors(_RFC7807, ex.body)
        return self.errors(self.response_schema(ex), to_spec_names(ex.body))


def to_spec_names(value: Any) -> Any:
    """Rename documented v2 field names to the v2.167 spec's names, recursively."""
    if isinstance(value, list):
        return [to_spec_names(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {_RENAMES.get(k, k): to_spec_names(v) for k, v in value.items()}
    if isinstance(out.get("includes"), dict) and "tweets" in out["includes"]:
        out["includes"]["posts"] = out["includes"].pop("tweets")
    return out


@pytest.fixture(scope="module")
def xspec() -> XSpec:
    if not SPEC.is_file():
        pytest.skip(f"X OpenAPI spec not found at {SPEC} (../shared is absent)")
    return XSpec(json.loads(SPEC.read_text()))


class Recorder:
    """Sends requests and keeps (route template, status, content type, body) of each answer."""

    def __init__(self, http: aiohttp.ClientSession, sb: SandboxServer) -> None:
        self.http, self.sb = http, sb
        self.exchanges: list[Exchange] = []

    async def call(
        self, method: str, template: str, path: str, headers: dict[str, str], **kw: Any
    ) -> Any:
        async with self.http.request(
            method, f"{self.sb.x_api_base}{path}", headers=headers, **kw
        ) as resp:
            body = await resp.json(content_type=None)
            ctype = resp.headers["Content-Type"]
            self.exchanges.append(Exchange(method, template, resp.status, ctype, body))
            return body

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self.exchanges)


async def _session(http: aiohttp.ClientSession, sb: SandboxServer, clock: ManualClock) -> Recorder:
    """A realistic bot session: identify, poll and page mentions, hydrate, reply, like, fail."""
    rec = Recorder(http, sb)
    me = sb.scenario.brand.x_id
    fields = {
        "expansions": "author_id,referenced_tweets.id,in_reply_to_user_id",
        "user.fields": "public_metrics,created_at,description,verified,protected",
        "tweet.fields": "lang,conversation_id,created_at,referenced_tweets,in_reply_to_user_id,"
        "entities,author_id,public_metrics,possibly_sensitive,reply_settings",
    }
    mentions = f"/2/users/{me}/mentions"
    tmpl = "/2/users/{id}/mentions"
    empty = await rec.call("GET", tmpl, mentions, APP, params=fields)  # nothing yet
    assert "data" not in empty
    clock.advance(timedelta(hours=3))
    async with http.post(f"{sb.url}/_sandbox/x/token") as resp:
        user = {"Authorization": f"Bearer {(await resp.json())['access_token']}"}
    await rec.call(
        "GET",
        "/2/users/me",
        "/2/users/me",
        user,
        params={"user.fields": "public_metrics,created_at,description,verified"},
    )
    page = await rec.call("GET", tmpl, mentions, APP, params={**fields, "max_results": "20"})
    await rec.call(
        "GET",
        tmpl,
        mentions,
        APP,
        params={**fields, "pagination_token": page["meta"]["next_token"]},
    )
    await rec.call("GET", tmpl, mentions, APP, params={"since_id": page["meta"]["newest_id"]})
    ids = ",".join(p["id"] for p in page["data"][:5]) + ",1"
    await rec.call("GET", "/2/tweets", "/2/tweets", APP, params={**fields, "ids": ids})
    target = page["data"][0]["id"]
    await rec.call("GET", "/2/tweets/{id}", f"/2/tweets/{target}", APP, params=fields)
    await rec.call("GET", "/2/tweets/{id}", "/2/tweets/1", APP)
    await rec.call(
        "GET",
        "/2/tweets/search/recent",
        "/2/tweets/search/recent",
        APP,
        params={**fields, "query": "notes OR Plume", "max_results": "10"},
    )
    created = await rec.call(
        "POST",
        "/2/tweets",
        "/2/tweets",
        user,
        json={"text": "Merci 🙏", "reply": {"in_reply_to_tweet_id": target}},
    )
    assert "data" in created, created
    await rec.call("DELETE", "/2/tweets/{id}", f"/2/tweets/{created['data']['id']}", user)
    await rec.call(
        "POST", "/2/users/{id}/likes", f"/2/users/{me}/likes", user, json={"tweet_id": target}
    )
    await rec.call(
        "DELETE", "/2/users/{id}/likes/{tweet_id}", f"/2/users/{me}/likes/{target}", user
    )
    await rec.call(
        "POST", "/2/users/{id}/retweets", f"/2/users/{me}/retweets", user, json={"tweet_id": target}
    )
    await rec.call(
        "DELETE",
        "/2/users/{id}/retweets/{source_tweet_id}",
        f"/2/users/{me}/retweets/{target}",
        user,
    )
    await rec.call("GET", "/2/usage/tweets", "/2/usage/tweets", APP)
    # Failures a bot meets.
    await rec.call("GET", tmpl, mentions, APP, params={"max_results": "500"})
    await rec.call("GET", tmpl, mentions, {"Authorization": "Bearer expired"})
    await rec.call("POST", "/2/tweets", "/2/tweets", APP, json={"text": "nope"})
    await rec.call("POST", "/2/tweets", "/2/tweets", user, json={"text": "x" * 300})
    corpus = next(
        e for e in sb.world.delivered() if e.platform.value == "x" and e.intent == "topic"
    )
    await rec.call(
        "POST",
        "/2/tweets",
        "/2/tweets",
        user,
        json={"text": "hi", "reply": {"in_reply_to_tweet_id": sb.world.x_id(corpus)}},
    )
    await rec.call(
        "POST", "/2/users/{id}/likes", "/2/users/42/likes", user, json={"tweet_id": target}
    )
    async with http.post(
        f"{sb.url}/_sandbox/x/limits", json={"endpoint": "GET /2/tweets/search/recent", "app": 0}
    ):
        pass
    await rec.call(
        "GET", "/2/tweets/search/recent", "/2/tweets/search/recent", APP, params={"query": "Plume"}
    )
    async with http.post(f"{sb.url}/_sandbox/x/credits", json={"set_usd": 0}):
        pass
    await rec.call("GET", tmpl, mentions, APP)
    return rec


async def test_every_response_of_a_session_conforms(
    xspec: XSpec, sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    rec = await _session(http, sandbox, clock)
    statuses = {ex.status for ex in rec}
    assert statuses >= {200, 201, 400, 401, 402, 403, 429}
    failures = {f"{ex.method} {ex.template} -> {ex.status}": xspec.check(ex) for ex in rec}
    assert {k: v for k, v in failures.items() if v} == {}
    # The renamed fields really were present (so the renaming validated something).
    bodies = json.dumps([ex.body for ex in rec])
    for documented in (
        "referenced_tweets",
        "edit_history_tweet_ids",
        "retweet_count",
        "tweet_count",
    ):
        assert documented in bodies


@pytest.mark.parametrize(
    ("where", "breakage"),
    [
        ("data", lambda b: b["data"][0].__setitem__("id", 123)),
        ("data", lambda b: b["data"][0].__setitem__("created_at", "yesterday")),
        ("data", lambda b: b["data"][0]["referenced_tweets"][0].__setitem__("type", "reply")),
        ("includes", lambda b: b["includes"]["users"][0]["public_metrics"].pop("followers_count")),
        ("meta", lambda b: b["meta"].__setitem__("result_count", "20")),
        ("errors", lambda b: b.__setitem__("errors", [{"title": "x"}])),
    ],
)
async def test_broken_output_fails_validation(
    xspec: XSpec,
    sandbox: SandboxServer,
    clock: ManualClock,
    http: aiohttp.ClientSession,
    where: str,
    breakage: Any,
) -> None:
    rec = await _session(http, sandbox, clock)
    ex = next(
        e
        for e in rec
        if e.template == "/2/users/{id}/mentions"
        and e.status == 200
        and "data" in e.body
        and any("referenced_tweets" in p for p in e.body["data"][:1])
    )
    assert xspec.check(ex) == []
    body = json.loads(json.dumps(ex.body))
    breakage(body)
    assert xspec.check(Exchange(ex.method, ex.template, ex.status, ex.content_type, body)), where


async def test_a_sandbox_rendering_bug_is_caught(
    xspec: XSpec,
    sandbox: SandboxServer,
    clock: ManualClock,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = _model.XUser.render

    def drops_a_metric(self: _model.XUser, fields: set[str]) -> dict[str, Any]:
        out = original(self, fields)
        out.get("public_metrics", {}).pop("listed_count", None)
        return out

    monkeypatch.setattr(_model.XUser, "render", drops_a_metric)
    rec = await _session(http, sandbox, clock)
    assert any(xspec.check(ex) for ex in rec)


def test_problem_bodies_outside_the_union_are_still_checked(xspec: XSpec) -> None:
    bad = Exchange("GET", "/2/users/me", 401, "application/problem+json", {"detail": "no type"})
    assert xspec.check(bad)
    bad_429 = Exchange("GET", "/2/users/me", 429, "application/json", {"errors": [{"code": "88"}]})
    assert xspec.check(bad_429)
