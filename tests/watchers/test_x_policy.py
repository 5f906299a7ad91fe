"""Budget policy, cost estimation, weighted text checks and PKCE (pure parts of the X watcher)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from engagement.ports import WriteKind
from watchers.x import (
    BudgetPolicy,
    BudgetStatus,
    XAuthError,
    XPrices,
    check_text,
    code_from_redirect,
    month_start,
    next_month_start,
    start_authorization,
)

NOW = datetime(2026, 12, 15, 8, 30, tzinfo=UTC)


def test_month_boundaries_are_utc_calendar_months() -> None:
    assert month_start(NOW) == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_month_start(NOW) == datetime(2027, 1, 1, tzinfo=UTC)
    assert next_month_start(datetime(2026, 3, 31, 23, 59, tzinfo=UTC)) == datetime(
        2026, 4, 1, tzinfo=UTC
    )


def test_budget_states() -> None:
    policy = BudgetPolicy(cap_usd=10.0)
    assert policy.state(1.0, NOW).status is BudgetStatus.OK
    assert policy.state(8.5, NOW).status is BudgetStatus.SLOWING
    assert policy.state(10.0, NOW).status is BudgetStatus.REACHED
    # Not even the smallest call fits any more: reached, although under the cap.
    assert policy.state(9.95, NOW, min_call_usd=0.1).status is BudgetStatus.REACHED
    unlimited = BudgetPolicy(cap_usd=None).state(1e6, NOW)
    assert unlimited.status is BudgetStatus.UNLIMITED
    assert unlimited.remaining_usd is None
    assert BudgetPolicy(cap_usd=0.0).state(0.0, NOW).status is BudgetStatus.REACHED


def test_interval_slows_down_towards_the_cap() -> None:
    policy = BudgetPolicy(cap_usd=10.0, slow_from=0.8, max_slowdown=8.0)
    factors = [policy.interval_factor(policy.state(s, NOW)) for s in (0.0, 7.9, 8.0, 9.0, 10.0)]
    assert factors[0] == factors[1] == factors[2] == 1.0
    assert factors[3] == pytest.approx(4.5)
    assert factors[4] == 8.0
    assert policy.interval_factor(BudgetPolicy(None).state(5.0, NOW)) == 1.0


def test_affordable_page_size_never_exceeds_the_cap() -> None:
    policy = BudgetPolicy(cap_usd=1.0)
    per_item = XPrices().mentions_worst_per_item()
    assert per_item == pytest.approx(0.001 + 2 * 0.005 + 0.010)
    assert policy.affordable_max_results(policy.state(0.0, NOW), per_item) == 47
    assert policy.affordable_max_results(policy.state(0.8, NOW), per_item) == 9
    assert policy.affordable_max_results(policy.state(0.9, NOW), per_item) is None
    roomy = BudgetPolicy(cap_usd=100.0)
    assert roomy.affordable_max_results(roomy.state(0.0, NOW), per_item) == 100
    for spent in (0.0, 0.3, 0.77, 0.89):
        size = policy.affordable_max_results(policy.state(spent, NOW), per_item)
        assert size is None or spent + size * per_item <= 1.0 + 1e-9


def test_costs_at_configurable_prices() -> None:
    prices = XPrices()
    assert prices.mentions_cost(posts=10, included_posts=2, users=3) == pytest.approx(
        10 * 0.001 + 2 * 0.005 + 3 * 0.010
    )
    not_owned = XPrices(owned_mentions=False)
    assert not_owned.mentions_cost(posts=10, included_posts=0, users=0) == pytest.approx(0.05)
    assert prices.reply_cost(summoned=True, has_url=False) == 0.010
    assert prices.reply_cost(summoned=False, has_url=False) == 0.015
    assert prices.reply_cost(summoned=True, has_url=True) == 0.200
    assert prices.action_cost(WriteKind.LIKE) == 0.015
    assert prices.action_cost(WriteKind.UNREPOST) == 0.010
    assert XPrices(owned_read=0.002).mentions_cost(posts=1, included_posts=0, users=0) == 0.002


@pytest.mark.parametrize(
    ("text", "weighted", "urls"),
    [
        ("a" * 280, 280, 0),
        ("a" * 281, 281, 0),
        ("日本語" * 50, 300, 0),
        ("voir https://example.com/" + "x" * 90 + " merci", 34, 1),
        ("voir example.fr", 28, 1),
        ("🎉" * 10, 20, 0),
    ],
)
def test_weighted_length_and_urls(text: str, weighted: int, urls: int) -> None:
    check = check_text(text)
    assert check.weighted_length == weighted
    assert len(check.urls) == urls
    assert check.over_by == max(0, weighted - 280)
    assert check.has_url is bool(urls)


def test_pkce_authorize_url_and_redirect() -> None:
    request = start_authorization(
        authorize_url="https://x.com/i/oauth2/authorize",
        client_id="cid",
        redirect_uri="http://127.0.0.1:8765/callback",
    )
    query = parse_qs(urlsplit(request.url).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["tweet.read tweet.write users.read like.write offline.access"]
    assert query["state"] == [request.state]
    digest = hashlib.sha256(request.code_verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]
    assert 43 <= len(request.code_verifier) <= 128
    assert request.code_verifier not in repr(request)
    ok = f"http://127.0.0.1:8765/callback?state={request.state}&code=abc"
    assert code_from_redirect(ok, request.state) == "abc"
    with pytest.raises(XAuthError, match="state"):
        code_from_redirect("http://127.0.0.1:8765/callback?state=evil&code=abc", request.state)
    with pytest.raises(XAuthError, match="access_denied"):
        code_from_redirect("http://h/cb?error=access_denied", request.state)
    with pytest.raises(XAuthError, match="no authorization code"):
        code_from_redirect(f"http://h/cb?state={request.state}", request.state)
