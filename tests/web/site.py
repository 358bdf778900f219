"""The demo site for the page tests: `ipdir serve --demo` in a child process, its own database.

It is the README's first command, so the pages are tested as a newcomer first sees them,
on a database of its own (the API tests empty theirs after every test).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

_START_TIMEOUT = 120  # seconds: migrations and the demo data set on a cold PostgreSQL
_READY_LINE = "IP Service Directory:"


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


async def demo_database_url(tmp: Path) -> str:
    backend = os.environ.get("IPDIR_TEST_DB", "sqlite")
    if backend == "postgres":
        url = os.environ.get("IPDIR_TEST_POSTGRES_URL")
        if not url:
            raise RuntimeError("IPDIR_TEST_DB=postgres needs IPDIR_TEST_POSTGRES_URL")
        return await _fresh_postgres_database(url, "ipdir_test_site")
    return f"sqlite://{tmp / 'site.sqlite3'}"


async def _wait_for_ready_line(process: asyncio.subprocess.Process) -> bool:
    """Read the server's output (the demo loader's report first) until it says it answers."""
    assert process.stdout is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _START_TIMEOUT
    while (left := deadline - loop.time()) > 0:
        try:
            line = await asyncio.wait_for(process.stdout.readline(), left)
        except TimeoutError:
            return False
        if not line:  # the process ended
            return False
        if line.decode().startswith(_READY_LINE):
            return True
    return False


@asynccontextmanager
async def serve_demo(
    database_url: str, port: int, redis_url: str, log: Path
) -> AsyncIterator[Site]:
    """Run `ipdir serve --demo` until the block ends; fail with its log when it does not start."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    env.pop("ENVIRONMENT", None)
    with log.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "directory.cli",
            "serve",
            "--demo",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
        )
        try:
            started = await _wait_for_ready_line(process)
            if not started:
                output = await asyncio.to_thread(log.read_text)
                raise RuntimeError(f"ipdir serve did not start:\n{output}")
            yield Site(url=f"http://127.0.0.1:{port}", database_url=database_url)
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
