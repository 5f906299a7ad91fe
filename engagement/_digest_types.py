"""The digest's types and their JSON form: sections, headline figures, the digest itself.

Built by :mod:`engagement.digest`, which exports them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, NamedTuple, TypeVar

from engagement.triage import AnswerEntry, CreatorEntry, Item, ThankEntry, format_wait

__all__ = ["Digest", "Figures", "PeriodCounts", "Section"]

T = TypeVar("T", AnswerEntry, ThankEntry, CreatorEntry)
_EXCERPT = 280


class PeriodCounts(NamedTuple):
    """Interactions per ``(platform, kind)`` in the period and in the one before it."""

    current: Mapping[tuple[str, str], int]
    previous: Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Section(Generic[T]):
    """A capped digest section.

    Attributes:
        entries: The entries shown (at most the cap), best first.
        total: How many there were before the cap.
    """

    entries: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many were left out ("and N more")."""
        return self.total - len(self.entries)


@dataclass(frozen=True, slots=True)
class Figures:
    """Headline figures.

    Attributes:
        by_kind: Interactions per kind in the period.
        by_kind_previous: The same in the previous period.
        by_platform: Interactions per platform in the period.
        by_platform_previous: The same in the previous period.
        to_answer: Open comments that need a reply.
        open_questions: Of which questions.
        oldest_waiting: The longest wait among them.
        sla_flagged: Open items past a service-level flag (question > 1 h, any > 24 h).
        breaches: Open items past the breach threshold (72 h).
    """

    by_kind: dict[str, int]
    by_kind_previous: dict[str, int]
    by_platform: dict[str, int]
    by_platform_previous: dict[str, int]
    to_answer: int
    open_questions: int
    oldest_waiting: timedelta | None
    sla_flagged: int
    breaches: int

    @property
    def total(self) -> int:
        """Interactions in the period."""
        return sum(self.by_kind.values())

    @property
    def total_previous(self) -> int:
        """Interactions in the previous period."""
        return sum(self.by_kind_previous.values())


@dataclass(frozen=True, slots=True)
class Digest:
    """A digest for one period and set of accounts.

    Attributes:
        since: Start of the period (UTC).
        until: End of the period, the time it was built (UTC).
        accounts: ``(platform, account id)`` it covers (empty: every account).
        answer: Comments to answer.
        thank: People to thank.
        creators: Creators to engage.
        figures: Headline figures.
    """

    since: datetime
    until: datetime
    accounts: tuple[tuple[str, str], ...]
    answer: Section[AnswerEntry]
    thank: Section[ThankEntry]
    creators: Section[CreatorEntry]
    figures: Figures
    breaches: tuple[AnswerEntry, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (datetimes as ISO 8601, durations in seconds)."""
        f = self.figures
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "accounts": [list(a) for a in self.accounts],
            "figures": {
                "interactions": f.total,
                "interactions_previous": f.total_previous,
                "by_kind": f.by_kind,
                "by_kind_previous": f.by_kind_previous,
                "by_platform": f.by_platform,
                "by_platform_previous": f.by_platform_previous,
                "to_answer": f.to_answer,
                "open_questions": f.open_questions,
                "oldest_waiting_s": (
                    None if f.oldest_waiting is None else int(f.oldest_waiting.total_seconds())
                ),
                "oldest_waiting": None
                if f.oldest_waiting is None
                else format_wait(f.oldest_waiting),
                "sla_flagged": f.sla_flagged,
                "breaches": f.breaches,
            },
            "answer": _section(self.answer, _answer_dict),
            "thank": _section(self.thank, _thank_dict),
            "creators": _section(self.creators, _creator_dict),
        }


def _section(section: Section[T], convert: Any) -> dict[str, Any]:
    return {
        "total": section.total,
        "more": section.more,
        "entries": [convert(e) for e in section.entries],
    }


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "kind": item.kind,
        "account_id": item.account_id,
        "author_id": item.author_id,
        "handle": item.handle,
        "display_name": item.display_name,
        "followers": item.followers,
        "text": item.text[:_EXCERPT],
        "language": item.signals.language if item.signals else None,
        "created_at": item.created_at.isoformat(),
        "url": item.url,
    }


def _answer_dict(e: AnswerEntry) -> dict[str, Any]:
    return {
        **_item_dict(e.item),
        "what": e.what,
        "score": e.score,
        "reasons": list(e.reasons),
        "waiting_s": int(e.waiting.total_seconds()),
        "sla": e.sla,
    }


def _thank_dict(e: ThankEntry) -> dict[str, Any]:
    return {
        "platform": e.platform,
        "author_id": e.author_id,
        "handle": e.handle,
        "line": e.line,
        "counts": e.counts,
        "score": e.score,
        "reasons": list(e.reasons),
        "items": list(e.item_ids),
        "latest": _item_dict(e.latest),
    }


def _creator_dict(e: CreatorEntry) -> dict[str, Any]:
    return {
        "platform": e.platform,
        "author_id": e.author_id,
        "handle": e.handle,
        "followers": e.followers,
        "interactions": e.interactions,
        "action": e.action,
        "score": e.score,
        "reasons": list(e.reasons),
        "latest": _item_dict(e.latest),
    }
