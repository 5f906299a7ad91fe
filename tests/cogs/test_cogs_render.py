import discord
import pytest
from _discord_cards import card, page

from cogs import _limits
from cogs.ports import ItemState, ItemStatus, Section
from cogs.render import card_embed, digest_messages, format_waiting, summary_embed
from engagement.models import Platform


def _total(message):
    return sum(len(e) for e in message.embeds)


def test_truncate_keeps_limits_and_marks_the_cut():
    assert _limits.truncate("short", 10) == "short"
    cut = _limits.truncate("word " * 100, 50)
    assert len(cut) <= 50
    assert cut.endswith("…")
    assert len(_limits.truncate("x" * 5000, 4096)) == 4096
    with pytest.raises(ValueError, match="at least 1"):
        _limits.truncate("x", 0)


def test_card_embed_is_within_limits_even_for_huge_text():
    huge = card(1, text="é" * 10_000, handle="h" * 300)
    embed = card_embed(huge)
    assert _limits.embed_fits(embed)
    assert len(embed.title) <= 256
    assert embed.description.startswith("> ")


def test_card_embed_shows_author_language_reasons_waiting_and_claim():
    claimed = card(2, state=ItemState(ItemStatus.CLAIMED, by_id="42", by_name="Léa"))
    embed = card_embed(claimed).to_dict()
    values = {f["name"]: f["value"] for f in embed["fields"]}
    assert values["Language"] == "🇫🇷"
    assert values["Waiting"] == "2 h 0 min"
    assert "question" in values["Why"]
    assert values["Status"].startswith("✋ Claimed by <@42>")
    assert embed["url"].startswith("https://bsky.app/")


def test_english_and_x_items_render():
    embed = card_embed(card(3, platform=Platform.X, text="Is the API down?", language="en"))
    assert "X" in embed.title
    assert {f.name: f.value for f in embed.fields}["Language"] == "🇬🇧"


def test_digest_with_more_cards_than_one_message_is_split_for_webhooks():
    cards = [card(i, text="Texte " * 150) for i in range(1, 24)]
    cards += [card(100 + i, section=Section.THANK, kind="repost", text="") for i in range(5)]
    messages = digest_messages(page(cards), one_card_per_message=False)
    assert len(messages[0].embeds) == 1  # summary first
    embeds = [e for m in messages[1:] for e in m.embeds]
    assert len(embeds) == len(cards)  # nothing lost, order kept
    footers = [e.footer.text for e in embeds]
    assert footers == [card_embed(c).footer.text for c in cards]
    for message in messages:
        assert len(message.embeds) <= 10
        assert _total(message) <= 6000
        assert all(_limits.embed_fits(e) for e in message.embeds)
    assert len(messages) > 3
    assert messages[1].content == "**Comments to answer**"
    assert any(m.content == "**People to thank**" for m in messages)


def test_digest_for_the_bot_has_one_card_per_message():
    cards = [card(i) for i in range(1, 4)]
    messages = digest_messages(page(cards))
    assert [m.card for m in messages[1:]] == cards
    assert messages[0].card is None


def test_summary_counts_sections_and_caps():
    p = page([card(1)])
    p = type(p)(
        **{
            **{f: getattr(p, f) for f in p.__dataclass_fields__},
            "section_totals": {Section.ANSWER: 12},
            "breaches": ("x @a waiting >24 h",),
        }
    )
    embed = summary_embed(p)
    assert "12 (top 1 shown)" in embed.description
    assert any(f.name == "Service level" for f in embed.fields)


def test_pack_refuses_an_oversized_embed():
    bad = discord.Embed(title="t" * 300)
    with pytest.raises(ValueError, match="exceeds"):
        _limits.pack_embeds([bad])


@pytest.mark.parametrize(("minutes", "text"), [(5, "5 min"), (65, "1 h 5 min"), (1500, "1 d 1 h")])
def test_format_waiting(minutes, text):
    from datetime import timedelta

    assert format_waiting(timedelta(minutes=minutes)) == text
