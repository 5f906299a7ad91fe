"""Raw XRPC queries whose list items are validated one by one (a bad item never sinks a page)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar

from atproto_client import AsyncClient
from atproto_client.exceptions import ModelError
from atproto_client.models.base import ModelBase, ParamsModelBase
from atproto_client.models.utils import get_or_create
from pydantic import ValidationError

from watchers.bluesky._errors import MalformedResponseError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=ModelBase)


async def query_json(client: AsyncClient, nsid: str, params: ParamsModelBase) -> dict[str, Any]:
    """Run an XRPC query through the client (auth, refresh) and return the JSON object.

    Raises:
        MalformedResponseError: The body is not a JSON object.
    """
    try:
        response = await client.invoke_query(
            nsid, params=params, output_encoding="application/json"
        )
    except ValueError as exc:  # pydantic_core.from_json on a broken body
        raise MalformedResponseError(f"{nsid}: unreadable body ({exc})") from exc
    content = response.content
    if not isinstance(content, dict):
        raise MalformedResponseError(f"{nsid}: expected a JSON object")
    return content


def items_of(content: Mapping[str, Any], field: str, nsid: str) -> list[Any]:
    """The list under ``field`` of a response.

    Raises:
        MalformedResponseError: The field is missing or not a list.
    """
    items = content.get(field)
    if not isinstance(items, list):
        raise MalformedResponseError(f"{nsid}: '{field}' missing or not a list")
    return items


def parse_each(items: list[Any], model: type[M], what: str) -> list[M]:
    """Validate each item as ``model``; skip (and warn about) those that do not validate."""
    parsed: list[M] = []
    for raw in items:
        try:
            value = get_or_create(raw, model, strict=True)
        except (ModelError, ValidationError, TypeError, ValueError) as exc:
            name = raw.get("uri") or raw.get("did") if isinstance(raw, Mapping) else None
            log.warning("bluesky: skipping malformed %s %s: %s", what, name or "<unnamed>", exc)
            continue
        if isinstance(value, model):
            parsed.append(value)
    return parsed
