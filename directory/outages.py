"""Which failures mean the database is down or restarting, rather than a bug of ours.

Such a failure is answered UNAVAILABLE (and /readyz 503) so that a client retries, instead
of being masked as "Unexpected error". The causes are looked for along the exception chain:
Tortoise wraps the drivers' errors.
"""

from __future__ import annotations

import logging
import sqlite3

import asyncpg
from tortoise.exceptions import DBConnectionError

log = logging.getLogger("directory")

# asyncpg: connection lost or refused, server starting or shutting down, too many clients
_POSTGRES_DOWN = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)
# SQLite: another process holds the write lock past the busy timeout, or the file went away
_SQLITE_DOWN = ("database is locked", "unable to open database file", "disk i/o error")


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) says the database cannot be reached right now."""
    for cause in _causes(exc):
        if isinstance(cause, (DBConnectionError, OSError, *_POSTGRES_DOWN)):
            return True
        if isinstance(cause, sqlite3.OperationalError) and any(
            text in str(cause).lower() for text in _SQLITE_DOWN
        ):
            return True
    return False


def log_outage(exc: BaseException | None) -> None:
    """One line for an outage of the database, never a traceback."""
    log.warning("database unavailable: %s", type(exc).__name__)
