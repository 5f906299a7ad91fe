"""What each X API call would cost at X's pay-per-use prices, and the credit balance.

Prices (``/work/shared/API-NOTES.md`` B4, rate card snapshot 2026-09-11):

* ``GET /2/users/:id/mentions`` for the authenticated owner: each post in ``data`` is an
  *owned read* at $0.001; each user in ``includes.users`` is a *User: Read* at $0.010 (the rate
  card says user reads include expansions); each post in ``includes.tweets`` is a *Posts: Read*
  at $0.005.
* ``GET /2/tweets`` and ``GET /2/tweets/search/recent``: $0.005 per post, $0.010 per user.
* ``GET /2/users/me``: the owner reading itself, an owned read at $0.001.
* ``POST /2/tweets``: $0.015; a reply to a post that mentioned or quoted the account
  ("summoned") $0.010; any post with a URL $0.200 (the URL price wins).
* Like / repost: $0.015. Unlike / undo repost: $0.010.
* ``GET /2/usage/tweets`` and ``POST /2/oauth2/token``: free. Rejected requests are free.

Reads are deduplicated per UTC day: the same resource (post or user id) read twice on one UTC
day is billed once, at the price of the first read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

__all__ = ["PRICES", "CostLedger", "LedgerEntry"]

#: Price per unit in USD, keyed by the ledger item name.
PRICES: dict[str, Decimal] = {
    "owned_read": Decimal("0.001"),
    "post_read": Decimal("0.005"),
    "user_read": Decimal("0.010"),
    "post_create": Decimal("0.015"),
    "summoned_reply": Decimal("0.010"),
    "url_post": Decimal("0.200"),
    "interaction_create": Decimal("0.015"),
    "interaction_delete": Decimal("0.010"),
}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One billed call: which endpoint, which price item, how many units, what it cost."""

    at: datetime
    endpoint: str
    item: str
    units: int
    cost_usd: Decimal

    def as_json(self) -> dict[str, object]:
        """Return the entry as a JSON-compatible dict."""
        return {
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "endpoint": self.endpoint,
            "item": self.item,
            "units": self.units,
            "unit_price_usd": float(PRICES[self.item]),
            "cost_usd": float(self.cost_usd),
        }


@dataclass(slots=True)
class CostLedger:
    """Itemised costs, per-UTC-day read dedup and an optional credit balance.

    Args:
        credits_usd: Credits bought; ``None`` means unlimited (never 402).
    """

    credits_usd: Decimal | None = None
    entries: list[LedgerEntry] = field(default_factory=list)
    _seen: set[tuple[date, str, str]] = field(default_factory=set)

    @property
    def total_usd(self) -> Decimal:
        """Everything billed so far."""
        return sum((e.cost_usd for e in self.entries), Decimal(0))

    @property
    def balance_usd(self) -> Decimal | None:
        """Credits left (may go negative on the call that spends the last cent)."""
        if self.credits_usd is None:
            return None
        return self.credits_usd - self.total_usd

    @property
    def depleted(self) -> bool:
        """Whether X would now refuse billable requests (zero or negative balance)."""
        balance = self.balance_usd
        return balance is not None and balance <= 0

    def top_up(self, amount_usd: Decimal) -> None:
        """Add credits (starting a budget at ``amount_usd`` when there was none)."""
        self.credits_usd = (self.credits_usd or Decimal(0)) + amount_usd

    def charge(self, at: datetime, endpoint: str, item: str, units: int = 1) -> LedgerEntry | None:
        """Bill ``units`` of ``item``; zero units bill nothing and return ``None``."""
        if units <= 0:
            return None
        entry = LedgerEntry(at, endpoint, item, units, PRICES[item] * units)
        self.entries.append(entry)
        return entry

    def charge_reads(
        self, at: datetime, endpoint: str, item: str, resource: str, ids: list[str]
    ) -> LedgerEntry | None:
        """Bill the reads of ``ids`` not yet read on ``at``'s UTC day.

        ``resource`` is the kind of the ids (``post`` or ``user``), so the two never collide.
        """
        day = at.date()
        fresh = [i for i in dict.fromkeys(ids) if (day, resource, i) not in self._seen]
        self._seen.update((day, resource, i) for i in fresh)
        return self.charge(at, endpoint, item, len(fresh))

    def as_json(self) -> dict[str, object]:
        """Return totals and every entry, JSON-compatible."""
        balance = self.balance_usd
        return {
            "total_usd": float(self.total_usd),
            "credits_usd": None if self.credits_usd is None else float(self.credits_usd),
            "balance_usd": None if balance is None else float(balance),
            "depleted": self.depleted,
            "entries": [e.as_json() for e in self.entries],
        }
