"""X in the running bot: the mentions poller, the publisher and the budget state.

Usage::

    async with XConnection(settings, db) as x:      # one identity, one token refresher
        poller = x.poller(alerts)                   # bot.polling.Poller
        publisher = x.publisher()                   # engagement.ports.Publisher
        await publisher.reply(item, text, actor, allow_url_cost=False)
    state = await x_budget_state(settings, db, now) # for the digest
"""

from bot.x._connection import (
    XConnection,
    client_credentials,
    policy_from,
    prices_from,
    x_budget_state,
    x_configured,
)
from bot.x._poller import MENTIONS_STREAM, XMentionsPoller
from bot.x._publisher import XPublisher, may_reply
from bot.x._tokens import TokenStore

__all__ = [
    "MENTIONS_STREAM",
    "TokenStore",
    "XConnection",
    "XMentionsPoller",
    "XPublisher",
    "client_credentials",
    "may_reply",
    "policy_from",
    "prices_from",
    "x_budget_state",
    "x_configured",
]
