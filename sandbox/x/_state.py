"""The X side of the world: users and posts materialized from the scenario as time passes.

Scenario events for X become posts once their time has come (ids are the core's snowflakes of
``(time, seq)``, so they increase with time). Replies reference their parent
(``replied_to``), quotes the quoted brand post (``quoted``); the brand's own answers are replies
too. Posts the bot writes through the API join the same store.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from engagement.models import InteractionKind, Platform
from sandbox import _credentials as creds
from sandbox._ids import snowflake
from sandbox._world import World
from sandbox.scenarios import Event, Persona
from sandbox.x._costs import CostLedger
from sandbox.x._limits import RateLimiter
from sandbox.x._model import XPost, XUser
from sandbox.x._oauth import OAuthServer

__all__ = ["XState"]


def _id_order(post: XPost) -> int:
    return int(post.id)


def _user(persona: Persona, epoch: datetime) -> XUser:
    return XUser(
        id=persona.x_id,
        username=persona.x_handle,
        name=persona.display_name,
        created_at=epoch - timedelta(days=persona.created_days_ago),
        description=persona.bio,
        followers=persona.followers,
        following=persona.follows,
        posts=persona.posts,
        listed=persona.followers // 150,
        verified=persona.verified,
    )


@dataclass(slots=True)
class XState:
    """Everything the X simulator keeps for one world.

    Args:
        world: The shared world (scenario, clock, ground truth, counters).
        bearer_token: The app-only token.
        credits_usd: Starting credit balance in USD; ``None`` for no limit.
    """

    world: World
    bearer_token: str = creds.X_BEARER_TOKEN
    credits_usd: float | None = None
    users: dict[str, XUser] = field(default_factory=dict)
    by_name: dict[str, XUser] = field(default_factory=dict)
    posts: dict[str, XPost] = field(default_factory=dict)
    ledger: CostLedger = field(default_factory=CostLedger)
    limits: RateLimiter = field(default_factory=RateLimiter)
    oauth: OAuthServer = field(init=False)
    liked: set[str] = field(default_factory=set)
    reposted: set[str] = field(default_factory=set)
    _mentioning: dict[str, list[XPost]] = field(default_factory=dict)
    _synced: int = 0
    _written: int = 0

    def __post_init__(self) -> None:
        scenario = self.world.scenario
        for persona in (scenario.brand, *scenario.personas):
            user = _user(persona, self.world.epoch)
            self.users[user.id] = user
            self.by_name[user.username.lower()] = user
        self.oauth = OAuthServer(scenario.brand.x_id, creds.X_CLIENT_ID, creds.X_CLIENT_SECRET)
        self.oauth.issue_refresh_token(token=creds.X_REFRESH_TOKEN)
        if self.credits_usd is not None:
            self.ledger.credits_usd = Decimal(str(self.credits_usd))

    @property
    def brand(self) -> XUser:
        """The account the bot runs as."""
        return self.users[self.world.scenario.brand.x_id]

    def now(self) -> datetime:
        """Scenario time."""
        return self.world.now()

    def sync(self) -> None:
        """Materialize every X event whose time has come (idempotent, incremental)."""
        delivered = self.world.delivered(Platform.X)
        for event in delivered[self._synced :]:
            self._add_event(event)
        self._synced = len(delivered)

    def _event_id(self, seq: int | None) -> str | None:
        if seq is None:
            return None
        return self.world.x_id(self.world.scenario.events[seq])

    def _add_event(self, event: Event) -> None:
        if event.kind not in {
            "post",
            InteractionKind.MENTION,
            InteractionKind.REPLY,
            InteractionKind.QUOTE,
        }:
            post = self.posts.get(self._event_id(event.subject) or "")
            if post is not None and event.kind == InteractionKind.LIKE:
                post.likes += 1
            elif post is not None and event.kind == InteractionKind.REPOST:
                post.reposts += 1
            return
        post_id = self.world.x_id(event)
        parent = self.posts.get(self._event_id(event.parent) or "")
        quoted = self.posts.get(self._event_id(event.subject) or "")
        post = XPost(
            id=post_id,
            author_id=event.author.x_id,
            text=event.text,
            created_at=self.world.time_of(event),
            conversation_id=post_id,
            lang=event.lang,
            kind=None if event.kind == "post" else event.kind,
            seq=event.seq,
        )
        if parent is not None:
            post.referenced.append(("replied_to", parent.id))
            post.in_reply_to_user_id = parent.author_id
            post.conversation_id = parent.conversation_id
            parent.replies += 1
        elif event.kind == InteractionKind.QUOTE and quoted is not None:
            post.referenced.append(("quoted", quoted.id))
            quoted.quotes += 1
        self._store(post)

    def _store(self, post: XPost) -> None:
        self.posts[post.id] = post
        author = self.users.get(post.author_id)
        for name in dict.fromkeys(post.mentioned):
            if author is None or author.username.lower() != name:
                bisect.insort(self._mentioning.setdefault(name, []), post, key=_id_order)

    def write_post(self, text: str, reply_to: XPost | None, quote_of: XPost | None) -> XPost:
        """Create a post by the brand (ids keep increasing with time)."""
        self._written += 1
        now = self.now()
        post_id = snowflake(now, 2048 + self._written)
        while post_id in self.posts:
            self._written += 1
            post_id = snowflake(now, 2048 + self._written)
        post = XPost(post_id, self.brand.id, text, now, post_id, kind="post")
        if reply_to is not None:
            post.referenced.append(("replied_to", reply_to.id))
            post.in_reply_to_user_id = reply_to.author_id
            post.conversation_id = reply_to.conversation_id
            reply_to.replies += 1
        if quote_of is not None:
            post.referenced.append(("quoted", quote_of.id))
            quote_of.quotes += 1
        self._store(post)
        return post

    def may_reply_to(self, target: XPost) -> bool:
        """X's 2026 rule: reply only to posts that mention or quote the account (or its own)."""
        brand = self.brand
        if target.author_id == brand.id or brand.username.lower() in target.mentioned:
            return True
        return any(
            kind == "quoted"
            and (quoted := self.posts.get(ref)) is not None
            and quoted.author_id == brand.id
            for kind, ref in target.referenced
        )

    def mentions_of(self, user: XUser) -> list[XPost]:
        """Posts mentioning ``user`` by others, newest first (at most 800, as X keeps)."""
        found = self._mentioning.get(user.username.lower(), [])
        live = [p for p in reversed(found) if p.id in self.posts]
        return live[:800]
