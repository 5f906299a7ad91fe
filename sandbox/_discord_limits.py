"""Discord's message limits, checked the way Discord's API reports them (400, code 50035).

Limits (discord-api-docs ``resources/message.mdx``, ``interactions/message-components``):
content 2000; 10 embeds; title 256, description 4096, 25 fields (name 256, value 1024),
footer text 2048, author name 256, 6000 characters across all embeds of a message; 5 action
rows of at most 5 buttons; ``custom_id`` 100; button label 80; modal title 45, 1–5 components;
a text input's label 45, ``placeholder`` 100, ``value`` at most 4000 and at most its own
``max_length``, ``min_length`` 0–4000, ``max_length`` 1–4000.
Lengths are counted in Unicode code points.
"""

from __future__ import annotations

from typing import Any

__all__ = ["empty_message", "form_error", "message_errors", "modal_errors"]

Errors = dict[str, Any]


def _max(errors: Errors, path: list[str | int], value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        node = errors
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append(
            {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Must be {limit} or fewer in length."}
        )


def _embed(errors: Errors, i: int, embed: Any) -> int:
    if not isinstance(embed, dict):
        return 0
    base: list[str | int] = ["embeds", i]
    title, description = embed.get("title") or "", embed.get("description") or ""
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    _max(errors, [*base, "title"], title, 256)
    _max(errors, [*base, "description"], description, 4096)
    _max(errors, [*base, "footer", "text"], footer, 2048)
    _max(errors, [*base, "author", "name"], author, 256)
    fields = embed.get("fields") or []
    _max(errors, [*base, "fields"], fields, 25)
    size = len(title) + len(description) + len(footer) + len(author)
    for j, field in enumerate(fields if isinstance(fields, list) else []):
        name, value = str(field.get("name", "")), str(field.get("value", ""))
        _max(errors, [*base, "fields", j, "name"], name, 256)
        _max(errors, [*base, "fields", j, "value"], value, 1024)
        size += len(name) + len(value)
    return size


def _components(errors: Errors, rows: Any) -> None:
    if not isinstance(rows, list):
        return
    _max(errors, ["components"], rows, 5)
    for i, row in enumerate(rows):
        children = row.get("components", []) if isinstance(row, dict) else []
        if isinstance(row, dict) and row.get("type") == 1:
            _max(errors, ["components", i, "components"], children, 5)
        for j, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, dict):
                _max(
                    errors,
                    ["components", i, "components", j, "custom_id"],
                    child.get("custom_id") or "",
                    100,
                )
                _max(
                    errors,
                    ["components", i, "components", j, "label"],
                    child.get("label") or "",
                    80,
                )


def message_errors(payload: dict[str, Any]) -> Errors:
    """The ``errors`` tree for a message payload; empty when Discord would accept it."""
    errors: Errors = {}
    _max(errors, ["content"], payload.get("content") or "", 2000)
    embeds = payload.get("embeds") or []
    if isinstance(embeds, list):
        _max(errors, ["embeds"], embeds, 10)
        total = sum(_embed(errors, i, e) for i, e in enumerate(embeds))
        if total > 6000:
            errors.setdefault("embeds", {}).setdefault("_errors", []).append(
                {
                    "code": "MAX_EMBED_SIZE_EXCEEDED",
                    "message": "Embed size exceeds maximum size of 6000",
                }
            )
    _components(errors, payload.get("components"))
    return errors


def modal_errors(data: dict[str, Any]) -> Errors:
    """The ``errors`` tree for a modal (interaction response type 9)."""
    errors: Errors = {}
    _max(errors, ["data", "title"], data.get("title") or "", 45)
    _max(errors, ["data", "custom_id"], data.get("custom_id") or "", 100)
    rows = data.get("components") or []
    _max(errors, ["data", "components"], rows, 5)
    if not rows:
        errors.setdefault("data", {}).setdefault("components", {})["_errors"] = [
            {"code": "BASE_TYPE_MIN_LENGTH", "message": "Must be 1 or more in length."}
        ]
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        children = row.get("components") or ([row["component"]] if "component" in row else [])
        for j, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, dict) and child.get("type") == 4:
                _text_input(errors, ["data", "components", i, "components", j], child)
    return errors


def _text_input(errors: Errors, path: list[str | int], child: dict[str, Any]) -> None:
    _max(errors, [*path, "label"], child.get("label") or "", 45)
    _max(errors, [*path, "custom_id"], child.get("custom_id") or "", 100)
    _max(errors, [*path, "placeholder"], child.get("placeholder") or "", 100)
    max_length = child.get("max_length")
    min_length = child.get("min_length")
    if max_length is not None and not (isinstance(max_length, int) and 1 <= max_length <= 4000):
        _error(errors, [*path, "max_length"], "NUMBER_TYPE_MAX", "Must be between 1 and 4000.")
    if min_length is not None and not (isinstance(min_length, int) and 0 <= min_length <= 4000):
        _error(errors, [*path, "min_length"], "NUMBER_TYPE_MAX", "Must be between 0 and 4000.")
    limit = max_length if isinstance(max_length, int) and max_length <= 4000 else 4000
    _max(errors, [*path, "value"], child.get("value") or "", limit)


def _error(errors: Errors, path: list[str | int], code: str, message: str) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def form_error(errors: Errors) -> dict[str, Any]:
    """Discord's ``Invalid Form Body`` error object."""
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def empty_message(payload: dict[str, Any], files: int) -> bool:
    """Whether the message has nothing Discord could show."""
    return not (
        payload.get("content")
        or payload.get("embeds")
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
        or files
    )
