"""Repositories: each takes the unit of work's session, returns domain objects, never commits."""

from storage.repositories._accounts import AccountRepository, CredentialRepository
from storage.repositories._actions import ActionRepository
from storage.repositories._cursors import CursorRepository
from storage.repositories._digests import DigestRepository
from storage.repositories._interactions import InteractionRepository
from storage.repositories._usage import ApiUsageRepository

__all__ = [
    "AccountRepository",
    "ActionRepository",
    "ApiUsageRepository",
    "CredentialRepository",
    "CursorRepository",
    "DigestRepository",
    "InteractionRepository",
]
