"""Logging to stderr, configured once by the command that runs (never at import)."""

from __future__ import annotations

import logging
import sys


def configure_logging(level: str = "INFO") -> None:
    """Send log records to stderr with a timestamp, unless logging is already configured.

    Args:
        level: A logging level name (``DEBUG``, ``INFO``…).
    """
    root = logging.getLogger()
    if root.handlers:
        return
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
