"""The X Publisher: checks a write before anything is sent, then runs it through the ledger.

Refusals (:class:`WriteRefusedError`, nothing sent, ``reason`` for the Discord side):

- ``too_long``: over 280 weighted characters (URLs count 23); the message says by how much.
- ``not_summoned``: a reply to a post that neither mentioned nor quoted the brand (X refuses
  those); the suggestion is to like it or open it in the browser.
- ``url_costs_more``: the reply contains a URL, which X bills $0.20 instead of $0.01. Call
  ``reply(..., allow_url_cost=True)`` once the person confirmed.
- ``empty``, ``read_only`` (app-only bearer token), ``wrong_platform``, ``unsupported``
  (follow: the app does not ask for ``follows.write``), ``budget_reached``.
"""

from __future__ import annotations

import logging

from bot.publishing import ActionLedger, text_digest
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor, WriteKind, WriteRefusedError
from storage import Database
from watchers.x import (
    BudgetPolicy,
    XPrices,
    XWriter,
    check_text,
    mentions_account,
    month_start,
)
from watchers.x._auth import Clock

_ACTION_KINDS = {
    WriteKind.LIKE: ActionKind.LIKED,
    WriteKind.REPOST: ActionKind.REPOSTED,
    WriteKind.UNLIKE: ActionKind.UNDONE,
    WriteKind.UNREPOST: ActionKind.UNDONE,
}
_UNDO_OF = {
    WriteKind.LIKE: WriteKind.UNLIKE,
    WriteKind.UNLIKE: WriteKind.UNLIKE,
    WriteKind.REPOST: WriteKind.UNREPOST,
    WriteKind.UNREPOST: WriteKind.UNREPOST,
}

log = logging.getLogger(__name__)


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
        cost = self.prices.reply_cost(summoned=True, has_url=check.has_url)
        if check.has_url and not allow_url_cost:
            normal = self.prices.reply_cost(summoned=True, has_url=False)
            raise WriteRefusedError(
                f"This reply contains a link ({check.urls[0]}): X bills ${cost:.2f} for it "
                f"instead of ${normal:.2f}. Confirm to send it anyway.",
                reason="url_costs_more",
                suggestion="Confirm the cost, or remove the link.",
            )
        await self._check_budget(cost)
        key = f"x:reply:{stored.external_id}:{text_digest(text)}"
        action = self._action(key, ActionKind.ANSWERED, stored, actor, text)

        async def send(_: ActionRecord) -> str | None:
            result = await writer.reply(text, stored.external_id)
            await self._spend("POST /2/tweets", cost)
            return result

        return await self.ledger.run(action, send, resend_pending=False)

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, or undo one of those; repeated requests act once.

        Raises:
            WriteRefusedError: Follow (not supported on X here), read-only setup, budget.
        """
        if kind not in _ACTION_KINDS:
            raise WriteRefusedError(
                f"{kind.value} is not available on X from the bot.",
                reason="unsupported",
                suggestion="Open the profile in the browser to follow.",
            )
        writer = self._writer(item)
        stored = await self._stored(item)
        cost = self.prices.action_cost(kind)
        await self._check_budget(cost)
        undo = _UNDO_OF[kind]
        async with self.db.unit_of_work() as uow:
            earlier = await uow.actions.for_interaction(Platform.X, stored.external_id)
        undone = sum(
            1
            for a in earlier
            if a.status is ActionStatus.CONFIRMED
            and a.kind is ActionKind.UNDONE
            and a.text == undo.value
        )
        key = f"x:{kind.value}:{stored.external_id}:{undone}"
        text = kind.value if kind in {WriteKind.UNLIKE, WriteKind.UNREPOST} else None
        action = self._action(key, _ACTION_KINDS[kind], stored, actor, text)
        calls = {
            WriteKind.LIKE: (writer.like, "POST /2/users/:id/likes"),
            WriteKind.UNLIKE: (writer.unlike, "DELETE /2/users/:id/likes/:tweet_id"),
            WriteKind.REPOST: (writer.repost, "POST /2/users/:id/retweets"),
            WriteKind.UNREPOST: (
                writer.unrepost,
                "DELETE /2/users/:id/retweets/:source_tweet_id",
            ),
        }
        call, endpoint = calls[kind]

        async def send(_: ActionRecord) -> str | None:
            await call(stored.external_id)
            await self._spend(endpoint, cost)
            return stored.external_id

        # Liking or reposting twice leaves one like/repost on X: a pending one may be resent.
        return await self.ledger.run(action, send, resend_pending=True)

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

    def _action(
        self,
        key: str,
        kind: ActionKind,
        item: InteractionRecord,
        actor: Actor,
        text: str | None,
    ) -> ActionRecord:
        return ActionRecord(
            idempotency_key=key,
            kind=kind,
            status=ActionStatus.PENDING,
            actor_id=actor.id,
            actor_name=actor.name,
            created_at=self.clock(),
            platform=Platform.X,
            interaction_id=item.external_id,
            text=text,
        )
