"""The end-to-end tests share the Discord helpers of ``tests/bot``."""

import sys
from pathlib import Path

_BOT_TESTS = str(Path(__file__).resolve().parents[1] / "bot")
if _BOT_TESTS not in sys.path:
    sys.path.insert(0, _BOT_TESTS)
