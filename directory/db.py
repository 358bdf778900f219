"""The Tortoise configuration shared by the API, the worker, the CLI and the tests, and the
few pieces of raw SQL that differ between PostgreSQL and SQLite."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from tortoise.backends.base.config_generator import expand_db_url

from directory.settings import Settings

if TYPE_CHECKING:
    from asyncpg import Connection
    from tortoise.backends.base.client import BaseDBAsyncClient

MODEL_MODULES = [
    "directory.reference.models",
    "directory.agencies.models",
    "directory.talent.models",
    "directory.reviews.models",
    "directory.targets.models",
    "directory.reminders.models",
    "directory.accounts.models",
    "directory.engagements.models",
]


# Tables of the directory's own data (not reference data), children before parents, so
# deleting in this order respects the foreign keys: the tests and the bench empty them.
DOMAIN_TABLES = (
    "audit_entry",
    "web_session",
    "api_token",
    "reminder",
    "agency_notification",
    "agency_annual_report",
    "statistic",
    "target_snapshot",
    "target",
    "review",
    "engagement_request",
    "engagement_inquiry",
    "unmet_need",
    "training_record",
    "licence_assessment",
    "qualification",
    "practitioner_field_link",
    "practitioner",
    "agency_licence",
    "agency_region_served",
    "agency_field_link",
    "agency_service_link",
    "agency_kind_link",
    "agency_match_facts",
    "agency",
)


CONNECT_TIMEOUT = 5  # seconds to reach PostgreSQL before saying it cannot be reached


def ids_in(client: BaseDBAsyncClient, column: str, ids: list[int]) -> tuple[str, list[Any]]:
    """`column` among `ids` as a raw condition and its values: one array parameter on
    PostgreSQL, one placeholder an id on SQLite."""
    if client.capabilities.dialect == "postgres":
        return f"{column} = ANY($1::int[])", [ids]
    return f"{column} IN ({', '.join('?' for _ in ids)})", list(ids)


def json_strings(value: Any) -> tuple[str, ...]:
    """A JSON list of strings column as the driver gives it: a list, or (SQLite, and asyncpg
    for jsonb) its text, read once for each distinct text."""
    if isinstance(value, str):
        return _parsed_strings(value)
    return tuple(value or ())


@lru_cache(maxsize=1024)  # a few spellings repeat over every row: '["zh"]', '[]', ...
def _parsed_strings(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text) or ())


def connection_url(settings: Settings) -> str:
    """The database URL with the SQLite busy timeout set, so API and worker can share a file,
    and a bounded connect timeout for PostgreSQL (asyncpg waits a minute by default)."""
    url = settings.database_url
    query = urlsplit(url).query
    sep = "&" if "?" in url else "?"
    if settings.is_sqlite and "busy_timeout" not in query:
        url = f"{url}{sep}{urlencode({'busy_timeout': settings.sqlite_busy_timeout})}"
    elif not settings.is_sqlite and "timeout" not in query:
        url = f"{url}{sep}{urlencode({'timeout': CONNECT_TIMEOUT})}"
    return url


async def _keep_session(connection: Connection) -> None:
    """Nothing to undo when a connection goes back to the pool: the directory sets no session
    variable, takes no advisory lock, keeps no cursor and listens to nothing. In place of
    asyncpg's reset, a round trip (`RESET ALL; UNLISTEN *; ...`) after every statement; an
    open transaction is still rolled back (asyncpg does that before calling this)."""


def _connection(settings: Settings) -> str | dict[str, Any]:
    url = connection_url(settings)
    if settings.is_sqlite:
        return url
    config: dict[str, Any] = expand_db_url(url)
    config["credentials"].update(minsize=1, maxsize=settings.database_pool_max, reset=_keep_session)
    # The directory's statements are short reads of a few thousand rows at most, whose plans
    # the planner may still cost above `jit_above_cost`: compiling one took 150-200 ms, ten
    # times the statement itself (the match bound's), and the code is never reused.
    config["credentials"]["server_settings"] = {"jit": "off"}
    return config


def tortoise_config(settings: Settings) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(settings)},
        "apps": {
            "directory": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "directory.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _tortoise_orm() -> dict[str, Any]:
    from directory.settings import get_settings

    return tortoise_config(get_settings())


def __getattr__(name: str) -> Any:
    # `tortoise -c directory.db.TORTOISE_ORM makemigrations` reads this lazily.
    if name == "TORTOISE_ORM":
        return _tortoise_orm()
    raise AttributeError(name)
