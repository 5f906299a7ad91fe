"""X API v2: client with OAuth 2.0 user or app auth, mentions watcher, writer, costs, budget.

Nothing here persists: the composition root stores records, cursors, tokens and costs.
"""

from watchers.x._auth import (
    BearerAuth,
    ClientCredentials,
    TokenSet,
    UserTokenAuth,
    XAuth,
    exchange_code,
    refresh_tokens,
)
from watchers.x._budget import (
    BudgetPolicy,
    BudgetState,
    BudgetStatus,
    month_start,
    next_month_start,
)
from watchers.x._client import RateLimit, XClient, XResponse, parse_rate_limit
from watchers.x._cost import XPrices
from watchers.x._cursor import MentionsCursor
from watchers.x._errors import (
    XAuthError,
    XBudgetExhaustedError,
    XCreditsDepletedError,
    XError,
    XRateLimitedError,
    XRequestError,
    XTransientError,
)
from watchers.x._parse import TimelinePage, classify, mentions_account, parse_timeline
from watchers.x._pkce import SCOPES, AuthorizationRequest, code_from_redirect, start_authorization
from watchers.x._text import MAX_WEIGHTED_LENGTH, TextCheck, check_text
from watchers.x._watcher import MENTIONS_ENDPOINT, MentionsBatch, XMentionsWatcher
from watchers.x._writer import XUser, XWriter, get_me

__all__ = [
    "MAX_WEIGHTED_LENGTH",
    "MENTIONS_ENDPOINT",
    "SCOPES",
    "AuthorizationRequest",
    "BearerAuth",
    "BudgetPolicy",
    "BudgetState",
    "BudgetStatus",
    "ClientCredentials",
    "MentionsBatch",
    "MentionsCursor",
    "RateLimit",
    "TextCheck",
    "TimelinePage",
    "TokenSet",
    "UserTokenAuth",
    "XAuth",
    "XAuthError",
    "XBudgetExhaustedError",
    "XClient",
    "XCreditsDepletedError",
    "XError",
    "XMentionsWatcher",
    "XPrices",
    "XRateLimitedError",
    "XRequestError",
    "XResponse",
    "XTransientError",
    "XUser",
    "XWriter",
    "check_text",
    "classify",
    "code_from_redirect",
    "exchange_code",
    "get_me",
    "mentions_account",
    "month_start",
    "next_month_start",
    "parse_rate_limit",
    "parse_timeline",
    "refresh_tokens",
    "start_authorization",
]
