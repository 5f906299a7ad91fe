from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from _bsky_samples import (
    ALICE,
    BRAND,
    BRAND_POST,
    BRAND_REPLY,
    CID,
    author,
    notification,
    post_record,
    reply_ref,
)

from engagement.models import Author, Platform, PostRef
from watchers.bluesky import Mark, WatchState
from watchers.bluesky._cache import TtlCache
from watchers.bluesky._normalize import parse_notice, to_record


def test_reply_keeps_text_language_root_parent_and_subject() -> None:
    raw = notification(
        "reply",
        "3kreply22222a",
        record=post_record(
            "Bonjour, ça marche comment ?",
            langs=["fr-FR"],
            reply=reply_ref(BRAND_POST, BRAND_REPLY),
        ),
    )
    notice = parse_notice(raw)
    assert notice is not None
    record = to_record(notice, BRAND, subject_text="Notre nouvelle appli")
    assert record.platform is Platform.BLUESKY
    assert record.external_id == raw["uri"]
    assert record.cid == raw["cid"]
    assert record.kind == "reply"
    assert record.account_id == BRAND
    assert record.text == "Bonjour, ça marche comment ?"
    assert record.language == "fr"
    assert record.root == PostRef(BRAND_POST, CID)
    assert record.parent == PostRef(BRAND_REPLY, CID)
    assert record.subject == PostRef(BRAND_REPLY, CID)
    assert record.subject_text == "Notre nouvelle appli"
    assert record.created_at == datetime(2026, 3, 10, 8, 59, 58, tzinfo=UTC)
    assert record.indexed_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert record.url == f"https://bsky.app/profile/{ALICE}/post/3kreply22222a"
    assert record.author.handle == "alice.bsky.social"


@pytest.mark.parametrize(
    ("reason", "collection", "record", "subject"),
    [
        (
            "like",
            "app.bsky.feed.like",
            {
                "$type": "app.bsky.feed.like",
                "subject": {"uri": BRAND_POST, "cid": CID},
                "createdAt": "2026-03-10T08:00:00Z",
            },
            PostRef(BRAND_POST, CID),
        ),
        (
            "repost",
            "app.bsky.feed.repost",
            {
                "$type": "app.bsky.feed.repost",
                "subject": {"uri": BRAND_POST, "cid": CID},
                "createdAt": "2026-03-10T08:00:00Z",
            },
            PostRef(BRAND_POST, CID),
        ),
        (
            "quote",
            "app.bsky.feed.post",
            post_record(
                "look at this",
                embed={"$type": "app.bsky.embed.record", "record": {"uri": BRAND_POST, "cid": CID}},
            ),
            PostRef(BRAND_POST, CID),
        ),
        (
            "quote",
            "app.bsky.feed.post",
            post_record(
                "with a picture",
                embed={
                    "$type": "app.bsky.embed.recordWithMedia",
                    "record": {
                        "$type": "app.bsky.embed.record",
                        "record": {"uri": BRAND_POST, "cid": CID},
                    },
                    "media": {"$type": "app.bsky.embed.images", "images": []},
                },
            ),
            PostRef(BRAND_POST, CID),
        ),
        (
            "follow",
            "app.bsky.graph.follow",
            {
                "$type": "app.bsky.graph.follow",
                "subject": BRAND,
                "createdAt": "2026-03-10T08:00:00Z",
            },
            None,
        ),
    ],
)
def test_subjects_per_kind(
    reason: str, collection: str, record: dict, subject: PostRef | None
) -> None:
    raw = notification(
        reason,
        "3kabcabcabc22",
        record=record,
        collection=collection,
        reason_subject=BRAND_POST if subject else None,
    )
    notice = parse_notice(raw)
    assert notice is not None
    result = to_record(notice, BRAND)
    assert result.kind == reason
    assert result.subject == subject
    if reason in ("like", "repost", "follow"):
        assert result.text == ""
        assert result.language is None
    if reason == "follow":
        assert result.url == f"https://bsky.app/profile/{ALICE}"


def test_unknown_reason_is_stored_verbatim() -> None:
    raw = notification(
        "like-via-repost",
        "3kabcabcabc23",
        collection="app.bsky.feed.like",
        record={
            "$type": "app.bsky.feed.like",
            "subject": {"uri": f"at://{BRAND}/app.bsky.feed.repost/3kr", "cid": CID},
            "createdAt": "2026-03-10T08:00:00Z",
        },
        reason_subject=f"at://{BRAND}/app.bsky.feed.repost/3kr",
    )
    notice = parse_notice(raw)
    assert notice is not None
    record = to_record(notice, BRAND)
    assert record.kind == "like-via-repost"
    assert record.known_kind is None


def test_hydrated_author_replaces_the_notification_view() -> None:
    notice = parse_notice(notification("mention", "3kmention2222", record=post_record("hi @brand")))
    assert notice is not None
    hydrated = Author(Platform.BLUESKY, ALICE, "alice.bsky.social", followers_count=1234)
    assert to_record(notice, BRAND, author=hydrated).author.followers_count == 1234
    assert to_record(notice, BRAND).author.followers_count is None


@pytest.mark.parametrize(
    "mutate",
    [
        lambda n: n.pop("uri"),
        lambda n: n.update(indexedAt="yesterday"),
        lambda n: n.update(author={"handle": "no-did.bsky.social"}),
        lambda n: n.update(record="not an object"),
        lambda n: n.update(isRead="maybe"),
    ],
)
def test_malformed_items_are_skipped_with_a_warning_naming_them(
    mutate, caplog: pytest.LogCaptureFixture
) -> None:
    raw = notification("mention", "3kbadbadbad22", record=post_record("hi"))
    mutate(raw)
    with caplog.at_level("WARNING"):
        assert parse_notice(raw) is None
    message = caplog.records[-1].getMessage()
    assert "malformed notification" in message
    assert raw.get("uri", "<no uri>") in message
    assert parse_notice(["not", "a", "dict"]) is None


def test_watch_state_round_trips_and_survives_garbage(caplog: pytest.LogCaptureFixture) -> None:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    state = WatchState(Mark(at, "at://a/b/c"), resume="cur", top=Mark(at, "at://a/b/d"))
    assert WatchState.decode(state.encode()) == state
    assert WatchState.decode(None) == WatchState()
    with caplog.at_level("WARNING"):
        assert WatchState.decode("{not json") == WatchState()
    assert "unreadable stored cursor" in caplog.text
    assert Mark(at, "at://b") > Mark(at, "at://a") > Mark(at - timedelta(seconds=1), "at://z")


def test_ttl_cache_expires_and_evicts_least_recent() -> None:
    now = datetime(2026, 3, 10, tzinfo=UTC)
    cache: TtlCache[str, int] = TtlCache(2, timedelta(minutes=5))
    cache.put("a", 1, now)
    cache.put("b", 2, now)
    assert cache.get("a", now) == (True, 1)  # a is now the most recent
    cache.put("c", 3, now)
    assert cache.get("b", now) == (False, None)  # evicted
    assert cache.get("a", now + timedelta(minutes=5)) == (False, None)  # expired
    assert cache.get("c", now + timedelta(minutes=4)) == (True, 3)
    assert len(cache) == 1
    assert author()["did"] == ALICE
