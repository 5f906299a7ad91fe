"""The X Publisher: checks a write before anything is sent, then runs it through the ledger.

Refusals (:class:`WriteRefusedError`, nothing sent, ``reason`` for the Discord side):

- ``too_long``: over 280 weighted characters (URLs count 23); the message says by how much.
- ``not_summoned``: a reply to a post that neither mentioned nor quoted the brand (X refuses
  those); the suggestion is to like it or open it in the browser.
- ``url_costs_more`` (:data:`~engagement.ports.URL_COSTS_MORE`): the reply contains a URL,
  which X bills $0.20 instead of $0.01. Call ``reply(..., allow_url_cost=True)`` once the
  person confirmed.
- ``empty``, ``read_only`` (app-only bearer token), ``wrong_platform``, ``unsupported``
  (follow: the app does not ask for ``follows.write``), ``budget_reached``,
  ``nothing_to_undo``.

A request whose action is already recorded is answered from the ledger before any budget or
cost check. A reply whose outcome was unclear (timeout, dropped connection, 5xx, malformed
answer) stays ``pending`` and is never posted again: a repeat searches X for it
(:meth:`watchers.x.XWriter.find_reply`) and confirms it when found. ``WriteKind.DELETE_REPLY``
deletes the brand's latest confirmed reply (``DELETE /2/tweets/:id``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp

from bot.publishing import ActionLedger, Send, pending_action, text_digest, undo_key_of
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import URL_COSTS_MORE, Actor, WriteKind, WriteRefusedError
from storage import Database
from watchers.x import (
    BudgetPolicy,
    XAuthError,
    XBudgetExhaustedError,
    XCreditsDepletedError,
    XPrices,
    XRateLimitedError,
    XRequestError,
    XTransientError,
    XWriter,
    check_text,
    mentions_account,
    month_start,
)
from watchers.x._auth import Clock


@dataclass(frozen=True, slots=True)
class _Verb:
    name: str
    kind: ActionKind
    undo: bool
    endpoint: str


_VERBS: dict[WriteKind, _Verb] = {
    WriteKind.LIKE: _Verb("like", ActionKind.LIKED, False, "POST /2/users/:id/likes"),
    WriteKind.REPOST: _Verb("repost", ActionKind.REPOSTED, False, "POST /2/users/:id/retweets"),
    WriteKind.UNLIKE: _Verb("like", ActionKind.UNDONE, True, "DELETE /2/users/:id/likes/:tweet_id"),
    WriteKind.UNREPOST: _Verb(
        "repost", ActionKind.UNDONE, True, "DELETE /2/users/:id/retweets/:source_tweet_id"
    ),
}
_DELETE_ENDPOINT = "DELETE /2/tweets/:id"
_CLEAN_REFUSALS = (
    XRequestError,
    XRateLimitedError,
    XCreditsDepletedError,
    XAuthError,
    XBudgetExhaustedError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


def not_sent(exc: Exception) -> bool:
    """Whether X certainly did not perform a write that raised ``exc``.

    A 4xx (refused, rate limited, no credits, bad credentials) or no connection at all; a
    timeout, a dropped connection, a 5xx or a malformed 2xx body leave the outcome unknown.
    """
    if isinstance(exc, _CLEAN_REFUSALS):
        return True
    return isinstance(exc, XTransientError) and isinstance(
        exc.__cause__, aiohttp.ClientConnectorError
    )


def may_reply(item: InteractionRecord, account_id: str, handle: str) -> bool:
    """X's rule: reply only to a post that mentioned or quoted the brand.

    Mentions and quotes qualify; a reply qualifies when it @-mentions the brand.
    """
    kind = item.known_kind
    if kind in {InteractionKind.MENTION, InteractionKind.QUOTE}:
        return True
    return kind is InteractionKind.REPLY and mentions_account(item.raw, account_id, handle)


class XPublisher:
    """Replies, likes and reposts on X as the brand, once per request (implements Publisher).

    Args:
        writer: The network writer, or ``None`` for a read-only (bearer) setup.
        db: The database (stored interactions, actions, spend).
        prices: Prices for the cost of each write.
        policy: The monthly budget policy (writes count too).
        account_id: The brand's X user id.
        handle: The brand's X username.
        clock: Current UTC time.
    """

    def __init__(
        self,
        writer: XWriter | None,
        db: Database,
        *,
        prices: XPrices,
        policy: BudgetPolicy,
        account_id: str,
        handle: str,
        clock: Clock,
    ) -> None:
        self.writer = writer
        self.db = db
        self.prices = prices
        self.policy = policy
        self.account_id = account_id
        self.handle = handle
        self.clock = clock
        self.ledger = ActionLedger(db, clock=clock)

    async def reply(
        self, item: InteractionRecord, text: str, actor: Actor, *, allow_url_cost: bool = False
    ) -> ActionRecord:
        """Reply ``text`` to ``item``; the same text to the same post twice posts once.

        A reply whose outcome was unclear (timeout, 5xx…) stays ``pending`` and is never
        posted again: a repeat only looks for it on X and confirms it when found.

        Raises:
            WriteRefusedError: See the module docstring for the reasons.
        """
        writer = self._writer(item)
        stored = await self._stored(item)
        if not text.strip():
            raise WriteRefusedError("The reply is empty.", reason="empty")
        check = check_text(text)
        if check.over_by:
            raise WriteRefusedError(
                f"The reply is {check.weighted_length} characters as X counts them, "
                f"{check.over_by} over the 280 limit (each link counts 23).",
                reason="too_long",
                suggestion=f"Shorten it by {check.over_by} characters.",
            )
        if not may_reply(stored, self.account_id, self.handle):
            raise WriteRefusedError(
                "X only allows replies to posts that mention or quote the brand, and this one "
                "does not.",
                reason="not_summoned",
                suggestion=f"Like it instead, or open it in the browser: {stored.url}",
            )
        key = f"x:reply:{stored.external_id}:{text_digest(text)}"
        cost = self.prices.reply_cost(summoned=True, has_url=check.has_url)
        if await self._may_send(key):
            if check.has_url and not allow_url_cost:
                normal = self.prices.reply_cost(summoned=True, has_url=False)
                raise WriteRefusedError(
                    f"This reply contains a link ({check.urls[0]}): X bills ${cost:.2f} for "
                    f"it instead of ${normal:.2f}. Confirm to send it anyway.",
                    reason=URL_COSTS_MORE,
                    suggestion="Confirm the cost, or remove the link.",
                )
            await self._check_budget(cost)
        action = pending_action(key, ActionKind.ANSWERED, stored, actor, text, at=self.clock())

        async def send(_: ActionRecord) -> str | None:
            return await writer.reply(text, stored.external_id)

        async def lookup(_: ActionRecord) -> str | None:
            conversation = str(stored.raw.get("conversation_id") or stored.external_id)
            return await writer.find_reply(stored.external_id, conversation, text)

        return await self.ledger.run(
            action,
            self._billed(send, "POST /2/tweets", cost),
            resend_pending=False,
            not_sent=not_sent,
            lookup=lookup,
        )

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, undo one of those, or delete the brand's reply; repeats act once.

        Raises:
            WriteRefusedError: Follow (not supported on X here), read-only setup, budget,
                nothing to undo.
        """
        if kind is WriteKind.DELETE_REPLY:
            return await self._delete_reply(item, actor)
        verb = _VERBS.get(kind)
        if verb is None:
            raise WriteRefusedError(
                f"{kind.value} is not available on X from the bot.",
                reason="unsupported",
                suggestion="Open the profile in the browser to follow.",
            )
        writer = self._writer(item)
        stored = await self._stored(item)
        base = f"x:{verb.name}:{stored.external_id}"
        generation = await self.ledger.generation(
            lambda g: f"x:un{verb.name}:{stored.external_id}:{g}"
        )
        do_key = f"{base}:{generation}"
        undo_key = f"x:un{verb.name}:{stored.external_id}:{generation}"
        cost = self.prices.action_cost(kind)
        if await self._may_send(undo_key if verb.undo else do_key):
            await self._check_budget(cost)
        if verb.undo:
            remove = writer.unlike if verb.name == "like" else writer.unrepost

            async def undo(post_id: str) -> None:
                await self._billed_call(lambda: remove(post_id), verb.endpoint, cost)

            return await self.ledger.undo(do_key, undo_key, stored, actor, kind, undo)
        call = writer.like if verb.name == "like" else writer.repost

        async def send(_: ActionRecord) -> str | None:
            await call(stored.external_id)
            return stored.external_id

        action = pending_action(do_key, verb.kind, stored, actor, None, at=self.clock())
        # Liking or reposting twice leaves one like/repost on X: a pending one may be resent.
        return await self.ledger.run(
            action, self._billed(send, verb.endpoint, cost), resend_pending=True
        )

    async def _delete_reply(self, item: InteractionRecord, actor: Actor) -> ActionRecord:
        writer = self._writer(item)
        stored = await self._stored(item)
        do_key = await self.ledger.last_reply_key(stored)
        if do_key is None:
            raise WriteRefusedError(
                "Nothing to undo: the brand has not replied to this post.",
                reason="nothing_to_undo",
            )
        cost = self.prices.action_cost(WriteKind.DELETE_REPLY)
        if await self._may_send(undo_key_of(do_key)):
            await self._check_budget(cost)

        async def remove(post_id: str) -> None:
            await self._billed_call(lambda: writer.delete_post(post_id), _DELETE_ENDPOINT, cost)

        return await self.ledger.undo(
            do_key, undo_key_of(do_key), stored, actor, WriteKind.DELETE_REPLY, remove
        )

    async def _may_send(self, key: str) -> bool:
        """Whether a request under ``key`` may send (else the ledger answers from its record)."""
        earlier = await self.ledger.get(key)
        return earlier is None or earlier.status is ActionStatus.FAILED

    def _billed(self, send: Send, endpoint: str, cost: float) -> Send:
        async def billed(action: ActionRecord) -> str | None:
            return await self._billed_call(lambda: send(action), endpoint, cost)

        return billed

    async def _billed_call(self, call: Callable[[], Awaitable[T]], endpoint: str, cost: float) -> T:
        """Run a write and record its cost unless X certainly did not perform it."""
        try:
            result = await call()
        except Exception as exc:
            if not not_sent(exc):
                await self._spend(endpoint, cost)  # it may have happened (and been billed)
            raise
        await self._spend(endpoint, cost)
        return result

    def _writer(self, item: InteractionRecord) -> XWriter:
        if item.platform is not Platform.X:
            raise WriteRefusedError(
                "This is not an X post.", reason="wrong_platform", suggestion=None
            )
        if self.writer is None:
            raise WriteRefusedError(
                "X is connected read-only (app bearer token): writing needs a user login.",
                reason="read_only",
                suggestion="Run `engagebot x login`.",
            )
        return self.writer

    async def _stored(self, item: InteractionRecord) -> InteractionRecord:
        async with self.db.unit_of_work() as uow:
            stored = await uow.interactions.get(Platform.X, item.external_id)
        if stored is None:
            raise WriteRefusedError(
                "This X post is not among the interactions the bot has seen.",
                reason="not_summoned",
                suggestion=f"Open it in the browser: {item.url or ''}".strip(),
            )
        return stored

    async def _check_budget(self, cost: float) -> None:
        if self.policy.cap_usd is None:
            return
        now = self.clock()
        async with self.db.unit_of_work() as uow:
            spent = await uow.api_usage.total_since(Platform.X, month_start(now))
        if spent + cost > self.policy.cap_usd + 1e-9:
            raise WriteRefusedError(
                f"The X monthly budget (${self.policy.cap_usd:.2f}) does not allow this "
                f"${cost:.3f} write (${spent:.2f} spent).",
                reason="budget_reached",
                suggestion="Raise ENGAGEBOT_X_MONTHLY_BUDGET_USD or wait for next month.",
            )

    async def _spend(self, endpoint: str, cost: float) -> None:
        # The write happened: failing to record its cost must not turn it into a failure.
        try:
            async with self.db.unit_of_work() as uow:
                await uow.api_usage.record(Platform.X, endpoint, 1, cost, self.clock())
                await uow.commit()
        except Exception:
            log.exception("could not record the cost of an X write")
