"""Write to Bluesky as the brand: replies, likes, reposts, follows, and undoing them.

Network only: the record-before-send / confirm-after discipline lives in the composition root
(``bot.publishing``). Every create takes a record key (``rkey``) chosen by the caller; with a
key derived from the recorded action (:func:`watchers.bluesky.tid_for`) a retry after a crash
finds the record it already made instead of making a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from atproto_client import models
from atproto_client.exceptions import BadRequestError, NetworkError, RequestException

from engagement.models import PostRef
from watchers.bluesky._records import uri_parts
from watchers.bluesky._text import build_facets, check_post_length, mention_facet, mention_spans
from watchers.bluesky.hydrator import Hydrator
from watchers.bluesky.session import BlueskySession

log = logging.getLogger(__name__)

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"


@dataclass(frozen=True, slots=True)
class Created:
    """A record the writer created (or found already created under the same key).

    Attributes:
        uri: Its AT-URI.
        cid: Its CID.
        existed: True when the key was already taken by an earlier attempt.
    """

    uri: str
    cid: str
    existed: bool = False


class BlueskyWriter:
    """Creates and deletes records in one account's repository.

    Args:
        session: The account's authenticated client.
        hydrator: Used to look up a parent post whose CID or thread root is unknown.
    """

    def __init__(self, session: BlueskySession, hydrator: Hydrator | None = None) -> None:
        self.session = session
        self.hydrator = hydrator or Hydrator()

    async def reply(
        self,
        parent: PostRef,
        text: str,
        *,
        rkey: str,
        at: datetime,
        root: PostRef | None = None,
        langs: list[str] | None = None,
        known_dids: Mapping[str, str] | None = None,
    ) -> Created:
        """Reply ``text`` under ``parent``.

        Args:
            parent: The post answered (its CID is looked up when missing).
            text: The reply; at most 300 graphemes.
            rkey: The record key to create the reply under.
            at: The reply's ``createdAt`` (the time the action was recorded).
            root: The thread root; looked up (``parent.record.reply.root``) when omitted.
            langs: BCP-47 languages of the text.
            known_dids: Lower-case handle → DID for mentions that need no resolving.

        Raises:
            WriteRefusedError: Empty or longer than 300 graphemes (before any request).
        """
        check_post_length(text)
        if parent.cid is None or root is None:
            info = (await self.hydrator.posts(self.session, [parent.id], at)).get(parent.id)
            if info is None:
                raise LookupError(f"cannot reply: post {parent.id} is not available")
            parent = info.ref
            root = root or info.root or info.ref
        if root.cid is None:
            info = (await self.hydrator.posts(self.session, [root.id], at)).get(root.id)
            if info is None:
                raise LookupError(f"cannot reply: thread root {root.id} is not available")
            root = info.ref
        facets = await self._facets(text, known_dids or {}, at)
        record = models.AppBskyFeedPost.Record(
            text=text,
            created_at=_iso(at),
            reply=models.AppBskyFeedPost.ReplyRef(root=_strong(root), parent=_strong(parent)),
            langs=langs or None,
            facets=facets or None,
        )
        return await self._create(POST, record, rkey, at)

    async def like(self, subject: PostRef, *, rkey: str, at: datetime) -> Created:
        """Like ``subject`` (its CID is required)."""
        record = models.AppBskyFeedLike.Record(created_at=_iso(at), subject=_strong(subject))
        return await self._create(LIKE, record, rkey, at)

    async def repost(self, subject: PostRef, *, rkey: str, at: datetime) -> Created:
        """Repost ``subject`` (its CID is required)."""
        record = models.AppBskyFeedRepost.Record(created_at=_iso(at), subject=_strong(subject))
        return await self._create(REPOST, record, rkey, at)

    async def follow(self, did: str, *, rkey: str, at: datetime) -> Created:
        """Follow the account ``did``."""
        record = models.AppBskyGraphFollow.Record(created_at=_iso(at), subject=did)
        return await self._create(FOLLOW, record, rkey, at)

    async def delete(self, uri: str, at: datetime) -> None:
        """Delete one of the account's records (a reply, like, repost or follow).

        Deleting a record that is already gone succeeds, so an undo can be retried.
        """
        parts = uri_parts(uri)
        if parts is None or parts[0] != self.session.did:
            raise ValueError(f"not a record of this account: {uri}")
        data = models.ComAtprotoRepoDeleteRecord.Data(
            repo=parts[0], collection=parts[1], rkey=parts[2]
        )
        await self.session.call(
            "com.atproto.repo.deleteRecord",
            lambda: self.session.client.com.atproto.repo.delete_record(data),
            at,
        )

    async def _create(
        self, collection: str, record: models.base.RecordModelBase, rkey: str, at: datetime
    ) -> Created:
        await self.session.start()
        did = self.session.did
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=did, collection=collection, record=record, rkey=rkey, validate_=True
        )
        try:
            response = await self.session.call(
                "com.atproto.repo.createRecord",
                lambda: self.session.client.com.atproto.repo.create_record(data),
                at,
            )
        except (BadRequestError, NetworkError, RequestException):
            existing = await self._existing(collection, rkey, at)
            if existing is None:
                raise
            log.info("bluesky: %s/%s already created by an earlier attempt", collection, rkey)
            return existing
        return Created(uri=str(response.uri), cid=str(response.cid))

    async def _existing(self, collection: str, rkey: str, at: datetime) -> Created | None:
        params = models.ComAtprotoRepoGetRecord.Params(
            repo=self.session.did, collection=collection, rkey=rkey
        )
        try:
            content = await self.session.query("com.atproto.repo.getRecord", params, at)
        except (BadRequestError, RequestException):
            return None
        uri, cid = content.get("uri"), content.get("cid")
        if not isinstance(uri, str) or not isinstance(cid, str):
            return None
        return Created(uri=uri, cid=cid, existed=True)

    async def _facets(
        self, text: str, known: Mapping[str, str], at: datetime
    ) -> list[models.AppBskyRichtextFacet.Main]:
        facets, unresolved = build_facets(text, known)
        if not unresolved:
            return facets
        dids: dict[str, str] = {}
        for handle in dict.fromkeys(unresolved):
            did = await self._resolve(handle, at)
            if did is not None:
                dids[handle] = did
        for handle, start, end in mention_spans(text):
            if handle in dids:
                facets.append(mention_facet(start, end, dids[handle]))
        facets.sort(key=lambda facet: facet.index.byte_start)
        return facets

    async def _resolve(self, handle: str, at: datetime) -> str | None:
        params = models.ComAtprotoIdentityResolveHandle.Params(handle=handle)
        try:
            content = await self.session.query("com.atproto.identity.resolveHandle", params, at)
        except BadRequestError:
            log.info("bluesky: @%s does not resolve; left as plain text", handle)
            return None
        did = content.get("did")
        return did if isinstance(did, str) else None


def _strong(ref: PostRef) -> models.ComAtprotoRepoStrongRef.Main:
    if ref.cid is None:
        raise ValueError(f"a strong reference needs a CID: {ref.id}")
    return models.ComAtprotoRepoStrongRef.Main(uri=ref.id, cid=ref.cid)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
