"""X API v2 error bodies, shaped like the real service's.

Problems (RFC 7807) are served as ``application/problem+json``; the ``type`` URIs of the ones
the OpenAPI spec knows use its ``https://api.x.com/2/problems/...`` spelling. Two bodies X sends
outside the spec are reproduced as observed: the 429 ``{"errors": [{"code": 88, ...}]}`` body and
the 402 ``CreditsDepleted`` problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

__all__ = [
    "REPLY_NOT_ALLOWED",
    "XError",
    "credits_depleted",
    "forbidden",
    "invalid_request",
    "not_authorized_for_resource",
    "not_found",
    "rate_limited",
    "unauthorized",
    "unsupported_auth",
]

PROBLEMS = "https://api.x.com/2/problems/"

#: X's wording of the Feb 2026 reply restriction (403 on ``POST /2/tweets``).
REPLY_NOT_ALLOWED = (
    "Reply to this conversation is not allowed because you have not been mentioned or "
    "otherwise engaged by the author of the post you are replying to."
)


class XError(Exception):
    """An X API error response waiting to be sent (raised inside handlers).

    Args:
        status: HTTP status.
        body: JSON body.
        problem: Whether the body is an RFC 7807 problem (``application/problem+json``).
    """

    def __init__(self, status: int, body: Mapping[str, Any], *, problem: bool = True) -> None:
        super().__init__(f"{status}: {body.get('title') or body}")
        self.status = status
        self.body = dict(body)
        self.problem = problem

    def response(self, headers: Mapping[str, str] | None = None) -> web.Response:
        """Render as an aiohttp response."""
        ctype = "application/problem+json" if self.problem else "application/json"
        return web.Response(
            status=self.status,
            body=json.dumps(self.body).encode(),
            content_type=ctype,
            headers=headers,
        )


def invalid_request(parameter: str, value: str, message: str) -> XError:
    """400 with X's ``invalid-request`` problem naming the offending parameter."""
    return XError(
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        },
    )


def not_found(resource_type: str, resource_id: str, parameter: str) -> XError:
    """404-as-problem for a post or user that does not exist."""
    return XError(
        404,
        {
            "title": "Not Found Error",
            "detail": f"Could not find {resource_type} with {parameter}: [{resource_id}].",
            "type": PROBLEMS + "resource-not-found",
            "resource_type": resource_type,
            "resource_id": resource_id,
            "parameter": parameter,
            "value": resource_id,
        },
    )


def unauthorized() -> XError:
    """401 for a missing, invalid or expired token."""
    return XError(
        401,
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    )


def forbidden(detail: str) -> XError:
    """403 with X's plain ``Forbidden`` problem (the reply restriction uses it)."""
    return XError(
        403, {"title": "Forbidden", "status": 403, "detail": detail, "type": "about:blank"}
    )


def unsupported_auth() -> XError:
    """403 for an app-only bearer token on a user-context endpoint."""
    return XError(
        403,
        {
            "title": "Unsupported Authentication",
            "detail": (
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                "Supported authentication types are [OAuth 1.0a User Context, "
                "OAuth 2.0 User Context]."
            ),
            "type": "https://api.twitter.com/2/problems/unsupported-authentication",
            "status": 403,
        },
    )


def not_authorized_for_resource(resource_type: str, resource_id: str, detail: str) -> XError:
    """403 ``not-authorized-for-resource`` (acting as another user)."""
    return XError(
        403,
        {
            "title": "Forbidden",
            "detail": detail,
            "type": PROBLEMS + "not-authorized-for-resource",
            "resource_type": resource_type,
            "resource_id": resource_id,
            "status": 403,
        },
    )


def credits_depleted(account_id: str) -> XError:
    """402 once the credit balance is zero or negative."""
    return XError(
        402,
        {
            "title": "CreditsDepleted",
            "detail": (
                f"Your enrolled account [{account_id}] does not have any credits to fulfill "
                "this request."
            ),
            "type": "https://api.twitter.com/2/problems/credits",
        },
    )


def rate_limited() -> XError:
    """429 with the code-88 body."""
    return XError(429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}, problem=False)
