"""Parsing X API v2 mention timelines into InteractionRecords."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.models import InteractionKind, Platform, PostRef
from watchers.x import MentionsCursor, classify, mentions_account, parse_timeline

BRAND = "1000"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _tweet(tweet_id: str, text: str, **extra: object) -> dict[str, object]:
    return {
        "id": tweet_id,
        "text": text,
        "author_id": "2000",
        "created_at": "2026-03-02T10:00:00.000Z",
        "conversation_id": tweet_id,
        "lang": "fr",
        **extra,
    }


USER = {
    "id": "2000",
    "username": "alice",
    "name": "Alice",
    "created_at": "2020-01-01T00:00:00.000Z",
    "description": "bio",
    "verified": True,
    "profile_image_url": "https://pbs.example/a.jpg",
    "public_metrics": {"followers_count": 42, "following_count": 7, "tweet_count": 99},
}


def _page(data: list[dict[str, object]], includes_key: str = "tweets") -> dict[str, object]:
    brand_post = {"id": "500", "text": "Our launch!", "author_id": BRAND}
    return {
        "data": data,
        "includes": {"users": [USER], includes_key: [brand_post]},
        "meta": {"newest_id": "903", "oldest_id": "901", "result_count": len(data)},
    }


def test_mention_reply_and_quote_are_told_apart_from_referenced_tweets() -> None:
    reply = _tweet(
        "902",
        "@brand when?",
        conversation_id="500",
        in_reply_to_user_id=BRAND,
        referenced_tweets=[{"type": "replied_to", "id": "500"}],
    )
    quote = _tweet("901", "look", referenced_tweets=[{"type": "quoted", "id": "500"}])
    mention = _tweet("903", "hello @brand")
    page = parse_timeline(_page([mention, reply, quote]), account_id=BRAND, now=NOW)
    kinds = {r.external_id: r.kind for r in page.records}
    assert kinds == {
        "903": InteractionKind.MENTION,
        "902": InteractionKind.REPLY,
        "901": InteractionKind.QUOTE,
    }
    by_id = {r.external_id: r for r in page.records}
    assert by_id["902"].parent == PostRef("500")
    assert by_id["902"].root == PostRef("500")
    assert by_id["902"].subject == PostRef("500")
    assert by_id["902"].subject_text == "Our launch!"
    assert by_id["901"].subject == PostRef("500")
    assert by_id["901"].root is None
    assert by_id["903"].subject is None
    assert page.newest_id == "903"
    assert (page.posts, page.users, page.included_posts) == (3, 1, 1)


def test_includes_posts_spelling_is_understood() -> None:
    reply = _tweet(
        "902", "x", conversation_id="500", referenced_tweets=[{"type": "replied_to", "id": "500"}]
    )
    page = parse_timeline(_page([reply], includes_key="posts"), account_id=BRAND, now=NOW)
    assert page.records[0].subject_text == "Our launch!"
    assert page.included_posts == 1


def test_author_and_fields_are_mapped() -> None:
    page = parse_timeline(_page([_tweet("903", "hi")]), account_id=BRAND, now=NOW)
    record = page.records[0]
    assert record.platform is Platform.X
    assert record.account_id == BRAND
    assert record.language == "fr"
    assert record.created_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert record.indexed_at == NOW
    assert record.url == "https://x.com/alice/status/903"
    author = record.author
    assert (author.handle, author.display_name, author.followers_count) == ("alice", "Alice", 42)
    assert (author.follows_count, author.posts_count, author.verified) == (7, 99, True)
    assert author.account_created_at == datetime(2020, 1, 1, tzinfo=UTC)
    assert author.avatar_url == "https://pbs.example/a.jpg"


def test_deep_reply_subject_is_the_conversation_root() -> None:
    # A reply to another person's reply inside the brand's thread: the subject is the root.
    deep = _tweet(
        "904",
        "@bob @brand agreed",
        conversation_id="500",
        in_reply_to_user_id="3000",
        referenced_tweets=[{"type": "replied_to", "id": "800"}],
    )
    record = parse_timeline(_page([deep]), account_id=BRAND, now=NOW).records[0]
    assert record.kind == InteractionKind.REPLY
    assert record.parent == PostRef("800")
    assert record.subject == PostRef("500")


def test_bad_items_are_skipped_and_partial_errors_kept() -> None:
    payload = _page([_tweet("903", "ok"), {"text": "no id"}, "garbage"])  # type: ignore[list-item]
    payload["errors"] = [{"title": "Not Found Error", "detail": "Could not find user 9"}]
    page = parse_timeline(payload, account_id=BRAND, now=NOW)
    assert [r.external_id for r in page.records] == ["903"]
    assert page.skipped == 1
    assert page.errors[0]["title"] == "Not Found Error"


def test_missing_author_degrades_to_the_id_and_unknown_language_to_none() -> None:
    tweet = _tweet("903", "hi", author_id="777", lang="und", created_at="not a date")
    page = parse_timeline({"data": [tweet], "meta": {}}, account_id=BRAND, now=NOW)
    record = page.records[0]
    assert record.author.handle == "777"
    assert record.language is None
    assert record.created_at == NOW


def test_empty_page() -> None:
    page = parse_timeline({"meta": {"result_count": 0}}, account_id=BRAND, now=NOW)
    assert page.records == ()
    assert page.newest_id is None
    assert MentionsCursor(since_id="5").after(page) == MentionsCursor(since_id="5")


def test_mentions_account_by_id_username_or_text() -> None:
    assert mentions_account({"entities": {"mentions": [{"id": BRAND}]}}, BRAND)
    assert mentions_account({"entities": {"mentions": [{"username": "Brand"}]}}, "x", "brand")
    assert mentions_account({"text": "hey @BRAND"}, "x", "brand")
    assert not mentions_account({"text": "hey @brandx2", "entities": {}}, "x", "brandx")
    assert not mentions_account({"text": "no mention"}, BRAND, "brand")


def test_classify_prefers_quote() -> None:
    refs = [{"type": "replied_to", "id": "1"}, {"type": "quoted", "id": "2"}]
    assert classify({"referenced_tweets": refs}) == InteractionKind.QUOTE
    assert classify({"referenced_tweets": "junk"}) == InteractionKind.MENTION


def test_cursor_sweep_moves_since_id_only_at_the_end() -> None:
    first = parse_timeline(
        {
            "data": [_tweet("30", "a")],
            "meta": {"newest_id": "30", "oldest_id": "20", "next_token": "t1"},
        },
        account_id=BRAND,
        now=NOW,
    )
    mid = MentionsCursor(since_id="10").after(first)
    assert mid == MentionsCursor(since_id="10", until_id="20", sweep_newest="30")
    assert mid.sweeping
    last = parse_timeline(
        {"data": [_tweet("15", "b")], "meta": {"newest_id": "15", "oldest_id": "11"}},
        account_id=BRAND,
        now=NOW,
    )
    done = mid.after(last)
    assert done == MentionsCursor(since_id="30")
    assert MentionsCursor.decode(mid.encode()) == mid
    assert MentionsCursor.decode("12345") == MentionsCursor(since_id="12345")
    assert MentionsCursor.decode(None) == MentionsCursor()
