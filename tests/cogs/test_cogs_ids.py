from datetime import UTC, datetime

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


def test_a_hashed_reference_carries_the_creation_second():
    external = "at://did:web:" + "very-long-host." * 10 + "example/app.bsky.feed.post/3k"
    created = datetime(2026, 3, 10, 8, 0, 59, 999_999, tzinfo=UTC)
    second = int(created.timestamp())
    for action in _ids.ACTIONS:
        value = _ids.custom_id(action, Platform.BLUESKY, external, created)
        assert len(value) <= 100
        ref = _ids.parse(value)[2]
        assert ref == _ids.hash_ref(external, created) == f"{_ids.hash_ref(external)}@{second}"
        assert _ids.split_hash_ref(ref) == (_ids.hash_ref(external), second)
        # A button rebuilt from its custom id (after a restart) keeps the same custom id.
        assert _ids.custom_id(action, Platform.BLUESKY, ref) == value
    token = _ids.item_token(Platform.BLUESKY, external, created)
    assert _ids.parse_token(token) == (Platform.BLUESKY, f"{_ids.hash_ref(external)}@{second}")
    assert _ids.split_hash_ref(_ids.hash_ref(external)) == (_ids.hash_ref(external), None)
    assert _ids.split_hash_ref("#abc@later") is None
    assert _ids.split_hash_ref("plc:abc/p/3k") is None
    # Short ids are carried verbatim whatever the time.
    assert _ids.custom_id("reply", Platform.X, "186", created) == "eb:reply:x:186"


def test_bad_custom_ids_are_rejected():
    assert _ids.parse("eb:explode:b:x") is None
    assert _ids.parse("other:reply:b:x") is None
    assert _ids.parse_token("https://bsky.app/profile/a/post/b") is None
    assert _ids.parse_token("q:123") is None
    with pytest.raises(ValueError, match="unknown action"):
        _ids.custom_id("explode", Platform.X, "1")
