"""Turn templates into three distinct, in-limit drafts for one request (pure, deterministic)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

import regex

from engagement.drafting import _templates_en as en
from engagement.drafting import _templates_fr as fr
from engagement.drafting._limits import fit_to_limit, fits, length, limit_for
from engagement.drafting._models import (
    HANDLE_PREFIX_NEEDED,
    Draft,
    DraftRequest,
    DraftSource,
    Formality,
    Intent,
    Tone,
)
from engagement.drafting._signals import extract_topic
from engagement.drafting._text import (
    TOPIC_MAX_GRAPHEMES,
    cap,
    clean_name,
    contains_avoided,
    scrub,
    tidy,
)

_FORMALITY = regex.compile(r"<([^<>|]*)\|([^<>|]*)>")
_OPTIONAL = regex.compile(r"\[([^\[\]]*)\]")
_SLOT = regex.compile(r"\{(name|topic|brand)\}")
# Intents that may open with a playful interjection (not outreach to a stranger).
_POSITIVE = frozenset({Intent.PRAISE, Intent.REPOST, Intent.QUOTE, Intent.FOLLOW})
_MIN_BODY = 120
_SHORT_NAME = 12
_SENTENCE = regex.compile(r"(?<=[.!?…])\s+")
EMOJI: dict[Intent, tuple[str, ...]] = {
    Intent.QUESTION: ("💡", "👉", "🙂"),
    Intent.COMPLAINT: ("🙏",),
    Intent.PRAISE: ("🙌", "💙", "✨"),
    Intent.REPOST: ("🙌", "🚀", "💙"),
    Intent.QUOTE: ("💬", "👏", "✨"),
    Intent.FOLLOW: ("👋", "🎉", "✨"),
    Intent.CREATOR: ("👏", "💡", "✨"),
}


def template_language(language: str) -> str:
    """``fr`` for French tags (``fr``, ``fr-CA``…), ``en`` for everything else."""
    return "fr" if language.lower().split("-")[0] == "fr" else "en"


def _seeded(request: DraftRequest, lang: str) -> random.Random:
    key = f"{request.item_id}|{request.intent.value}|{lang}".encode()
    return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))


def _formal(text: str, formality: Formality) -> str:
    index = 1 if formality is Formality.TU else 2
    return _FORMALITY.sub(lambda m: m.group(index), text)


def _fill(template: str, slots: dict[str, str], optional: bool) -> str:
    def segment(match: regex.Match[str]) -> str:
        body = match.group(1)
        if not optional or ("{topic}" in body and not slots["topic"]):
            return ""
        return body

    return _SLOT.sub(lambda m: slots[m.group(1)], _OPTIONAL.sub(segment, template))


class _Renderer:
    """Renders the three angles of one request."""

    def __init__(self, request: DraftRequest) -> None:
        self.request = request
        self.voice = request.voice
        self.lang = template_language(request.language)
        self.table = fr if self.lang == "fr" else en
        self.rng = _seeded(request, self.lang)
        self.limit = limit_for(request.platform)
        avoid = self.voice.avoid_words
        name = clean_name(request.author_name or request.author_handle)
        topic = request.topic if request.topic is not None else extract_topic(request.text)
        topic = cap(" ".join(topic.replace("“", "").replace("”", "").split()), TOPIC_MAX_GRAPHEMES)
        brand = self.voice.brand_name.strip() or en.DEFAULT_BRAND
        if brand == en.DEFAULT_BRAND:
            brand = self.table.DEFAULT_BRAND
        self.slots = {
            "name": "" if contains_avoided(name, avoid) else name,
            "topic": "" if contains_avoided(topic, avoid) else topic,
            "brand": self.table.DEFAULT_BRAND if contains_avoided(brand, avoid) else brand,
        }
        mention = request.mention_author
        if mention is None:
            mention = HANDLE_PREFIX_NEEDED[request.platform]
        handle = request.author_handle.lstrip("@")
        self.prefix = f"@{handle} " if mention and handle else ""
        self.suffix = f"\n{self.voice.signoff.strip()}" if self.voice.signoff.strip() else ""

    def _extras(self) -> tuple[str, str, str]:
        voice, intent = self.voice, self.request.intent
        emoji = self.rng.choice(EMOJI[intent]) if voice.emoji else ""
        interjection = ""
        if voice.tone is Tone.PLAYFUL and intent in _POSITIVE:
            interjection = self.rng.choice(self.table.INTERJECTIONS)
        story = ""
        if voice.tone is Tone.STORYTELLING:
            story = _formal(self.table.STORY[intent], voice.formality)
        return interjection, story, emoji

    def _ordered(self, variants: tuple[str, ...]) -> list[str]:
        """The angle's wordings, formality resolved, in a seeded order."""
        resolved = [_formal(v, self.voice.formality) for v in variants]
        self.rng.shuffle(resolved)
        return resolved

    def _compose(self, core: str, interjection: str = "", story: str = "", emoji: str = "") -> str:
        body = " ".join(part for part in (interjection, core, story, emoji) if part)
        return tidy(f"{self.prefix}{body}{self.suffix}", self.lang)

    def _candidates(self, templates: list[str]) -> Iterator[str]:
        """Every form of the angle, richest first; at each level every wording is tried."""
        interjection, story, emoji = self._extras()
        punchy = self.voice.tone is Tone.PUNCHY
        full = [_fill(t, self.slots, optional=not punchy) for t in templates]
        bare = [_fill(t, self.slots, optional=False) for t in templates]
        yield from (self._compose(f, interjection, story, emoji) for f in full)
        yield from (self._compose(f, interjection, "", emoji) for f in full)
        yield from (self._compose(b, interjection, "", emoji) for b in bare)
        yield from (self._compose(b) for b in bare)

    def render(self, variants: tuple[str, ...]) -> str:
        """The richest form of one angle that fits and uses no avoided word."""
        templates = self._ordered(variants)
        avoid, platform = self.voice.avoid_words, self.request.platform
        fallback: str | None = None
        for text in self._candidates(templates):
            if not fits(text, platform, self.limit):
                continue
            if not contains_avoided(text, avoid):
                return text
            fallback = fallback or text
        squeezed = [self._squeeze(t) for t in templates]
        clean = [t for t in squeezed if not contains_avoided(t, avoid)]
        if clean:
            return clean[0]
        return self._fit(scrub(fallback or squeezed[0], avoid, self.lang))

    def _fit(self, text: str) -> str:
        return fit_to_limit(text, self.request.platform, self.limit)

    def _squeeze(self, template: str) -> str:
        """Last resort (long names, sign-off or prefix): shorter name, then no greeting."""
        platform = self.request.platform
        suffix = self.suffix
        if self.limit - length(f"{self.prefix}{suffix}", platform) < _MIN_BODY:
            suffix = ""  # a sign-off that leaves no room for the message is dropped
        budget = max(self.limit - length(f"{self.prefix}{suffix}", platform), 1)
        slots = dict(self.slots, name=cap(self.slots["name"], _SHORT_NAME))
        bare = tidy(_fill(template, slots, optional=False), self.lang)
        # The greeting comes first; the substance (the angle) is in the sentences after it.
        substance = tidy(" ".join(_SENTENCE.split(bare)[1:]), self.lang) or bare
        body = bare if fits(bare, platform, budget) else substance
        body = fit_to_limit(body, platform, budget)
        return self._fit(tidy(f"{self.prefix}{body}{suffix}", self.lang))


def template_drafts(request: DraftRequest) -> list[Draft]:
    """Three drafts for ``request`` from templates, one per angle of its intent.

    The drafts differ in substance (e.g. for a question: answer in the thread, ask for a
    detail, point to a resource and offer a DM), fit the platform's limit counted its way,
    never use the voice's avoided words, and are deterministic: the same item id gives the
    same drafts.

    Args:
        request: What to answer and how.

    Returns:
        Three drafts with ``source`` ``template``.
    """
    renderer = _Renderer(request)
    drafts: list[Draft] = []
    for angle, variants in renderer.table.TEMPLATES[request.intent]:
        text = renderer.render(variants)
        drafts.append(
            Draft(
                text=text,
                length=length(text, request.platform),
                limit=renderer.limit,
                source=DraftSource.TEMPLATE,
                angle=angle,
            )
        )
    return drafts


class TemplateDrafter:
    """A :class:`~engagement.drafting.DraftProvider` that only uses templates (no I/O)."""

    async def drafts(self, request: DraftRequest) -> list[Draft]:
        """Three template drafts for ``request``."""
        return template_drafts(request)
