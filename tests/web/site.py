"""The demo site for the page tests: `ipdir serve --demo` in a child process, its own database.

It is the README's first command, so the pages are tested as a newcomer first sees them,
on a database of its own (the API tests empty theirs after every test).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from directory.serving import demo_process


@dataclass(frozen=True)
class Site:
    url: str
    database_url: str

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


async def _fresh_postgres_database(url: str, name: str) -> str:
    """An empty database `name` beside the one of `url`; its URL."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def demo_database_url(tmp: Path, name: str = "ipdir_test_site") -> str:
    """A new empty database of the kind under test: PostgreSQL `name`, or a SQLite file."""
    backend = os.environ.get("IPDIR_TEST_DB", "sqlite")
    if backend == "postgres":
        url = os.environ.get("IPDIR_TEST_POSTGRES_URL")
        if not url:
            raise RuntimeError("IPDIR_TEST_DB=postgres needs IPDIR_TEST_POSTGRES_URL")
        return await _fresh_postgres_database(url, name)
    return f"sqlite://{tmp / f'{name}.sqlite3'}"


@asynccontextmanager
async def serve_demo(
    database_url: str, port: int, redis_url: str, log: Path
) -> AsyncIterator[Site]:
    """Run `ipdir serve --demo` until the block ends; fail with its log when it does not start."""
    async with demo_process(database_url, port, redis_url, log):
        yield Site(url=f"http://127.0.0.1:{port}", database_url=database_url)
