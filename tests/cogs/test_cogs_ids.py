import pytest

from cogs import _ids
from engagement.models import Platform


@pytest.mark.parametrize(
    ("platform", "external"),
    [
        (
            Platform.BLUESKY,
            "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabcdefghijk",
        ),
        (Platform.BLUESKY, "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.graph.follow/3kzz"),
        (Platform.BLUESKY, "at://did:web:example.com/app.bsky.feed.like/3kab"),
        (Platform.X, "1860000000000000001"),
    ],
)
@pytest.mark.parametrize("action", _ids.ACTIONS)
def test_custom_id_round_trips_within_limit(platform, external, action):
    value = _ids.custom_id(action, platform, external)
    assert len(value) <= 100
    assert _ids.parse(value) == (action, platform, external)
    assert _ids.parse_token(_ids.item_token(platform, external)) == (platform, external)


def test_overlong_reference_is_hashed_and_stays_within_limit():
    external = "at://did:web:" + "very-long-host." * 10 + "example/app.bsky.feed.post/3k"
    value = _ids.custom_id("dismiss", Platform.BLUESKY, external)
    assert len(value) <= 100
    action, platform, ref = _ids.parse(value)
    assert (action, platform) == ("dismiss", Platform.BLUESKY)
    assert ref == _ids.hash_ref(external)


def test_bad_custom_ids_are_rejected():
    assert _ids.parse("eb:explode:b:x") is None
    assert _ids.parse("other:reply:b:x") is None
    assert _ids.parse_token("https://bsky.app/profile/a/post/b") is None
    assert _ids.parse_token("q:123") is None
    with pytest.raises(ValueError, match="unknown action"):
        _ids.custom_id("explode", Platform.X, "1")
