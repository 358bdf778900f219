"""A real server per test session: migrations applied, uvicorn on loopback, httpx over HTTP.

IPDIR_TEST_DB chooses the database (sqlite, the default, or postgres with
IPDIR_TEST_POSTGRES_URL); a missing server makes the session fail, never skip.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import connections

from directory.app import create_app
from directory.auth import forget_token
from directory.db import DOMAIN_TABLES
from directory.migrate import migrate
from directory.serving import free_port, serving
from directory.settings import Settings

# Redis, SMTP, webhook and burst-worker fixtures for the tests of background jobs.
pytest_plugins = ["tests.workerkit"]


class TestClock:
    """The injected clock: tests move it to exercise date rules."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Server:
    url: str
    settings: Settings
    clock: TestClock
    app: Starlette


def _database_url(tmp: Path) -> str:
    backend = os.environ.get("IPDIR_TEST_DB", "sqlite")
    if backend == "sqlite":
        return f"sqlite://{tmp / 'test.sqlite3'}"
    if backend == "postgres":
        url = os.environ.get("IPDIR_TEST_POSTGRES_URL")
        if not url:
            raise RuntimeError("IPDIR_TEST_DB=postgres needs IPDIR_TEST_POSTGRES_URL")
        return url
    raise RuntimeError(f"IPDIR_TEST_DB must be sqlite or postgres, got {backend!r}")


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    # The API's job queue: the throwaway Redis of scripts/test, else a port nothing answers on.
    redis_url = os.environ.get("IPDIR_TEST_REDIS_URL") or f"redis://127.0.0.1:{free_port()}/0"
    settings = Settings(
        database_url=_database_url(tmp_path_factory.mktemp("db")),
        redis_url=redis_url,
        # The API tests ask deep documents to count statements; test_limits.py and
        # test_cost.py check the cost limit and the default.
        max_query_cost=100_000_000,
        # Every test runs with the response cache on, so that every answer a test checks
        # after a write shows the cache let the write through.
        response_cache="memory",
    )
    await migrate(settings)
    clock = TestClock()
    app = create_app(settings, clock=clock)
    async with serving(app) as url:
        await _delete_domain_rows()
        forget_token()  # the tokens are gone: so are the viewers kept for them
        yield Server(url=url, settings=settings, clock=clock, app=app)


async def table_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every domain table: compare before and after to prove nothing was written."""
    conn = connections.get("default")
    dump = {}
    for table in DOMAIN_TABLES:
        rows = await conn.execute_query_dict(f'SELECT * FROM "{table}"')
        dump[table] = sorted(rows, key=repr)
    return dump


async def _delete_domain_rows() -> None:
    conn = connections.get("default")
    for table in DOMAIN_TABLES:
        await conn.execute_query(f'DELETE FROM "{table}"')


@pytest.fixture(autouse=True)
async def _clean(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "server" in request.fixturenames:
        await _delete_domain_rows()
        forget_token()
        server: Server = request.getfixturevalue("server")
        server.clock.at = TestClock().at
        await server.app.state.rate_limits.clear()


@pytest.fixture
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of a successful answer; fails the test on any GraphQL error."""
        body = (await self.raw(query, variables, token)).json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> list[dict[str, Any]]:
        body = (await self.raw(query, variables, token)).json()
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
