"""Bluesky and X clients: poll, normalize into InteractionRecords, and write back."""
