"""Benchmarks behind ``engagebot bench NAME``; each module exposes ``register``."""
