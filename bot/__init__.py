"""Composition root: settings, logging, wiring, scheduler, the CLI and the Discord client."""
