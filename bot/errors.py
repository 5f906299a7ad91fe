"""Errors the CLI turns into one clear line on stderr."""


class UserError(Exception):
    """A mistake the user can fix; printed as one line on stderr, exit code 2."""
