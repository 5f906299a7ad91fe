"""``engagebot demo``: the whole pipeline on the built-in sandbox, with no credentials.

Sandbox (``launch-day``) → pollers → storage → triage → digest, printed in the terminal,
written as a self-contained HTML page, and posted to a Discord webhook (the one configured,
else the sandbox's own Discord recorder, which checks every Discord limit).
"""

from bot.demo._pipeline import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
