"""AppView shapes (``app.bsky.*.defs``) rendered from the store, as the brand sees them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sandbox._ids import format_datetime
from sandbox.bluesky._store import Link, Notice, Post, Store
from sandbox.scenarios import Persona

__all__ = ["Views"]


class Views:
    """Renders profiles, posts, threads and notifications for one viewer (the brand)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._created_at: dict[str, str] = {}
        self._basic: dict[str, tuple[tuple[int, datetime], dict[str, Any]]] = {}

    # -- profiles ----------------------------------------------------------------------------
    def _created(self, persona: Persona) -> str:
        created = self._created_at.get(persona.bsky_did)
        if created is None:
            epoch = self.store.world.epoch
            created = format_datetime(epoch - timedelta(days=persona.created_days_ago))
            self._created_at[persona.bsky_did] = created
        return created

    def _viewer(self, persona: Persona) -> dict[str, Any]:
        store, brand = self.store, self.store.brand.bsky_did
        viewer: dict[str, Any] = {"muted": False, "blockedBy": False}
        if persona.bsky_did == brand:
            return viewer
        following = store.backlinks(brand, "app.bsky.graph.follow", persona.bsky_did)
        followed_by = store.backlinks(persona.bsky_did, "app.bsky.graph.follow", brand)
        if following:
            viewer["following"] = following[-1].uri
        if followed_by:
            viewer["followedBy"] = followed_by[-1].uri
        return viewer

    def profile_basic(self, persona: Persona) -> dict[str, Any]:
        """``app.bsky.actor.defs#profileViewBasic`` (cached until the next write or tick)."""
        key = (self.store.version, self.store.now())
        cached = self._basic.get(persona.bsky_did)
        if cached is not None and cached[0] == key:
            return dict(cached[1])
        view: dict[str, Any] = {
            "did": persona.bsky_did,
            "handle": persona.bsky_handle,
            "displayName": persona.display_name,
            "viewer": self._viewer(persona),
            "labels": [],
            "createdAt": self._created(persona),
        }
        if persona.flavor != "spam":
            view["avatar"] = (
                f"https://cdn.bsky.app/img/avatar/plain/{persona.bsky_did}/sandbox@jpeg"
            )
        self._basic[persona.bsky_did] = (key, view)
        return dict(view)

    def profile(self, persona: Persona) -> dict[str, Any]:
        """``app.bsky.actor.defs#profileView``."""
        view = self.profile_basic(persona)
        view["description"] = persona.bio
        view["indexedAt"] = view["createdAt"]
        return view

    def profile_detailed(self, persona: Persona) -> dict[str, Any]:
        """``app.bsky.actor.defs#profileViewDetailed`` with counts."""
        view = self.profile(persona)
        followers = persona.followers
        if persona.bsky_did == self.store.brand.bsky_did:
            followers += self.store.new_followers()
        view.update(
            followersCount=followers,
            followsCount=persona.follows,
            postsCount=persona.posts,
        )
        return view

    # -- posts -------------------------------------------------------------------------------
    def _count(self, items: list[Post] | list[Link]) -> int:
        return sum(1 for item in items if self.store.visible(item))

    def _embed_view(self, post: Post) -> dict[str, Any] | None:
        quoted = post.quoted
        if quoted is None:
            return None
        if not self.store.visible(quoted):
            return {
                "$type": "app.bsky.embed.record#view",
                "record": {
                    "$type": "app.bsky.embed.record#viewNotFound",
                    "uri": quoted.uri,
                    "notFound": True,
                },
            }
        author = self.store.profiles[quoted.did]
        return {
            "$type": "app.bsky.embed.record#view",
            "record": {
                "$type": "app.bsky.embed.record#viewRecord",
                "uri": quoted.uri,
                "cid": quoted.cid,
                "author": self.profile_basic(author),
                "value": quoted.record,
                "labels": [],
                "likeCount": self._count(quoted.likes),
                "replyCount": self._count(quoted.children),
                "repostCount": self._count(quoted.reposts),
                "quoteCount": self._count(quoted.quotes),
                "indexedAt": format_datetime(quoted.at),
            },
        }

    def post(self, post: Post) -> dict[str, Any]:
        """``app.bsky.feed.defs#postView``."""
        brand = self.store.brand.bsky_did
        viewer: dict[str, Any] = {"threadMuted": False, "embeddingDisabled": False}
        for link in post.likes + post.reposts:
            if link.did == brand and self.store.visible(link):
                viewer["like" if link.collection.endswith("like") else "repost"] = link.uri
        view: dict[str, Any] = {
            "uri": post.uri,
            "cid": post.cid,
            "author": self.profile_basic(self.store.profiles[post.did]),
            "record": post.record,
            "replyCount": self._count(post.children),
            "repostCount": self._count(post.reposts),
            "likeCount": self._count(post.likes),
            "quoteCount": self._count(post.quotes),
            "bookmarkCount": 0,
            "indexedAt": format_datetime(post.at),
            "viewer": viewer,
            "labels": [],
        }
        embed = self._embed_view(post)
        if embed is not None:
            view["embed"] = embed
        return view

    def thread(self, post: Post, depth: int, parent_height: int) -> dict[str, Any]:
        """``app.bsky.feed.defs#threadViewPost`` with parents and replies."""
        view = self._thread_down(post, depth)
        node, current, height = view, post.parent, 0
        while current is not None and height < parent_height:
            if not self.store.visible(current):
                node["parent"] = {
                    "$type": "app.bsky.feed.defs#notFoundPost",
                    "uri": current.uri,
                    "notFound": True,
                }
                break
            parent_view = {"$type": "app.bsky.feed.defs#threadViewPost", "post": self.post(current)}
            node["parent"] = parent_view
            node, current, height = parent_view, current.parent, height + 1
        return view

    def _thread_down(self, post: Post, depth: int) -> dict[str, Any]:
        view: dict[str, Any] = {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": self.post(post),
        }
        if depth > 0:
            view["replies"] = [
                self._thread_down(child, depth - 1)
                for child in post.children
                if self.store.visible(child)
            ]
        return view

    def feed_item(self, item: Post | Link) -> dict[str, Any]:
        """``app.bsky.feed.defs#feedViewPost`` for a post or a repost by the feed's author."""
        if isinstance(item, Link):
            target = self.store.posts[item.subject]
            return {
                "post": self.post(target),
                "reason": {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "by": self.profile_basic(self.store.profiles[item.did]),
                    "uri": item.uri,
                    "cid": item.cid,
                    "indexedAt": format_datetime(item.at),
                },
            }
        view: dict[str, Any] = {"post": self.post(item)}
        if item.parent is not None and item.root is not None:
            view["reply"] = {
                "root": self._ref_view(item.root),
                "parent": self._ref_view(item.parent),
            }
        return view

    def _ref_view(self, post: Post) -> dict[str, Any]:
        if not self.store.visible(post):
            return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": post.uri, "notFound": True}
        return {"$type": "app.bsky.feed.defs#postView", **self.post(post)}

    # -- notifications -------------------------------------------------------------------------
    def notification(self, notice: Notice) -> dict[str, Any]:
        """``app.bsky.notification.listNotifications#notification``."""
        seen = self.store.seen_at
        view: dict[str, Any] = {
            "uri": notice.uri,
            "cid": notice.cid,
            "author": self.profile(self.store.profiles[notice.author]),
            "reason": notice.reason,
            "record": notice.record,
            "isRead": seen is not None and notice.at <= seen,
            "indexedAt": notice.indexed_at,
            "labels": [],
        }
        if notice.reason_subject is not None:
            view["reasonSubject"] = notice.reason_subject
        return view
