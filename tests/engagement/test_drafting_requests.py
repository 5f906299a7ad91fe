"""Building draft requests from stored interactions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engagement.drafting import Intent, Voice, intent_for, request_for, template_drafts
from engagement.models import Author, InteractionKind, InteractionRecord, Platform

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _item(
    kind: str, text: str = "", language: str | None = None, **author: object
) -> InteractionRecord:
    fields: dict[str, object] = {
        "platform": Platform.BLUESKY,
        "platform_id": "did:plc:camille",
        "handle": "camille.bsky.social",
        "display_name": "Camille 🌿",
    }
    fields.update(author)
    return InteractionRecord(
        platform=Platform.BLUESKY,
        external_id=f"at://did:plc:camille/app.bsky.feed.post/{kind}",
        kind=kind,
        author=Author(**fields),  # type: ignore[arg-type]
        account_id="did:plc:brand",
        created_at=AT,
        indexed_at=AT,
        text=text,
        language=language,
        subject_text="Plume 2.0 est disponible, avec le mode sombre !",
    )


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (InteractionKind.REPOST, "", Intent.REPOST),
        (InteractionKind.FOLLOW, "", Intent.FOLLOW),
        (InteractionKind.LIKE, "", Intent.PRAISE),
        (InteractionKind.QUOTE, "Enfin le mode sombre, bravo", Intent.QUOTE),
        (InteractionKind.QUOTE, "Et sur Android, c'est pour quand ?", Intent.QUESTION),
        (InteractionKind.REPLY, "L'appli plante au démarrage", Intent.COMPLAINT),
        (InteractionKind.MENTION, "Comment activer le mode sombre", Intent.QUESTION),
        (InteractionKind.MENTION, "Bravo pour la sortie", Intent.PRAISE),
        ("starterpack-joined", "", Intent.PRAISE),
    ],
)
def test_intent_follows_kind_then_text(kind: str, text: str, expected: Intent) -> None:
    assert intent_for(_item(kind, text), "fr") is expected


def test_request_carries_item_author_language_topic_and_context() -> None:
    voice = Voice(brand_name="Plume")
    item = _item(InteractionKind.REPLY, "J'adore le Mode Sombre, merci !")
    request = request_for(item, voice, topics=["android", "mode sombre"], root_text="Plume 2.0")
    assert request.item_id == item.external_id
    assert request.platform is Platform.BLUESKY
    assert request.language == "fr"  # detected: the platform did not say
    assert request.intent is Intent.PRAISE
    assert request.author_name == "Camille 🌿"
    assert request.author_handle == "camille.bsky.social"
    assert request.topic == "mode sombre"
    assert request.parent_text == item.subject_text
    assert request.root_text == "Plume 2.0"
    assert request.voice is voice
    drafts = template_drafts(request)
    assert any("Camille 🌿" in d.text for d in drafts)


def test_platform_language_wins_and_creator_can_be_forced() -> None:
    item = _item(InteractionKind.MENTION, "Great write-up on notes apps", language="en")
    request = request_for(item, Voice(), intent=Intent.CREATOR)
    assert request.language == "en"
    assert request.intent is Intent.CREATOR
    silent = request_for(_item(InteractionKind.FOLLOW, display_name=""), Voice())
    assert silent.language == "en"
    assert silent.author_name == "camille.bsky.social"
    assert silent.topic == ""
