"""Template drafts: three distinct, in-limit drafts per intent, platform and language."""

from __future__ import annotations

import itertools

import pytest
import regex
import twitter_text

from engagement.drafting import (
    Draft,
    DraftRequest,
    DraftSource,
    Formality,
    Intent,
    TemplateDrafter,
    Tone,
    Voice,
    measure,
    template_drafts,
)
from engagement.models import Platform

FAMILY = "👩\u200d👩\u200d👧\u200d👦"
LONG_NAME = f"{FAMILY}Ana-Lucía{FAMILY} de la Fuente y Ramírez-Oliveira {FAMILY}🏳️\u200d🌈"
EMOJI_NAME = FAMILY * 40  # one 40-grapheme "word", no spaces
LONG_TOPIC = "interopérabilité " * 30
TEXTS = {
    "fr": "Bonjour, est-ce que l'export des données du tableau de bord marche sur mobile ?",
    "en": "Hi, does the dashboard export work on mobile yet?",
}
# Words the templates would otherwise use; a brand may ban any of them.
AVOID = {
    "en": ("thanks", "thank", "sorry", "DM", "question", "great", "love"),
    "fr": ("merci", "désolés", "question", "super", "bienvenue", "privé"),
}
WORDS_TU = regex.compile(r"(?<!\p{L})(vous|votre|vos)(?!\p{L})", regex.IGNORECASE)
WORDS_VOUS = regex.compile(
    r"(?<!\p{L})((tu|te|toi|ton|ta|tes)(?!\p{L})|t['’](?=\p{L}))", regex.IGNORECASE
)

CASES = list(itertools.product(Intent, Platform, ("fr", "en")))


def _request(intent: Intent, platform: Platform, lang: str, **changes: object) -> DraftRequest:
    fields: dict[str, object] = {
        "item_id": f"item-{intent}-{platform}-{lang}",
        "text": TEXTS.get(lang, TEXTS["en"]),
        "intent": intent,
        "platform": platform,
        "language": lang,
        "author_name": "Camille",
        "author_handle": "camille.bsky.social",
    }
    fields.update(changes)
    return DraftRequest(**fields)  # type: ignore[arg-type]


def _independent_length(text: str, platform: Platform) -> int:
    if platform is Platform.X:
        return int(twitter_text.parse_tweet(text).weightedLength)
    return len(regex.findall(r"\X", text))


def _check(drafts: list[Draft], platform: Platform) -> None:
    assert len(drafts) == 3
    assert len({d.text for d in drafts}) == 3, [d.text for d in drafts]
    assert len({d.angle for d in drafts}) == 3
    for draft in drafts:
        assert draft.text.strip() == draft.text
        assert draft.text
        assert draft.source is DraftSource.TEMPLATE
        assert draft.limit == {Platform.BLUESKY: 300, Platform.X: 280}[platform]
        assert draft.length == _independent_length(draft.text, platform) <= draft.limit
        assert (draft.length, draft.limit) == measure(draft.text, platform)
        assert "#" not in draft.text  # no hashtag stuffing: templates add none
        assert not regex.search(r"[{}<>\[\]|]", draft.text), draft.text


@pytest.mark.parametrize(("intent", "platform", "lang"), CASES)
def test_three_distinct_in_limit_drafts_for_every_tone(
    intent: Intent, platform: Platform, lang: str
) -> None:
    for tone in Tone:
        voice = Voice(tone=tone, signoff="— Léa, équipe Plume")
        drafts = template_drafts(_request(intent, platform, lang, voice=voice))
        _check(drafts, platform)
        assert all(d.text.endswith("\n— Léa, équipe Plume") for d in drafts)


@pytest.mark.parametrize(("intent", "platform", "lang"), CASES)
def test_overflowing_names_topics_and_signoffs_still_fit(
    intent: Intent, platform: Platform, lang: str
) -> None:
    storyteller = Voice(tone=Tone.STORYTELLING, signoff="— " + "Léa " * 50)
    for name, topic in ((LONG_NAME, LONG_TOPIC), (EMOJI_NAME, LONG_TOPIC), ("", None)):
        request = _request(intent, platform, lang, author_name=name, topic=topic, voice=storyteller)
        drafts = template_drafts(request)
        _check(drafts, platform)
        for draft in drafts:
            # a ZWJ family is never split: every joiner still belongs to a whole family
            assert draft.text.count("\u200d") == 3 * draft.text.count(FAMILY) + (
                draft.text.count("🏳️\u200d🌈")
            )
    # with the handle prefix forced (e.g. a platform that would need it), still in limit
    drafts = template_drafts(
        _request(intent, platform, lang, author_handle="h" * 200, mention_author=True)
    )
    _check(drafts, platform)
    assert all(d.text.startswith("@" + "h" * 200 + " ") for d in drafts)


def test_emoji_names_are_greeted_whole() -> None:
    request = _request(Intent.PRAISE, Platform.BLUESKY, "en", author_name=f"Zoé {FAMILY}")
    drafts = template_drafts(request)
    assert any(f"Zoé {FAMILY}" in d.text for d in drafts)


@pytest.mark.parametrize(("intent", "platform", "lang"), CASES)
def test_avoided_words_never_appear(intent: Intent, platform: Platform, lang: str) -> None:
    avoid = AVOID[lang]
    pattern = regex.compile(
        r"(?<![\p{L}\p{N}_])(" + "|".join(map(regex.escape, avoid)) + r")(?![\p{L}\p{N}_])",
        regex.IGNORECASE,
    )
    for tone in Tone:
        voice = Voice(tone=tone, avoid_words=avoid)
        # the author's name and the topic may contain them too
        request = _request(
            intent, platform, lang, voice=voice, author_name="Great Love", topic="super question"
        )
        drafts = template_drafts(request)
        _check(drafts, platform)
        for draft in drafts:
            assert not pattern.search(draft.text), draft.text


@pytest.mark.parametrize("intent", list(Intent))
@pytest.mark.parametrize("platform", list(Platform))
def test_tu_and_vous_are_respected(intent: Intent, platform: Platform) -> None:
    for tone in Tone:
        tu = template_drafts(
            _request(intent, platform, "fr", voice=Voice(tone=tone, formality=Formality.TU))
        )
        vous = template_drafts(
            _request(intent, platform, "fr", voice=Voice(tone=tone, formality=Formality.VOUS))
        )
        for draft in tu:
            assert not WORDS_TU.search(draft.text), draft.text
        for draft in vous:
            assert not WORDS_VOUS.search(draft.text), draft.text
    addressed = [d for d in tu if regex.search(r"(?<!\p{L})(tu|te|toi|ton|ta|tes|t')", d.text)]
    assert addressed, "French drafts should address the person"


def test_french_gets_french_and_other_languages_get_english() -> None:
    same = {"item_id": "one-item", "text": "Wie funktioniert der Export?"}
    fr = template_drafts(_request(Intent.QUESTION, Platform.X, "fr", **same))
    en = template_drafts(_request(Intent.QUESTION, Platform.X, "en", **same))
    de = template_drafts(_request(Intent.QUESTION, Platform.X, "de", **same))
    fr_ca = template_drafts(_request(Intent.QUESTION, Platform.X, "fr-CA", **same))
    assert all("Merci" in d.text or "Bonne" in d.text or "Avec" in d.text for d in fr)
    assert all(regex.search(r"(Thanks|Good|Happy|Hi)", d.text) for d in en)
    assert [d.text for d in de] == [d.text for d in en]
    assert [d.text for d in fr_ca] == [d.text for d in fr]


def test_the_same_item_gets_the_same_drafts_and_ids_vary_the_wording() -> None:
    first = template_drafts(_request(Intent.PRAISE, Platform.BLUESKY, "en"))
    again = template_drafts(_request(Intent.PRAISE, Platform.BLUESKY, "en"))
    assert first == again
    seen = {
        tuple(
            d.text
            for d in template_drafts(
                _request(Intent.PRAISE, Platform.BLUESKY, "en", item_id=f"id-{n}")
            )
        )
        for n in range(20)
    }
    assert len(seen) > 1


def test_angles_differ_in_substance_for_questions_and_complaints() -> None:
    question = template_drafts(_request(Intent.QUESTION, Platform.X, "en"))
    assert [d.angle for d in question] == ["answer", "clarify", "resource"]
    assert "here" in question[0].text
    assert "?" in question[1].text
    assert "DM" in question[2].text
    complaint = template_drafts(_request(Intent.COMPLAINT, Platform.X, "en"))
    assert [d.angle for d in complaint] == ["empathy_dm", "acknowledge", "escalate"]
    assert all(regex.search(r"(?i)sorry|apolog", d.text) for d in complaint)


def test_emoji_setting_and_punchy_tone() -> None:
    emoji = regex.compile(r"\p{Extended_Pictographic}")
    without = Voice(emoji=False)
    for intent in Intent:
        for draft in template_drafts(_request(intent, Platform.X, "en", voice=without)):
            assert not emoji.search(draft.text), draft.text
    topic = "dark mode"
    full = template_drafts(_request(Intent.QUOTE, Platform.X, "en", topic=topic))
    punchy = template_drafts(
        _request(Intent.QUOTE, Platform.X, "en", topic=topic, voice=Voice(tone=Tone.PUNCHY))
    )
    assert any(topic in d.text for d in full)
    assert not any(topic in d.text for d in punchy)
    assert sum(d.length for d in punchy) < sum(d.length for d in full)


def test_empty_name_leaves_no_dangling_punctuation() -> None:
    for lang, intent in itertools.product(("fr", "en"), Intent):
        request = _request(intent, Platform.BLUESKY, lang, author_name="", author_handle="")
        for draft in template_drafts(request):
            assert not regex.search(r"\s[,.]|,\s*[,!?.]|\(\s*\)|\s{2}", draft.text), draft.text


async def test_template_drafter_is_a_provider() -> None:
    request = _request(Intent.FOLLOW, Platform.BLUESKY, "fr", voice=Voice(brand_name="Plume"))
    drafts = await TemplateDrafter().drafts(request)
    assert drafts == template_drafts(request)
    assert any("Plume" in d.text for d in drafts)


def test_optional_topic_segments_read_well_with_and_without_a_topic() -> None:
    for lang, intent, topic in itertools.product(("fr", "en"), Intent, ("dark mode", "")):
        for seed in range(6):
            request = _request(intent, Platform.BLUESKY, lang, topic=topic, item_id=f"s{seed}")
            for draft in template_drafts(request):
                # an optional topic never doubles its alternative, and no "about" dangles
                assert not regex.search(r"[”»] (this|ce sujet)\b", draft.text), draft.text
                assert not regex.search(r"(?i)\b(about|on) sometime\b", draft.text)


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_draft_exactly_at_the_limit_is_kept_and_one_over_is_trimmed(
    platform: Platform, lang: str
) -> None:
    def drafts(signoff: str) -> list[Draft]:
        voice = Voice(tone=Tone.STORYTELLING, signoff=signoff)
        return template_drafts(_request(Intent.PRAISE, platform, lang, voice=voice))

    story = {"fr": "qui nous font avancer.", "en": "why we do this."}[lang]
    base = drafts("— A")[0]
    assert story in base.text
    pad = base.limit - base.length
    exact = drafts("— A" + "a" * pad)[0]
    assert exact.length == exact.limit
    assert story in exact.text
    over = drafts("— A" + "a" * (pad + 1))[0]
    assert over.length <= over.limit
    assert over.text.endswith("— A" + "a" * (pad + 1))  # the sign-off stays whole
    # a shorter wording, or the same one without the optional story, took its place
    body = over.text.removesuffix("— A" + "a" * (pad + 1))
    assert body != exact.text.removesuffix("— A" + "a" * pad)
    assert not body.rstrip().endswith("…")


def test_item_text_near_the_limit_with_a_long_hashtag() -> None:
    text = ("Franchement bravo pour la mise à jour, " * 7)[:260] + " #" + "Plume" * 8
    for platform in Platform:
        request = _request(Intent.PRAISE, platform, "fr", text=text, topic=None)
        drafts = template_drafts(request)
        _check(drafts, platform)
        assert any("PlumePlume" in d.text for d in drafts)  # the hashtag became the topic


@pytest.mark.parametrize(
    ("display", "greeted"),
    [
        ("Nathan Rousseau", "Nathan"),
        ("Marie-Claire Dubois", "Marie-Claire"),
        ("Jean Paul Sartre", "Jean"),
        ("Le Monde", "Le Monde"),
        ("Dr Smith", "Dr Smith"),
        ("PlumeNotes", "PlumeNotes"),
        ("nathan rousseau", "nathan rousseau"),
        (f"Zoé {FAMILY}", f"Zoé {FAMILY}"),
    ],
)
def test_people_are_greeted_by_their_first_name(display: str, greeted: str) -> None:
    request = _request(Intent.PRAISE, Platform.BLUESKY, "en", author_name=display)
    texts = [d.text for d in template_drafts(request)]
    assert any(greeted in t for t in texts)
    if greeted != display:
        assert not any(display in t for t in texts)
