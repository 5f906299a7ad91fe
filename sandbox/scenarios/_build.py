"""Seeded generation of a scenario's timeline (deterministic for a given name and seed)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from engagement.models import Platform
from sandbox.scenarios._model import POST, Event, Persona
from sandbox.scenarios._texts import (
    ANNOUNCEMENTS,
    ANSWERS,
    BOT_LINES,
    FEATURES,
    FOLLOW_UPS,
    INTENT_TEXTS,
    QUOTE_TEXTS,
    SPAM_LINES,
    TOPIC_TEXTS,
    TOPIC_WORDS,
)

__all__ = ["Profile", "build_timeline"]

_HOUR = 3600.0
_DAY = 24 * _HOUR
_INTENTS = ("question", "complaint", "praise", "request", "feedback")
_INTENT_WEIGHTS = (32, 18, 28, 12, 10)
_FLAVOR_WEIGHT = {"person": 1.0, "creator": 0.6, "press": 0.3, "spam": 0.5, "bot": 0.8}


@dataclass(frozen=True, slots=True)
class Profile:
    """How much happens in a scenario day."""

    announcements: tuple[tuple[float, str, str], ...] = ANNOUNCEMENTS
    per_post: int = 140
    background_mentions: int = 80
    new_followers: int = 40
    topic_posts: int = 90
    x_share: float = 0.45


@dataclass(slots=True)
class _Draft:
    offset: float
    platform: Platform
    kind: str
    author: Persona
    text: str = ""
    lang: str | None = None
    subject: int | None = None
    parent: int | None = None
    intent: str = "neutral"
    mentions_brand: bool = False
    tags: tuple[str, ...] = field(default=())


class _Builder:
    def __init__(self, rng: random.Random, brand: Persona, people: list[Persona]) -> None:
        self.rng = rng
        self.brand = brand
        self.people = people
        self.weights = [
            _FLAVOR_WEIGHT[p.flavor] * (4.0 if i < 15 and p.flavor == "person" else 1.0)
            for i, p in enumerate(people)
        ]
        self.drafts: list[_Draft] = []

    def add(self, draft: _Draft) -> int:
        self.drafts.append(draft)
        return len(self.drafts) - 1

    def author(self) -> Persona:
        return self.rng.choices(self.people, weights=self.weights)[0]

    def lang_for(self, person: Persona) -> str:
        other = "en" if person.lang == "fr" else "fr"
        return person.lang if self.rng.random() < 0.9 else other

    def at(self, platform: Platform) -> str:
        return "@" + (
            self.brand.bsky_handle if platform is Platform.BLUESKY else self.brand.x_handle
        )

    def say(self, person: Persona, lang: str) -> tuple[str, str]:
        """Return (text, intent) for something a person says to the brand."""
        if person.flavor == "spam":
            return self.rng.choice(SPAM_LINES[lang]), "spam"
        if person.flavor == "bot":
            return self.rng.choice(BOT_LINES), "spam"
        intent = self.rng.choices(_INTENTS, weights=_INTENT_WEIGHTS)[0]
        template = self.rng.choice(INTENT_TEXTS[intent][lang])
        return template.format(feature=self.rng.choice(FEATURES[lang])), intent

    def with_mention(self, text: str, platform: Platform) -> str:
        handle = self.at(platform)
        return f"{handle} {text}" if self.rng.random() < 0.65 else f"{text} {handle}"


def _reaction_kind(rng: random.Random, platform: Platform) -> str:
    if platform is Platform.X:
        return rng.choices(["reply", "quote"], weights=[75, 25])[0]
    kinds = ["like", "repost", "reply", "quote", "follow"]
    return rng.choices(kinds, weights=[45, 12, 25, 8, 10])[0]


def _reply(b: _Builder, post: int, platform: Platform, offset: float) -> None:
    person = b.author()
    lang = b.lang_for(person)
    text, intent = b.say(person, lang)
    parent = post
    earlier = [i for i, d in enumerate(b.drafts) if d.parent is not None and d.subject == post]
    if earlier and b.rng.random() < 0.1:
        parent = b.rng.choice(earlier)
        offset = max(offset, b.drafts[parent].offset + 30)
    if platform is Platform.X:
        text = f"{b.at(platform)} {text}"
    reply = b.add(
        _Draft(
            offset,
            platform,
            "reply",
            person,
            text,
            lang,
            post,
            parent,
            intent,
            mentions_brand=platform is Platform.X,
        )
    )
    if intent in {"question", "complaint"} and offset < 20 * _HOUR and b.rng.random() < 0.3:
        answer_at = offset + b.rng.uniform(8 * 60, 90 * 60)
        answer = b.rng.choice(ANSWERS[lang][:2] if intent == "question" else ANSWERS[lang][1:])
        if platform is Platform.X:
            answer = f"@{person.x_handle} {answer}"
        answered = b.add(
            _Draft(answer_at, platform, POST, b.brand, answer, lang, post, reply, "answer")
        )
        if b.rng.random() < 0.35:
            thanks = b.rng.choice(FOLLOW_UPS[lang])
            if platform is Platform.X:
                thanks = f"{b.at(platform)} {thanks}"
            b.add(
                _Draft(
                    answer_at + b.rng.uniform(300, 3600),
                    platform,
                    "reply",
                    person,
                    thanks,
                    lang,
                    post,
                    answered,
                    "thanks",
                    mentions_brand=platform is Platform.X,
                )
            )


def _reactions(b: _Builder, post: int, platform: Platform, count: int) -> None:
    start = max(b.drafts[post].offset, 0.0)
    for _ in range(count):
        offset = start + b.rng.expovariate(1 / (0.8 * _HOUR))
        if offset >= _DAY:
            continue
        kind = _reaction_kind(b.rng, platform)
        if kind == "reply":
            _reply(b, post, platform, offset)
            continue
        person = b.author()
        if kind == "quote":
            lang = b.lang_for(person)
            text = b.rng.choice(QUOTE_TEXTS[lang]).format(feature=b.rng.choice(FEATURES[lang]))
            mentions = platform is Platform.X and b.rng.random() < 0.6
            if mentions:
                text = f"{text} {b.at(platform)}"
            intent = "share" if person.flavor not in {"spam", "bot"} else "spam"
            b.add(_Draft(offset, platform, kind, person, text, lang, post, None, intent, mentions))
        elif kind == "follow":
            b.add(_Draft(offset, platform, kind, person, intent="follow"))
        else:
            b.add(_Draft(offset, platform, kind, person, subject=post, intent="share"))


def _background(b: _Builder, platform: Platform, profile: Profile, share: float) -> None:
    for _ in range(round(profile.background_mentions * share)):
        if b.rng.random() < 0.6:
            offset = min(b.rng.expovariate(1 / (2 * _HOUR)) + 0.15 * _HOUR, _DAY - 1)
        else:
            offset = b.rng.uniform(0, _DAY)
        person = b.author()
        lang = b.lang_for(person)
        text, intent = b.say(person, lang)
        b.add(
            _Draft(
                offset,
                platform,
                "mention",
                person,
                b.with_mention(text, platform),
                lang,
                intent=intent,
                mentions_brand=True,
            )
        )
    if platform is Platform.BLUESKY:
        for _ in range(profile.new_followers):
            b.add(_Draft(b.rng.uniform(0, _DAY), platform, "follow", b.author(), intent="follow"))
    creators = [p for p in b.people if p.flavor in {"creator", "person", "press"}]
    for _ in range(round(profile.topic_posts * share)):
        person = b.rng.choice(creators)
        lang = b.lang_for(person)
        text = b.rng.choice(TOPIC_TEXTS[lang])
        if b.rng.random() < 0.2:
            text += " Perso j'utilise Plume." if lang == "fr" else " I use Plume for this."
        tags = tuple(w for w in TOPIC_WORDS if w in text.lower())
        b.add(
            _Draft(
                b.rng.uniform(-2 * _DAY, _DAY),
                platform,
                POST,
                person,
                text,
                lang,
                intent="topic",
                tags=tags,
            )
        )


def build_timeline(
    rng: random.Random, brand: Persona, people: list[Persona], profile: Profile
) -> tuple[Event, ...]:
    """Generate every event of a scenario day, sorted by offset, with ``seq`` = index."""
    b = _Builder(rng, brand, people)
    for platform, share in ((Platform.BLUESKY, 1.0), (Platform.X, profile.x_share)):
        for hours, lang, text in profile.announcements:
            post = b.add(
                _Draft(hours * _HOUR, platform, POST, brand, text, lang, intent="announcement")
            )
            weight = 1.0 if 0 <= hours < 1 else 0.3
            _reactions(b, post, platform, round(profile.per_post * weight * share))
        _background(b, platform, profile, share)
    order = sorted(range(len(b.drafts)), key=lambda i: (b.drafts[i].offset, i))
    new_index = {old: new for new, old in enumerate(order)}
    events: list[Event] = []
    for new, old in enumerate(order):
        d = b.drafts[old]
        events.append(
            Event(
                seq=new,
                offset=timedelta(seconds=round(d.offset, 3)),
                platform=d.platform,
                kind=d.kind,
                author=d.author,
                text=d.text,
                lang=d.lang,
                subject=None if d.subject is None else new_index[d.subject],
                parent=None if d.parent is None else new_index[d.parent],
                intent=d.intent,
                mentions_brand=d.mentions_brand,
                tags=d.tags,
            )
        )
    return tuple(events)
