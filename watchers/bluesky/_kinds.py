"""Map Bluesky notification reasons onto interaction kinds, tolerating reasons not known yet."""

from __future__ import annotations

import logging
import threading

from engagement.models import InteractionKind

log = logging.getLogger(__name__)

_KNOWN: dict[str, InteractionKind] = {
    "mention": InteractionKind.MENTION,
    "reply": InteractionKind.REPLY,
    "quote": InteractionKind.QUOTE,
    "like": InteractionKind.LIKE,
    "repost": InteractionKind.REPOST,
    "follow": InteractionKind.FOLLOW,
}

_logged: set[str] = set()
_lock = threading.Lock()


def kind_for_reason(reason: str) -> str:
    """Return the interaction kind for a notification ``reason``.

    Known reasons map to an :class:`InteractionKind` member; any other reason (Bluesky adds
    some over time: ``like-via-repost``, ``starterpack-joined``…) is returned verbatim so it is
    stored as such, and logged once per reason per process.

    Args:
        reason: The notification's ``reason`` field.

    Returns:
        The kind to store.
    """
    kind = _KNOWN.get(reason)
    if kind is not None:
        return kind
    with _lock:
        first = reason not in _logged
        _logged.add(reason)
    if first:
        log.info("bluesky: notification reason %r is not known yet; stored as its own kind", reason)
    return reason
