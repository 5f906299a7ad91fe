"""Value objects of reply drafting: intents, the brand's voice, requests and drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from engagement.models import Platform


class Intent(StrEnum):
    """What a reply is meant to do; each intent has its own three angles."""

    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    REPOST = "repost"
    QUOTE = "quote"
    FOLLOW = "follow"
    CREATOR = "creator"


class Tone(StrEnum):
    """The brand's tone preset."""

    PLAYFUL = "playful"
    PRACTICAL = "practical"
    PUNCHY = "punchy"
    STORYTELLING = "storytelling"


class Formality(StrEnum):
    """How French drafts address people: ``tu`` (familiar) or ``vous`` (formal)."""

    TU = "tu"
    VOUS = "vous"


class DraftSource(StrEnum):
    """Where a draft came from."""

    TEMPLATE = "template"
    LLM = "llm"


@dataclass(frozen=True, slots=True)
class Voice:
    """The brand's voice; the same object steers templates and the LLM prompt.

    Attributes:
        tone: Tone preset.
        formality: ``tu`` or ``vous`` in French drafts (English ignores it).
        emoji: Whether drafts may carry an emoji.
        signoff: Appended to every draft when not empty (e.g. ``— Léa``).
        avoid_words: Words or phrases drafts must never contain (matched case-insensitively
            on word boundaries).
        guide: Short free-text guide handed to the LLM.
        brand_name: How drafts name the brand.
    """

    tone: Tone = Tone.PRACTICAL
    formality: Formality = Formality.VOUS
    emoji: bool = True
    signoff: str = ""
    avoid_words: tuple[str, ...] = ()
    guide: str = ""
    brand_name: str = "our team"

    @staticmethod
    def parse_avoid_words(value: str) -> tuple[str, ...]:
        """Split a comma-separated setting into clean, de-duplicated words."""
        seen: dict[str, None] = {}
        for chunk in value.split(","):
            word = " ".join(chunk.split())
            if word and word.casefold() not in {w.casefold() for w in seen}:
                seen[word] = None
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """Everything needed to draft replies to one item.

    Attributes:
        item_id: Stable id of the item (seeds the template choice: same id, same drafts).
        text: The item's text (empty for reposts and follows).
        intent: What the reply is meant to do.
        platform: Where the reply will be posted (sets the length limit).
        language: Language tag of the drafts (``fr``, ``en``…); templates fall back to English
            for languages other than French and English.
        author_name: How to greet the person (display name or handle), may be empty.
        author_handle: Their @handle without ``@``, may be empty.
        topic: What the item is about; derived from the text when ``None``.
        voice: The brand's voice.
        root_text: Text of the thread's root post, when the item is a reply.
        parent_text: Text of the post the item answers, when the item is a reply.
        mention_author: Start drafts with ``@handle``; ``None`` uses the platform's need
            (see :data:`HANDLE_PREFIX_NEEDED`).
    """

    item_id: str
    text: str
    intent: Intent
    platform: Platform
    language: str = "en"
    author_name: str = ""
    author_handle: str = ""
    topic: str | None = None
    voice: Voice = field(default_factory=Voice)
    root_text: str | None = None
    parent_text: str | None = None
    mention_author: bool | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """One suggested reply.

    Attributes:
        text: The reply, ready to post once a person approves it.
        length: Its length counted the platform's way.
        limit: The platform's limit.
        source: ``template`` or ``llm``.
        angle: Which approach it takes (``answer``, ``clarify``, ``resource``…).
    """

    text: str
    length: int
    limit: int
    source: DraftSource
    angle: str = ""

    def as_dict(self) -> dict[str, str | int]:
        """The JSON shape the CLI prints: ``text``, ``length``, ``limit``, ``source``."""
        return {
            "text": self.text,
            "length": self.length,
            "limit": self.limit,
            "source": self.source.value,
        }


class DraftProvider(Protocol):
    """Gives three distinct drafts for a request (templates, or an LLM with fallback)."""

    async def drafts(self, request: DraftRequest) -> list[Draft]:
        """Return three distinct drafts, each within the platform's limit."""
        ...


HANDLE_PREFIX_NEEDED: dict[Platform, bool] = {
    # Bluesky threads replies by the record's reply refs; an @handle would only add a mention.
    Platform.BLUESKY: False,
    # X API v2 threads by reply.in_reply_to_tweet_id and shows "Replying to @handle" itself;
    # handles of the people replied to are not part of the text since 2017.
    Platform.X: False,
}
