"""The mentions watcher: fetches one page at a time, returns records and the next cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engagement.models import InteractionRecord
from watchers.x._budget import MAX_MAX_RESULTS, MIN_MAX_RESULTS
from watchers.x._client import XClient
from watchers.x._cost import DailyReads, XPrices
from watchers.x._cursor import MentionsCursor
from watchers.x._parse import TimelinePage, parse_timeline

MENTIONS_ENDPOINT = "GET /2/users/:id/mentions"
EXPANSIONS = "author_id,referenced_tweets.id"
TWEET_FIELDS = (
    "lang,conversation_id,created_at,referenced_tweets,in_reply_to_user_id,entities,author_id"
)
USER_FIELDS = "public_metrics,created_at,description,verified,profile_image_url,username,name"


@dataclass(frozen=True, slots=True)
class MentionsBatch:
    """One fetched page and where the stream stands once it is stored.

    Attributes:
        records: The interactions of the page.
        cursor: The cursor to store together with ``records`` (same transaction).
        next_token: Token of the next older page, when the sweep goes on.
        page: The parsed page (resource counts, partial errors).
        cost_usd: Estimated cost of the call.
    """

    records: tuple[InteractionRecord, ...]
    cursor: MentionsCursor
    next_token: str | None
    page: TimelinePage
    cost_usd: float


class XMentionsWatcher:
    """Reads ``GET /2/users/:id/mentions`` for one account. Never persists anything.

    Args:
        client: The X client.
        user_id: The brand account's X user id.
        prices: Prices used to estimate each call's cost.
        daily_dedup: Estimate with X's per-UTC-day read deduplication (a resource read twice
            on one day is billed once); ``False`` counts every resource returned.
    """

    def __init__(
        self, client: XClient, user_id: str, prices: XPrices, *, daily_dedup: bool = True
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.prices = prices
        self._reads = DailyReads() if daily_dedup else None

    def worst_cost(self, max_results: int) -> float:
        """Most a page of ``max_results`` can cost."""
        return max_results * self.prices.mentions_worst_per_item()

    async def fetch(
        self,
        cursor: MentionsCursor,
        *,
        now: datetime,
        max_results: int = MAX_MAX_RESULTS,
        pagination_token: str | None = None,
    ) -> MentionsBatch:
        """Fetch the next page from ``cursor``.

        Args:
            cursor: The committed position.
            now: Fetch time (becomes ``indexed_at``).
            max_results: Page size, 5..100.
            pagination_token: ``next_token`` of the previous page of this sweep, when this
                process still has it (otherwise the sweep resumes with ``until_id``).
        """
        size = max(MIN_MAX_RESULTS, min(MAX_MAX_RESULTS, max_results))
        params = {
            "max_results": str(size),
            "expansions": EXPANSIONS,
            "tweet.fields": TWEET_FIELDS,
            "user.fields": USER_FIELDS,
        }
        if cursor.since_id:
            params["since_id"] = cursor.since_id
        if pagination_token:
            params["pagination_token"] = pagination_token
        elif cursor.until_id:
            params["until_id"] = cursor.until_id
        response = await self.client.request(
            "GET", f"/2/users/{self.user_id}/mentions", endpoint=MENTIONS_ENDPOINT, params=params
        )
        page = parse_timeline(response.payload, account_id=self.user_id, now=now)
        cost = self.estimate(page, now)
        return MentionsBatch(page.records, cursor.after(page), page.next_token, page, cost)

    def estimate(self, page: TimelinePage, now: datetime) -> float:
        """Estimated cost of a page read at ``now``."""
        if self._reads is None:
            return self.prices.mentions_cost(
                posts=page.posts, included_posts=page.included_posts, users=page.users
            )
        fresh = self._reads.fresh
        unnamed = page.posts - len(page.post_ids)  # items without an id: billed, to be safe
        return self.prices.mentions_cost(
            posts=fresh(now, "post", page.post_ids) + unnamed,
            included_posts=fresh(now, "post", page.included_ids),
            users=fresh(now, "user", page.user_ids),
        )
