"""Build a :class:`DraftRequest` from a stored interaction."""

from __future__ import annotations

from collections.abc import Iterable

from engagement.drafting._models import DraftRequest, Intent, Voice
from engagement.drafting._signals import detect_language, extract_topic, infer_intent
from engagement.models import InteractionKind, InteractionRecord

_BY_KIND = {
    InteractionKind.REPOST: Intent.REPOST,
    InteractionKind.FOLLOW: Intent.FOLLOW,
    InteractionKind.LIKE: Intent.PRAISE,
}


def intent_for(item: InteractionRecord, language: str = "en") -> Intent:
    """The reply intent an interaction calls for.

    Reposts, follows and likes map directly; a quote is thanked unless its text asks or
    complains; mentions, replies and unknown kinds are read from their text.
    """
    kind = item.known_kind
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    inferred = infer_intent(item.text, language) if item.text else Intent.PRAISE
    if kind is InteractionKind.QUOTE and inferred is Intent.PRAISE:
        return Intent.QUOTE
    return inferred


def request_for(
    item: InteractionRecord,
    voice: Voice,
    *,
    intent: Intent | None = None,
    language: str | None = None,
    topics: Iterable[str] = (),
    root_text: str | None = None,
    parent_text: str | None = None,
) -> DraftRequest:
    """A draft request for ``item``.

    Args:
        item: The interaction to answer.
        voice: The brand's voice.
        intent: Force an intent (``Intent.CREATOR`` for outreach); inferred otherwise.
        language: Force a language; else the platform's tag, else detection, else English.
        topics: The brand's topics (first one the text mentions becomes the topic).
        root_text: Thread root text, when known.
        parent_text: Parent post text, when known (defaults to the subject's text).
    """
    lang = language or item.language or detect_language(item.text) or "en"
    return DraftRequest(
        item_id=item.external_id,
        text=item.text,
        intent=intent or intent_for(item, lang),
        platform=item.platform,
        language=lang,
        author_name=item.author.display_name or item.author.handle,
        author_handle=item.author.handle,
        topic=extract_topic(item.text, topics),
        voice=voice,
        root_text=root_text,
        parent_text=parent_text if parent_text is not None else item.subject_text,
    )
