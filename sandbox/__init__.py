"""Local, stateful simulators of Bluesky, X, an LLM endpoint and Discord."""
