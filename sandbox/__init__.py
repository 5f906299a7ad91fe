"""Local, stateful simulators of Bluesky, X, an LLM endpoint and Discord.

See ``sandbox/CONTRACT.md`` for the public surface other packages code against.
"""

from sandbox._clock import DEFAULT_SPEED, Clock, ManualClock, ScaledClock
from sandbox._control import WORLD, endpoint_key, json_response
from sandbox._server import PLUGINS, SandboxServer, build_app
from sandbox._world import Fault, RequestLogEntry, World
from sandbox.scenarios import SCENARIOS, Event, Persona, Scenario, build_scenario

__all__ = [
    "DEFAULT_SPEED",
    "PLUGINS",
    "SCENARIOS",
    "WORLD",
    "Clock",
    "Event",
    "Fault",
    "ManualClock",
    "Persona",
    "RequestLogEntry",
    "SandboxServer",
    "ScaledClock",
    "Scenario",
    "World",
    "build_app",
    "build_scenario",
    "endpoint_key",
    "json_response",
]
