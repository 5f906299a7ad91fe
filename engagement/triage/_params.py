"""Weights and thresholds of the triage, as one frozen set of parameters with sensible defaults.

The composition root maps settings onto it (``TriageParams(large_account_followers=…)``);
the engine never reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TriageParams"]


@dataclass(frozen=True, slots=True)
class TriageParams:
    """Everything the ranking can be tuned with.

    Attributes:
        large_account_followers: Followers from which an author counts as a large account.
        creator_min_followers: Followers from which an author counts as a creator.
        section_cap: Entries shown per digest section (the rest is "and N more").
        sla_question_hours: A question unanswered this long is flagged.
        sla_any_hours: Anything unanswered this long is flagged.
        sla_breach_hours: Anything unanswered this long is a breach.
        spam_threshold: Spam score from which an interaction is ignored.
        history_days: Window of the relationship signals (top engagers, returning).
        top_engager_min: Interactions in the history window to count as a top engager.
        thank_min_score: Minimum thank score (a like is 0.5, a repost 3) to be thanked.
        topics: Lower-case topics the brand cares about (creators talking about them rank up).
        w_complaint: Urgency of a complaint.
        w_question: Urgency of a question.
        w_request: Urgency of a request.
        w_other: Urgency of another message that needs a reply.
        w_negative: Extra urgency of a negative message.
        w_audience: Urgency per power of ten of followers.
        w_large: Extra urgency of a large account.
        w_verified: Extra urgency of a verified account.
        w_waiting: Urgency per doubling of the hours waited.
        w_sla: Extra urgency once a service-level flag is raised.
        w_breach: Extra urgency of a breach.
        w_relationship: Extra urgency of a returning author or top engager.
    """

    large_account_followers: int = 10_000
    creator_min_followers: int = 2_000
    section_cap: int = 10
    sla_question_hours: float = 1.0
    sla_any_hours: float = 24.0
    sla_breach_hours: float = 72.0
    spam_threshold: float = 0.6
    history_days: int = 30
    top_engager_min: int = 5
    thank_min_score: float = 2.0
    topics: tuple[str, ...] = ()
    w_complaint: float = 3.0
    w_question: float = 2.5
    w_request: float = 2.0
    w_other: float = 1.0
    w_negative: float = 0.7
    w_audience: float = 0.6
    w_large: float = 1.5
    w_verified: float = 0.5
    w_waiting: float = 0.5
    w_sla: float = 1.0
    w_breach: float = 2.0
    w_relationship: float = 0.4

    def __post_init__(self) -> None:
        if self.section_cap < 1:
            raise ValueError("section_cap must be at least 1")
        if not 0.0 < self.spam_threshold <= 1.0:
            raise ValueError("spam_threshold must be in (0, 1]")
        if not 0 < self.sla_question_hours <= self.sla_any_hours <= self.sla_breach_hours:
            raise ValueError("service levels must satisfy 0 < question <= any <= breach hours")
        object.__setattr__(
            self, "topics", tuple(t.strip().lower() for t in self.topics if t.strip())
        )
