"""The simulated network's records: posts, likes, reposts, follows and the brand's notifications.

Scenario events are materialized once (URIs, CIDs and records computed up front); visibility is
decided per request from the clock. Records the bot writes are added live.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from engagement.models import Platform
from sandbox._ids import at_uri, format_datetime, record_cid, tid
from sandbox._world import World
from sandbox.scenarios import Event, Persona

__all__ = ["POST_NSID", "Link", "Notice", "Post", "Store"]

POST_NSID = "app.bsky.feed.post"
LIKE_NSID = "app.bsky.feed.like"
REPOST_NSID = "app.bsky.feed.repost"
FOLLOW_NSID = "app.bsky.graph.follow"
_COLLECTION = {"like": LIKE_NSID, "repost": REPOST_NSID, "follow": FOLLOW_NSID}


@dataclass(slots=True)
class Post:
    """A post record and what the AppView knows about it."""

    uri: str
    cid: str
    did: str
    record: dict[str, Any]
    at: datetime
    seq: int | None = None
    root: Post | None = None
    parent: Post | None = None
    quoted: Post | None = None
    deleted: bool = False
    children: list[Post] = field(default_factory=list)
    quotes: list[Post] = field(default_factory=list)
    likes: list[Link] = field(default_factory=list)
    reposts: list[Link] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The post text."""
        return str(self.record.get("text", ""))


@dataclass(slots=True)
class Link:
    """A like, repost or follow record."""

    uri: str
    cid: str
    did: str
    collection: str
    record: dict[str, Any]
    at: datetime
    subject: str
    seq: int | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Notice:
    """One notification for the brand."""

    uri: str
    cid: str
    author: str
    reason: str
    reason_subject: str | None
    record: dict[str, Any]
    at: datetime
    event: Event

    @functools.cached_property
    def indexed_at(self) -> str:
        """``at`` as an atproto datetime string."""
        return format_datetime(self.at)


def _ref(post: Post) -> dict[str, str]:
    return {"uri": post.uri, "cid": post.cid}


def _mention_facets(text: str, handle: str, did: str) -> list[dict[str, Any]]:
    raw, needle = text.encode(), f"@{handle}".encode()
    start = raw.find(needle)
    if start < 0:
        return []
    return [
        {
            "$type": "app.bsky.richtext.facet",
            "index": {"byteStart": start, "byteEnd": start + len(needle)},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
        }
    ]


class Store:
    """Every Bluesky record of the scenario plus the bot's writes."""

    def __init__(self, world: World) -> None:
        self.world = world
        scenario = world.scenario
        self.brand = scenario.brand
        self.profiles: dict[str, Persona] = {p.bsky_did: p for p in scenario.personas}
        self.profiles[self.brand.bsky_did] = self.brand
        self.by_handle = {p.bsky_handle: p for p in self.profiles.values()}
        self.posts: dict[str, Post] = {}
        self.links: dict[str, Link] = {}
        self.by_author: dict[str, list[Post | Link]] = {}
        self.notices: list[Notice] = []
        self.by_seq: dict[int, Post | Link] = {}
        self.seen_at: datetime | None = None
        self.follows: dict[tuple[str, str], list[Link]] = {}
        self.version = 0  # bumped by every write, so views can cache between writes
        for event in scenario.events:
            if event.platform is Platform.BLUESKY:
                self._materialize(event)
        self.notices.sort(key=lambda n: (n.at, n.uri))
        self._notice_times = [n.at for n in self.notices]
        self._brand_follow_times = [n.at for n in self.notices if n.reason == "follow"]

    # -- visibility ------------------------------------------------------------------------
    def delivered_notices(self) -> list[Notice]:
        """Notifications indexed so far, oldest first."""
        return self.notices[: bisect.bisect_right(self._notice_times, self.now())]

    def new_followers(self) -> int:
        """How many scenario follows of the brand have happened."""
        return bisect.bisect_right(self._brand_follow_times, self.now())

    def now(self) -> datetime:
        """Current scenario time."""
        return self.world.now()

    def visible(self, item: Post | Link) -> bool:
        """Whether ``item`` exists at this moment."""
        return not item.deleted and item.at <= self.now()

    def actor(self, actor: str) -> Persona | None:
        """Resolve a handle or DID."""
        return self.profiles.get(actor) or self.by_handle.get(actor.lstrip("@"))

    def post(self, uri: str) -> Post | None:
        """A visible post by URI."""
        post = self.posts.get(uri)
        return post if post is not None and self.visible(post) else None

    # -- scenario --------------------------------------------------------------------------
    def _materialize(self, event: Event) -> None:
        created = self.world.time_of(event)
        indexed = created + timedelta(milliseconds=300 + (event.seq * 137) % 1700)
        rkey = tid(created, event.seq % 1024)
        if event.kind in _COLLECTION:
            self._materialize_link(event, created, indexed, rkey)
        else:
            self._materialize_post(event, created, indexed, rkey)

    def _target(self, seq: int | None) -> Post:
        target = self.by_seq[seq if seq is not None else -1]
        assert isinstance(target, Post)
        return target

    def _materialize_link(
        self, event: Event, created: datetime, indexed: datetime, rkey: str
    ) -> None:
        did, collection = event.author.bsky_did, _COLLECTION[event.kind]
        record: dict[str, Any] = {"$type": collection, "createdAt": format_datetime(created)}
        if event.kind == "follow":
            subject = record["subject"] = self.brand.bsky_did
            reason_subject = None
        else:
            target = self._target(event.subject)
            record["subject"] = _ref(target)
            subject = reason_subject = target.uri
        uri = at_uri(did, collection, rkey)
        link = Link(uri, record_cid(record), did, collection, record, indexed, subject, event.seq)
        self._add_link(link)
        self.by_seq[event.seq] = link
        if event.is_interaction:
            self._notify(event, link.uri, link.cid, record, indexed, reason_subject)

    def _materialize_post(
        self, event: Event, created: datetime, indexed: datetime, rkey: str
    ) -> None:
        did = event.author.bsky_did
        record: dict[str, Any] = {
            "$type": POST_NSID,
            "text": event.text,
            "createdAt": format_datetime(created),
        }
        if event.lang:
            record["langs"] = [event.lang]
        facets = _mention_facets(event.text, self.brand.bsky_handle, self.brand.bsky_did)
        if facets:
            record["facets"] = facets
        parent = root = quoted = None
        reason_subject: str | None = None
        if event.parent is not None:
            parent = self._target(event.parent)
            root = parent.root or parent
            record["reply"] = {"root": _ref(root), "parent": _ref(parent)}
            # The AppView names the parent when it is the brand's, else the thread root.
            reason_subject = parent.uri if parent.did == self.brand.bsky_did else root.uri
        elif event.kind == "quote":
            quoted = self._target(event.subject)
            record["embed"] = {"$type": "app.bsky.embed.record", "record": _ref(quoted)}
            reason_subject = quoted.uri
        uri = at_uri(did, POST_NSID, rkey)
        post = Post(uri, record_cid(record), did, record, indexed, event.seq, root, parent, quoted)
        self._add_post(post)
        self.by_seq[event.seq] = post
        if event.is_interaction:
            self._notify(event, post.uri, post.cid, record, indexed, reason_subject)

    def _notify(
        self,
        event: Event,
        uri: str,
        cid: str,
        record: dict[str, Any],
        at: datetime,
        subject: str | None,
    ) -> None:
        self.notices.append(
            Notice(uri, cid, event.author.bsky_did, event.kind, subject, record, at, event)
        )

    # -- indexes ---------------------------------------------------------------------------
    def _add_post(self, post: Post) -> None:
        self.version += 1
        self.posts[post.uri] = post
        self.by_author.setdefault(post.did, []).append(post)
        if post.parent is not None:
            post.parent.children.append(post)
        if post.quoted is not None:
            post.quoted.quotes.append(post)

    def _add_link(self, link: Link) -> None:
        self.version += 1
        self.links[link.uri] = link
        self.by_author.setdefault(link.did, []).append(link)
        if link.collection == FOLLOW_NSID:
            self.follows.setdefault((link.did, link.subject), []).append(link)
        target = self.posts.get(link.subject)
        if target is not None:
            (target.likes if link.collection == LIKE_NSID else target.reposts).append(link)

    # -- the bot's writes ------------------------------------------------------------------
    def add_post(self, did: str, rkey: str, record: dict[str, Any]) -> Post:
        """Index a post the bot wrote (refs already validated)."""
        parent = root = quoted = None
        reply = record.get("reply")
        if isinstance(reply, dict):
            parent = self.posts[reply["parent"]["uri"]]
            root = self.posts[reply["root"]["uri"]]
        embed = record.get("embed")
        if isinstance(embed, dict) and embed.get("$type") == "app.bsky.embed.record":
            quoted = self.posts.get(embed["record"]["uri"])
        post = Post(
            at_uri(did, POST_NSID, rkey),
            record_cid(record),
            did,
            record,
            self.now(),
            None,
            root,
            parent,
            quoted,
        )
        self._add_post(post)
        return post

    def add_link(self, did: str, collection: str, rkey: str, record: dict[str, Any]) -> Link:
        """Index a like, repost or follow the bot wrote."""
        subject = record["subject"]
        key = subject if isinstance(subject, str) else subject["uri"]
        link = Link(
            at_uri(did, collection, rkey),
            record_cid(record),
            did,
            collection,
            record,
            self.now(),
            key,
        )
        self._add_link(link)
        return link

    def delete(self, item: Post | Link) -> None:
        """Delete a record."""
        item.deleted = True
        self.version += 1

    def existing(self, uri: str) -> Post | Link | None:
        """A live record at ``uri`` (scenario records count once visible)."""
        item: Post | Link | None = self.posts.get(uri) or self.links.get(uri)
        return item if item is not None and self.visible(item) else None

    def backlinks(self, did: str, collection: str, subject: str) -> list[Link]:
        """Live likes/reposts/follows by ``did`` on ``subject`` (replaced by a new one)."""
        if collection == FOLLOW_NSID:
            return [link for link in self.follows.get((did, subject), []) if self.visible(link)]
        return [
            item
            for item in self.by_author.get(did, [])
            if isinstance(item, Link)
            and item.collection == collection
            and item.subject == subject
            and self.visible(item)
        ]
