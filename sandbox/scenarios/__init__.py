"""Seeded, deterministic traffic scenarios: ``quiet-day``, ``launch-day`` and ``outage``.

A scenario is platform-neutral: timed :class:`Event`s (posts and interactions) by
:class:`Persona`s, rendered by the Bluesky and X simulators. Same name and seed, same traffic.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sandbox.scenarios._build import Profile, build_timeline
from sandbox.scenarios._model import POST, Event, Persona, Scenario, ScheduledFault
from sandbox.scenarios._people import make_brand, make_personas

__all__ = [
    "POST",
    "SCENARIOS",
    "Event",
    "Persona",
    "Scenario",
    "ScheduledFault",
    "build_scenario",
]

_QUIET = Profile(
    announcements=(
        (-5.0, "fr", "Petit tuto : activer la synchro hors-ligne en 3 étapes 👇"),
        (8.0, "en", "Tip of the day: pin a notebook to your home screen with the new widget."),
    ),
    per_post=40,
    background_mentions=10,
    new_followers=6,
    topic_posts=40,
)

_MENTIONS_X = "GET /2/users/:id/mentions"
_NOTIFS = "app.bsky.notification.listNotifications"


def _outage_faults() -> tuple[ScheduledFault, ...]:
    faults: list[ScheduledFault] = []
    for base in (0.0, 8.0, 16.0):
        h = timedelta(hours=base)
        faults += [
            ScheduledFault(h + timedelta(minutes=30), _NOTIFS, count=3, status=503),
            ScheduledFault(h + timedelta(hours=1), _NOTIFS, delay_s=15.0),
            ScheduledFault(h + timedelta(hours=2), _NOTIFS, malformed=True),
            ScheduledFault(h + timedelta(hours=3), _NOTIFS, drop=True),
            ScheduledFault(
                h + timedelta(hours=4), "app.bsky.actor.getProfiles", count=2, status=502
            ),
            ScheduledFault(h + timedelta(hours=1, minutes=30), _MENTIONS_X, count=2, status=503),
            ScheduledFault(h + timedelta(hours=2, minutes=30), _MENTIONS_X, malformed=True),
            ScheduledFault(h + timedelta(hours=3, minutes=30), _MENTIONS_X, drop=True),
            ScheduledFault(h + timedelta(hours=4, minutes=30), _MENTIONS_X, delay_s=15.0),
            ScheduledFault(h + timedelta(hours=6), "POST /2/tweets", status=503),
            ScheduledFault(h + timedelta(hours=6), "com.atproto.repo.createRecord", status=502),
        ]
    return tuple(faults)


SCENARIOS: dict[str, str] = {
    "quiet-day": "A calm day: two brand posts and a trickle of replies, mentions and follows.",
    "launch-day": "Product launch: bursts of mentions, replies, quotes, reposts, likes and "
    "follows in French and English, spam and bots, some threads already answered.",
    "outage": "launch-day traffic plus scheduled 5xx, timeouts, malformed JSON and dropped "
    "connections on the polling endpoints.",
}


def build_scenario(name: str, seed: int = 7) -> Scenario:
    """Build the scenario ``name`` for ``seed``.

    Raises:
        KeyError: ``name`` is not one of :data:`SCENARIOS`.
    """
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
    rng = random.Random(f"{name}:{seed}")
    quiet = name == "quiet-day"
    brand = make_brand(seed)
    people = make_personas(rng, 90 if quiet else 260)
    events = build_timeline(rng, brand, people, _QUIET if quiet else Profile())
    faults = _outage_faults() if name == "outage" else ()
    return Scenario(name, seed, brand, tuple(people), events, faults)
