"""Engine results as Discord cards: digest entries, and the card of any single item.

The digest's cards come straight from the engine's ranked entries (reasons, waiting time,
service-level flag, score). A single item (``/inbox``, a card refreshed after an action) is
triaged on its own with the same functions: to-answer if the engine would list it there,
else a creator or a person to thank.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from cogs.ports import Card, Figure, ItemState, Section
from engagement.classifiers import TextClassifier
from engagement.digest import Digest
from engagement.models import InteractionRecord
from engagement.signals import text_signals
from engagement.triage import (
    AnswerEntry,
    Context,
    CreatorEntry,
    HandledState,
    Item,
    ThankEntry,
    TriageParams,
    format_wait,
    relationship,
    spam_of,
    suggest_action,
    thank_kind,
    thank_points,
    to_answer,
)

Key = tuple[str, str]
NOTHING_HANDLED = HandledState(frozenset(), {}, frozenset(), {})
_THANK_REASON = {
    "repost": "reposted your post",
    "quote": "quoted your post",
    "follow": "followed you",
    "like": "liked your post",
    "praise": "praised you",
}
_PLATFORM_NAMES = {"bluesky": "Bluesky", "x": "X"}
_TEXT_KINDS = ("mention", "reply", "quote")


def answer_card(entry: AnswerEntry, record: InteractionRecord, state: ItemState) -> Card:
    """A to-answer entry as a card (the engine's reasons, wait, flag and score)."""
    return Card(
        record,
        Section.ANSWER,
        entry.reasons,
        entry.waiting,
        state,
        score=entry.score,
        breach=entry.sla,
    )


def thank_card(
    entry: ThankEntry, record: InteractionRecord, state: ItemState, now: datetime
) -> Card:
    """One person to thank as one card, acting on their most recent interaction."""
    summary = entry.line.removeprefix(f"@{entry.handle} ")
    return Card(
        record,
        Section.THANK,
        (summary, *entry.reasons),
        max(timedelta(0), now - record.created_at),
        state,
        score=entry.score,
    )


def creator_card(
    entry: CreatorEntry, record: InteractionRecord, state: ItemState, now: datetime
) -> Card:
    """A creator to engage, with the suggested action first."""
    return Card(
        record,
        Section.CREATORS,
        (f"suggested: {entry.action}", *entry.reasons),
        max(timedelta(0), now - record.created_at),
        state,
        score=entry.score,
    )


def digest_cards(
    digest: Digest,
    records: Mapping[Key, InteractionRecord],
    states: Mapping[Key, ItemState],
    now: datetime,
) -> list[Card]:
    """The shown entries of the three sections, in order (unknown records skipped)."""
    cards: list[Card] = []
    for a in digest.answer.entries:
        if (record := records.get(a.item.key)) is not None:
            cards.append(answer_card(a, record, states.get(a.item.key, ItemState())))
    for t in digest.thank.entries:
        if (record := records.get(t.latest.key)) is not None:
            cards.append(thank_card(t, record, states.get(t.latest.key, ItemState()), now))
    for c in digest.creators.entries:
        if (record := records.get(c.latest.key)) is not None:
            cards.append(creator_card(c, record, states.get(c.latest.key, ItemState()), now))
    return cards


def shown_keys(digest: Digest) -> list[Key]:
    """Keys of the interactions the digest's cards act on."""
    return [
        *(a.item.key for a in digest.answer.entries),
        *(t.latest.key for t in digest.thank.entries),
        *(c.latest.key for c in digest.creators.entries),
    ]


def with_signals(items: Sequence[Item], classifier: TextClassifier) -> list[Item]:
    """The items, with text signals computed for text items that have none stored yet."""
    missing = [i for i, it in enumerate(items) if it.signals is None and it.kind in _TEXT_KINDS]
    if not missing:
        return list(items)
    scored = text_signals([(items[i].text, None) for i in missing], classifier)
    out = list(items)
    for i, signals in zip(missing, scored, strict=True):
        out[i] = out[i]._replace(signals=signals)
    return out


def light_context(
    brand: Collection[Key], engagement: Counter[Key], history_start: datetime
) -> Context:
    """The context of a few items: the brand's accounts and their authors' engagement."""
    return Context(frozenset(brand), frozenset(), engagement, Counter(), history_start)


def item_card(
    item: Item,
    record: InteractionRecord,
    state: ItemState,
    ctx: Context,
    params: TriageParams,
    now: datetime,
) -> Card:
    """The card of one item, triaged on its own (``/inbox``, refreshed cards)."""
    end = state.at if state.status.is_closed and state.at else now
    waiting = max(timedelta(0), end - item.created_at)
    spam = spam_of(item, ctx, now).score >= params.spam_threshold
    flagged = ("likely spam",) if spam else ()
    entries = to_answer([item], NOTHING_HANDLED, ctx, params, now)
    if entries:
        e = entries[0]
        return Card(record, Section.ANSWER, e.reasons, waiting, state, e.score, breach=e.sla)
    kind = thank_kind(item) or item.kind
    who, _ = relationship(item, ctx, params)
    audience = _audience(item.followers)
    if (item.followers or 0) >= params.creator_min_followers:
        reasons = (f"suggested: {suggest_action({item.kind})}", audience, who, *flagged)
        return Card(record, Section.CREATORS, reasons, waiting, state)
    what = _THANK_REASON.get(kind, kind)
    score = thank_points({kind: 1})
    return Card(record, Section.THANK, (what, audience, who, *flagged), waiting, state, score)


def _audience(followers: int | None) -> str:
    if followers is None:
        return "audience unknown"
    if followers >= 1_000:
        return f"{followers / 1_000:.1f}k followers"
    return f"{followers} follower{'s' if followers != 1 else ''}"


def _delta(current: int, previous: int, period: str) -> str:
    return f"{current - previous:+d} vs previous {period}"


def figures(digest: Digest, period: str, older_open: int = 0) -> tuple[Figure, ...]:
    """Headline figures versus the previous period.

    Interactions by platform and kind, comments, open ones and questions, the oldest wait,
    service-level flags and breaches, and open comments too old for the digest.
    """
    f = digest.figures
    text_now = sum(n for k, n in f.by_kind.items() if k in _TEXT_KINDS)
    text_before = sum(n for k, n in f.by_kind_previous.items() if k in _TEXT_KINDS)
    out = [Figure("Interactions", str(f.total), _delta(f.total, f.total_previous, period))]
    for name in sorted(set(f.by_platform) | set(f.by_platform_previous)):
        now_n, before = f.by_platform.get(name, 0), f.by_platform_previous.get(name, 0)
        out.append(
            Figure(_PLATFORM_NAMES.get(name, name), str(now_n), _delta(now_n, before, period))
        )
    kinds = sorted(set(f.by_kind) | set(f.by_kind_previous), key=lambda k: -f.by_kind.get(k, 0))
    if kinds:
        by_kind = " · ".join(
            f"{k} {f.by_kind.get(k, 0)} ({f.by_kind.get(k, 0) - f.by_kind_previous.get(k, 0):+d})"
            for k in kinds
        )
        out.append(Figure("By kind", by_kind))
    oldest = format_wait(f.oldest_waiting) if f.oldest_waiting is not None else "—"
    out += [
        Figure("Comments", str(text_now), _delta(text_now, text_before, period)),
        Figure("Still to answer", str(f.to_answer)),
        Figure("Open questions", str(f.open_questions)),
        Figure("Oldest waiting", oldest),
        Figure("SLA flags", str(f.sla_flagged)),
        Figure("SLA breaches", str(f.breaches)),
    ]
    if older_open:
        out.append(Figure("Older open items", str(older_open), "not in this digest; see /inbox"))
    return tuple(out)


def breach_lines(digest: Digest) -> tuple[str, ...]:
    """One line per service-level breach (``bluesky @alice question waiting 3 d 2 h``)."""
    return tuple(
        f"{_PLATFORM_NAMES.get(e.item.platform, e.item.platform)} @{e.item.handle} "
        f"{e.what} waiting {format_wait(e.waiting)}"
        for e in digest.breaches
    )
