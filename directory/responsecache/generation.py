"""The generation: a number that every committed write moves on, read once per lookup.

A cached answer is filed under the generation read before it was computed; once any write
commits, lookups read a newer number and miss. The number comes from the database itself, so
no writer can forget to move it (API processes, the worker's jobs, the CLI, a migration's data
step, hand-written SQL) and it becomes visible in the same instant as the data it stands for.

PostgreSQL: triggers on every table a read can see. A statement-level trigger (skipping
statements that changed no row) marks the transaction once; a deferred constraint trigger on
that mark bumps one row of `response_generation` at commit, so concurrent writers queue on the
counter's row only while they commit, never while they work, and cannot deadlock on it.

SQLite: the file's own counters, with no trigger (a trigger's changes would be added to every
UPDATE's and DELETE's row count the ORM reports): `data_version` moves when another connection
commits, `total_changes()` when this process's one connection writes. Any commit moves it,
sign-ins too; the embedded database serves one process, where that costs little. Both
counters are the connection's own, so a random number per connection goes with them.
Generations are compared for equality only, never for order.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import OperationalError

TABLE = "response_generation"
_PENDING = "response_generation_pending"
# Tables no GraphQL answer reads: writing them must not flush the cache.
UNSEEN_TABLES = frozenset(
    {
        "web_session",  # the pages' sign-in bookkeeping; /graphql takes tokens only
        "tortoise_migrations",  # a migrate bumps the generation itself when it ends
        TABLE,
        _PENDING,
    }
)
_EVENTS = ("insert", "update", "delete", "truncate")
_READ = f"SELECT n FROM {TABLE} WHERE id = 1"
_SQLITE_READ = (
    "SELECT nonce, (SELECT data_version FROM pragma_data_version()), total_changes() "
    "FROM temp.response_connection"
)
_BUMP = f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"
_READ_TIMEOUT = 2.0  # seconds a lookup waits for the number before answering uncached

_POSTGRES_SETUP = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (id SMALLINT PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
INSERT INTO {TABLE} (id, n) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS {_PENDING} (xid BIGINT PRIMARY KEY);
CREATE OR REPLACE FUNCTION response_generation_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'TRUNCATE' THEN
        IF NOT EXISTS (SELECT 1 FROM changed) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF current_setting('ipdir.response_touched', true) IS DISTINCT FROM '1' THEN
        PERFORM set_config('ipdir.response_touched', '1', true);
        INSERT INTO {_PENDING} (xid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION response_generation_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {_BUMP};
    DELETE FROM {_PENDING} WHERE xid = NEW.xid;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS response_generation_bump ON {_PENDING};
CREATE CONSTRAINT TRIGGER response_generation_bump AFTER INSERT ON {_PENDING}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION response_generation_bump();
"""


def trigger_name(event: str, table: str) -> str:
    return f"response_{event}_{table}"


def _postgres_trigger(event: str, table: str) -> str:
    name = trigger_name(event, table)
    if event == "truncate":
        referencing = ""
    else:
        referencing = f"REFERENCING {'OLD' if event == 'delete' else 'NEW'} TABLE AS changed "
    return (
        f'CREATE TRIGGER {name} AFTER {event.upper()} ON "{table}" {referencing}'
        "FOR EACH STATEMENT EXECUTE FUNCTION response_generation_touch();"
    )


def _is_postgres(client: BaseDBAsyncClient) -> bool:
    return bool(client.capabilities.dialect == "postgres")


async def _tables_and_triggers(client: BaseDBAsyncClient) -> tuple[list[str], set[str]]:
    _, tables = await client.execute_query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    _, triggers = await client.execute_query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    return [str(r[0]) for r in tables], {str(r[0]) for r in triggers}


async def watched_tables(client: BaseDBAsyncClient) -> dict[str, set[str]]:
    """Each table a read can see, with the events whose trigger it lacks (PostgreSQL)."""
    tables, triggers = await _tables_and_triggers(client)
    return {
        table: {e for e in _EVENTS if trigger_name(e, table) not in triggers}
        for table in sorted(tables)
        if table not in UNSEEN_TABLES
    }


async def install(client: BaseDBAsyncClient) -> None:
    """The counter and a trigger on every table a read can see that has none yet.

    Run by migration 0011 and at the end of every migrate, so that a table added later is
    watched from the migrate that creates it. Installs only what is missing: a start-up
    with nothing to add only reads the catalogue. Nothing to install on SQLite."""
    if not _is_postgres(client):
        return
    _, found = await client.execute_query(
        "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1", [TABLE]
    )
    if not found:
        await client.execute_script(_POSTGRES_SETUP)
    missing = (await watched_tables(client)).items()
    script = [_postgres_trigger(e, t) for t, events in missing for e in sorted(events)]
    if script:
        await client.execute_script("\n".join(script))


async def bump(client: BaseDBAsyncClient | None = None) -> None:
    """Move the generation on without a write (a migrate: the code may answer differently).
    SQLite's counters need no help: a migrate runs before its process serves."""
    client = client or connections.get("default")
    if _is_postgres(client):
        await client.execute_query(_BUMP)


async def read(client: BaseDBAsyncClient | None = None) -> int:
    client = client or connections.get("default")
    if _is_postgres(client):
        _, rows = await client.execute_query(_READ)
        return int(rows[0][0])
    try:
        _, rows = await client.execute_query(_SQLITE_READ)
    except OperationalError:  # a new connection, whose counters start again: a number of its own
        await client.execute_query("CREATE TEMP TABLE response_connection (nonce INTEGER)")
        await client.execute_query(
            "INSERT INTO temp.response_connection VALUES (?)", [secrets.randbits(62)]
        )
        _, rows = await client.execute_query(_SQLITE_READ)
    nonce, version, changes = (int(v) for v in rows[0])
    return (nonce << 80) + (version << 40) + changes


class GenerationReader:
    """The current generation, read once per lookup, with concurrent lookups sharing reads.

    A lookup may only use a read that began after the lookup did (else it could miss a commit
    its client already saw): lookups arriving while a read is under way wait for the next one,
    which starts as soon as the current one ends and serves all of them.
    """

    def __init__(self, read_now: Callable[[], Awaitable[int]] = read) -> None:
        self._read = read_now
        self._next: asyncio.Future[int] | None = None  # the read not begun yet
        self._busy = False
        self._task: asyncio.Task[None] | None = None

    async def current(self) -> int:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if not self._busy:
                self._busy = True
                self._task = asyncio.get_running_loop().create_task(self._run())
        return await asyncio.shield(self._next)

    async def _run(self) -> None:
        try:
            while self._next is not None:
                future, self._next = self._next, None
                try:
                    async with asyncio.timeout(_READ_TIMEOUT):
                        future.set_result(await self._read())
                except Exception as exc:  # the lookups answer uncached; the query says why
                    future.set_exception(exc)
                    future.exception()  # retrieved: no warning when every lookup gave up
        finally:
            self._busy = False
