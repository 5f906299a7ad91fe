"""Raw Bluesky notifications shaped like app.bsky.notification.listNotifications items."""

from __future__ import annotations

from typing import Any

BRAND = "did:plc:brandbrandbrandbrand00"
ALICE = "did:plc:aliceaaaaaaaaaaaaaaaaaa"
CID = "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
CID2 = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"
BRAND_POST = f"at://{BRAND}/app.bsky.feed.post/3kbrandpost22"
BRAND_REPLY = f"at://{BRAND}/app.bsky.feed.post/3kbrandreply2"


def author(did: str = ALICE, handle: str = "alice.bsky.social") -> dict[str, Any]:
    return {
        "did": did,
        "handle": handle,
        "displayName": "Alice",
        "createdAt": "2024-01-02T03:04:05.000Z",
    }


def notification(
    reason: str,
    rkey: str,
    *,
    record: dict[str, Any] | None = None,
    indexed_at: str = "2026-03-10T09:00:00.000Z",
    reason_subject: str | None = None,
    collection: str = "app.bsky.feed.post",
    who: dict[str, Any] | None = None,
) -> dict[str, Any]:
    who = who or author()
    item: dict[str, Any] = {
        "uri": f"at://{who['did']}/{collection}/{rkey}",
        "cid": CID2,
        "author": who,
        "reason": reason,
        "record": record
        if record is not None
        else {"$type": collection, "createdAt": "2026-03-10T08:59:59.000Z"},
        "isRead": False,
        "indexedAt": indexed_at,
    }
    if reason_subject:
        item["reasonSubject"] = reason_subject
    return item


def post_record(text: str, *, langs: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2026-03-10T08:59:58.000Z",
        **extra,
    }
    if langs is not None:
        record["langs"] = langs
    return record


def reply_ref(root: str, parent: str) -> dict[str, Any]:
    return {"root": {"uri": root, "cid": CID}, "parent": {"uri": parent, "cid": CID}}
