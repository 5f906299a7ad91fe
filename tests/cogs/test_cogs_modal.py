"""The reply modal's text box: Discord's maximum, and a prefill fitted the platform's way."""

from cogs import _limits
from cogs.modals import ReplyModal, prefill, text_back
from engagement.drafting import ELLIPSIS, graphemes, length
from engagement.models import Platform


def test_an_overlong_draft_is_shortened_at_a_word_never_mid_word():
    draft = "Merci beaucoup pour votre retour détaillé " * 12  # 504 characters
    for platform, limit in ((Platform.BLUESKY, 300), (Platform.X, 280)):
        fitted = prefill(draft, platform, limit)
        assert fitted is not None
        assert length(fitted, platform) <= limit
        assert fitted.endswith(ELLIPSIS)
        kept = fitted.removesuffix(ELLIPSIS).split()
        assert kept == draft.split()[: len(kept)]  # whole words only


def test_a_draft_within_the_platform_count_is_kept_whole():
    # 200 graphemes, 400 characters: fits Bluesky's 300, but not a 300-character slice.
    draft = "👍🏽" * 200
    assert len(draft) == 400
    assert prefill(draft, Platform.BLUESKY, 300) == draft
    # On X a link weighs 23 whatever its length.
    url = "https://example.com/" + "a" * 300
    tweet = f"Thanks! The guide is here: {url}"
    assert len(tweet) > 280
    assert prefill(tweet, Platform.X, 280) == tweet
    assert prefill("  ", Platform.X, 280) is None


def test_a_fitted_draft_over_discords_maximum_is_left_out():
    # 300 graphemes of a letter with many combining marks: 4,500 characters.
    draft = ("a" + "\u0301" * 14) * 300
    assert len(graphemes(draft)) == 300
    assert prefill(draft, Platform.BLUESKY, 300) is None


async def test_the_modal_box_takes_discords_maximum():
    key = (Platform.BLUESKY, "at://did:plc:a/app.bsky.feed.post/1")
    modal = ReplyModal(None, key, "someone", "👍🏽" * 200, 300)  # type: ignore[arg-type]
    assert modal.text.max_length == _limits.TEXT_INPUT_MAX
    assert modal.text.default == "👍🏽" * 200
    x = ReplyModal(None, (Platform.X, "1"), "someone", "", 280)  # type: ignore[arg-type]
    assert x.text.default is None
    assert x.text.max_length == _limits.TEXT_INPUT_MAX


def test_the_text_given_back_is_whole_and_copyable():
    text = "word " * 790 + "end"  # 3,953 characters
    embed = text_back(text)
    assert embed.description == f"```\n{text}\n```"
    assert len(embed.description) <= _limits.DESCRIPTION
    fenced = text_back("see ```this```")
    assert fenced.description == "see ```this```"
