"""The Bluesky :class:`engagement.ports.Publisher`: idempotent replies, likes, reposts, follows.

Keys (one per intended effect, so a double click or a retry acts once):

* reply: ``bluesky:reply:<account>:<item>:<digest of text>``
* like / repost: ``bluesky:<like|repost>:<account>:<post>:<generation>``
* follow: ``bluesky:follow:<account>:<author DID>:<generation>``
* undo: the same with ``un`` in front of the verb, for the generation it undoes.
* delete of a reply (``WriteKind.DELETE_REPLY``): the reply's key + ``:deleted``.

The generation counts confirmed undos, so like → unlike → like creates a second like. Record
keys are TIDs derived from the key and the recorded time (:func:`watchers.bluesky.tid_for`), so
a write resent after a crash finds the record it already created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.publishing import ActionLedger, Clock, pending_action, text_digest, undo_key_of, utc_now
from engagement.models import (
    ActionKind,
    ActionRecord,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor, WriteKind, WriteRefusedError
from watchers.bluesky import (
    BlueskyWriter,
    SessionDeadError,
    check_post_length,
    guess_language,
    tid_for,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Verb:
    name: str
    kind: ActionKind
    undo: bool


_VERBS: dict[WriteKind, _Verb] = {
    WriteKind.LIKE: _Verb("like", ActionKind.LIKED, False),
    WriteKind.REPOST: _Verb("repost", ActionKind.REPOSTED, False),
    WriteKind.FOLLOW: _Verb("follow", ActionKind.FOLLOWED, False),
    WriteKind.UNLIKE: _Verb("like", ActionKind.UNDONE, True),
    WriteKind.UNREPOST: _Verb("repost", ActionKind.UNDONE, True),
    WriteKind.UNFOLLOW: _Verb("follow", ActionKind.UNDONE, True),
}


class BlueskyPublisher:
    """Acts on Bluesky interactions as the brand account each one was addressed to.

    Args:
        ledger: The record-before-send / confirm-after runner.
        writers: One writer per brand account (sessions are started on first use).
        clock: The current time (UTC).
        language: Guesses a reply's language (``fr``, ``en``…, ``None`` when unsure) for its
            ``langs``; the item's own language is used when it returns ``None``.
    """

    def __init__(
        self,
        ledger: ActionLedger,
        writers: Sequence[BlueskyWriter],
        *,
        clock: Clock = utc_now,
        language: Callable[[str], str | None] = guess_language,
    ) -> None:
        self._ledger = ledger
        self._writers = list(writers)
        self._clock = clock
        self._language = language

    async def _by_did(self) -> dict[str, BlueskyWriter]:
        found: dict[str, BlueskyWriter] = {}
        for writer in self._writers:
            if writer.session.known_did is None:
                try:
                    await writer.session.start()
                except SessionDeadError as exc:
                    log.warning("bluesky: %s", exc)
                    continue
            did = writer.session.known_did
            if did is not None:
                found[did] = writer
        return found

    async def _writer(self, item: InteractionRecord) -> BlueskyWriter:
        if item.platform is not Platform.BLUESKY:
            raise WriteRefusedError(
                f"{item.platform.value} items are not published through Bluesky",
                reason="wrong_platform",
            )
        writer = (await self._by_did()).get(item.account_id)
        if writer is None:
            raise WriteRefusedError(
                f"No Bluesky account {item.account_id} is connected.", reason="no_account"
            )
        return writer

    async def reply(
        self, item: InteractionRecord, text: str, actor: Actor, *, allow_url_cost: bool = False
    ) -> ActionRecord:
        """Reply ``text`` to ``item`` in its thread (root and parent strong refs).

        ``allow_url_cost`` is accepted and ignored: a link costs nothing extra on Bluesky.

        Raises:
            WriteRefusedError: Empty, over 300 graphemes, or ``item`` is not a post.
        """
        # Refusals first: nothing (not even a login) happens for a text that cannot be sent.
        check_post_length(text)
        if item.known_kind is None or not item.known_kind.has_text:
            raise WriteRefusedError(
                f"A {item.kind} is not a post one can reply to.",
                reason="not_a_post",
                suggestion="reply to one of their posts instead",
            )
        writer = await self._writer(item)
        key = f"bluesky:reply:{item.account_id}:{item.external_id}:{text_digest(text)}"
        language = self._language(text) or item.language
        known = {item.author.handle.lower(): item.author.platform_id}
        # The thread root: the item's own root if it is a reply, else the item itself; the
        # writer looks it up when a CID is missing.
        if item.root is not None:
            root = item.root if item.root.cid else None
        else:
            root = item.post if item.cid else None

        async def send(stored: ActionRecord) -> str:
            created = await writer.reply(
                item.post,
                text,
                rkey=tid_for(key, stored.created_at),
                at=stored.created_at,
                root=root,
                langs=[language] if language else None,
                known_dids=known,
            )
            return created.uri

        action = pending_action(key, ActionKind.ANSWERED, item, actor, text, at=self._clock())
        # A deterministic record key makes a resend find the record an unclear attempt made.
        return await self._ledger.run(action, send, resend_pending=True)

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, follow the author of, or undo one of those on ``item``.

        Raises:
            WriteRefusedError: Nothing to like/repost (a follow, a like…), nothing to undo,
                or ``kind`` is a reply (use :meth:`reply`).
        """
        writer = await self._writer(item)
        if kind is WriteKind.DELETE_REPLY:
            do_key = await self._ledger.last_reply_key(item)
            if do_key is None:
                raise WriteRefusedError(
                    "Nothing to undo: the brand has not replied here.", reason="nothing_to_undo"
                )

            async def remove(uri: str) -> None:
                await writer.delete(uri, self._clock())

            return await self._ledger.undo(do_key, undo_key_of(do_key), item, actor, kind, remove)
        verb = _VERBS.get(kind)
        if verb is None:
            raise WriteRefusedError("Use reply() to answer.", reason="unsupported")
        target = self._target(item, verb)
        account = item.account_id
        generation = await self._ledger.generation(
            lambda g: f"bluesky:un{verb.name}:{account}:{target}:{g}"
        )
        do_key = f"bluesky:{verb.name}:{account}:{target}:{generation}"
        if verb.undo:

            async def delete(uri: str) -> None:
                await writer.delete(uri, self._clock())

            undo_key = f"bluesky:un{verb.name}:{account}:{target}:{generation}"
            return await self._ledger.undo(do_key, undo_key, item, actor, kind, delete)

        async def send(stored: ActionRecord) -> str:
            rkey = tid_for(do_key, stored.created_at)
            if verb.name == "follow":
                made = await writer.follow(target, rkey=rkey, at=stored.created_at)
            elif verb.name == "like":
                made = await writer.like(item.post, rkey=rkey, at=stored.created_at)
            else:
                made = await writer.repost(item.post, rkey=rkey, at=stored.created_at)
            return made.uri

        action = pending_action(do_key, verb.kind, item, actor, None, at=self._clock())
        return await self._ledger.run(action, send, resend_pending=True)

    def _target(self, item: InteractionRecord, verb: _Verb) -> str:
        if verb.name == "follow":
            return item.author.platform_id
        if item.known_kind is None or not item.known_kind.has_text or item.cid is None:
            raise WriteRefusedError(
                f"A {item.kind} is not a post one can {verb.name}.", reason="not_a_post"
            )
        return item.external_id
