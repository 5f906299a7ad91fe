"""Estimated cost of every X API call at configurable pay-per-use prices.

Reads are billed per resource returned, writes per request (API-NOTES §B4). The estimate of a
read is computed from what the response actually held; the worst case of a read (for the
budget guard) from its ``max_results``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from engagement.ports import WriteKind


@dataclass(frozen=True, slots=True)
class XPrices:
    """USD prices of the X API (defaults: X's published pay-per-use rates, Sept 2026).

    Attributes:
        owned_read: Per post of an owned read (your own mentions, as the app owner).
        post_read: Per post of any other read (includes expanded posts).
        user_read: Per user of any other read (includes expanded users).
        post_create: Per post created.
        summoned_reply: Per reply to a post that mentioned or quoted you.
        url_post: Per post containing a URL.
        interaction: Per like, repost or follow.
        interaction_delete: Per undo of a like, repost or follow.
        owned_mentions: Whether the posts of the mentions timeline are owned reads (the brand
            account owns the developer app). Expanded users and posts are billed as user and
            post reads either way (the rate card says user reads include expansions).
    """

    owned_read: float = 0.001
    post_read: float = 0.005
    user_read: float = 0.010
    post_create: float = 0.015
    summoned_reply: float = 0.010
    url_post: float = 0.200
    interaction: float = 0.015
    interaction_delete: float = 0.010
    owned_mentions: bool = True

    def mentions_cost(self, *, posts: int, included_posts: int, users: int) -> float:
        """Cost of one mentions page that returned these resources."""
        post_price = self.owned_read if self.owned_mentions else self.post_read
        return posts * post_price + included_posts * self.post_read + users * self.user_read

    def mentions_worst_per_item(self) -> float:
        """Most one requested item can cost (a post, its author and two referenced posts)."""
        return self.mentions_cost(posts=1, included_posts=2, users=1)

    def reply_cost(self, *, summoned: bool, has_url: bool) -> float:
        """Cost of posting a reply."""
        if has_url:
            return self.url_post
        return self.summoned_reply if summoned else self.post_create

    def action_cost(self, kind: WriteKind) -> float:
        """Cost of a like, repost or follow, or of undoing one (or deleting a reply)."""
        if kind in {
            WriteKind.UNLIKE,
            WriteKind.UNREPOST,
            WriteKind.UNFOLLOW,
            WriteKind.DELETE_REPLY,
        }:
            return self.interaction_delete
        if kind is WriteKind.REPLY:
            return self.summoned_reply
        return self.interaction


@dataclass(slots=True)
class DailyReads:
    """Resources already read on the current UTC day: X bills a resource once per day.

    Kept in memory: after a restart the first reads are counted again, so the estimate can
    only err on the high side.
    """

    _day: date | None = None
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def fresh(self, now: datetime, resource: str, ids: Iterable[str]) -> int:
        """Count the ``resource`` ids (``post``/``user``) not read yet today, and mark them."""
        day = now.astimezone(UTC).date()
        if day != self._day:
            self._day, self._seen = day, set()
        new = [(resource, i) for i in dict.fromkeys(ids) if (resource, i) not in self._seen]
        self._seen.update(new)
        return len(new)
