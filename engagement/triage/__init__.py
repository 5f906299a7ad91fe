"""Triage: what to answer, whom to thank, which creators to engage — each line explained.

Pure functions over light :class:`Item` rows; ``now`` is always an argument::

    state = handled_state(actions, now)
    ctx = build_context(items, params, now, brand_accounts)
    answer = to_answer(items, state, ctx, params, now)
    thanked = thanked_authors(state, items, since, now)
    thank = to_thank(thank_candidates(items, ctx, since, now), ctx, params, now, since, thanked)
    creators = to_engage(creator_candidates(items, state, ctx, params, now), ctx, params, now)

:func:`engagement.digest.build_digest` does all of this and adds the headline figures. The
``to_*`` functions rank (``rank_answer``, ``rank_thank``) then explain every entry
(``explain_answer``, ``explain_thank``); a digest explains only the entries it shows.
"""

from __future__ import annotations

from engagement.triage._context import Context, build_context, relationship, spam_of
from engagement.triage._items import HandledState, Item, handled_state, item_from_record
from engagement.triage._params import TriageParams
from engagement.triage.answer import (
    AnswerEntry,
    RankedAnswer,
    answer_order,
    explain_answer,
    format_wait,
    is_open,
    rank_answer,
    sla_flag,
    to_answer,
)
from engagement.triage.creators import (
    CreatorCandidate,
    CreatorEntry,
    creator_candidates,
    suggest_action,
    to_engage,
)
from engagement.triage.thank import (
    RankedThank,
    ThankCandidate,
    ThankEntry,
    explain_thank,
    period_phrase,
    rank_thank,
    thank_candidates,
    thank_kind,
    thank_order,
    thank_points,
    thanked_authors,
    to_thank,
)

__all__ = [
    "AnswerEntry",
    "Context",
    "CreatorCandidate",
    "CreatorEntry",
    "HandledState",
    "Item",
    "RankedAnswer",
    "RankedThank",
    "ThankCandidate",
    "ThankEntry",
    "TriageParams",
    "answer_order",
    "build_context",
    "creator_candidates",
    "explain_answer",
    "explain_thank",
    "format_wait",
    "handled_state",
    "is_open",
    "item_from_record",
    "period_phrase",
    "rank_answer",
    "rank_thank",
    "relationship",
    "sla_flag",
    "spam_of",
    "suggest_action",
    "thank_candidates",
    "thank_kind",
    "thank_order",
    "thank_points",
    "thanked_authors",
    "to_answer",
    "to_engage",
    "to_thank",
]
