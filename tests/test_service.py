"""The service as an operator meets it: probes, limits, errors, settings, `ipdir serve`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
from graphql import GraphQLError

from directory.errors import ErrorCode, Rejected, should_mask_error
from directory.serving import free_port


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).text == "ok"
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.text) == (200, "ok")


async def test_the_query_console_is_served_to_a_browser(client):
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphql 查询控制台" in page.text.lower()  # our own, in place of GraphiQL


async def test_too_deep_a_query_is_refused(gql):
    nested = "name"
    for _ in range(6):
        nested = f"practitioners {{ agency {{ {nested} }} }}"
    errors = await gql.errors(f"{{ agencies {{ edges {{ node {{ {nested} }} }} }} }}")
    assert "exceeds maximum operation depth" in errors[0]["message"]


async def test_too_many_aliases_are_refused(gql):
    aliases = " ".join(f"a{i}: __typename" for i in range(31))
    errors = await gql.errors(f"{{ {aliases} }}")
    assert "aliases found" in errors[0]["message"]


async def test_validation_errors_are_shown_not_masked(gql):
    errors = await gql.errors("{ agencies { nope } }")
    assert "Cannot query field 'nope'" in errors[0]["message"]


def test_unexpected_errors_are_masked_and_ours_are_not():
    assert should_mask_error(GraphQLError("boom", original_error=RuntimeError("secret")))
    ours = Rejected.one(ErrorCode.INVALID_INPUT, "name", "bad")
    assert not should_mask_error(GraphQLError("bad", original_error=ours))
    assert not should_mask_error(GraphQLError("syntax"))


def _ipdir(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "directory.cli", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_database_url_fails_at_start_naming_the_variable(tmp_path):
    done = _ipdir("migrate", env={"DATABASE_URL": "mysql://nowhere/db"}, cwd=tmp_path)
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr
    assert not list(tmp_path.iterdir())  # nothing was created


async def test_ipdir_serve_demo_answers_at_the_url_it_prints(tmp_path):
    # given a fresh folder and the embedded default database
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'ipdir.sqlite3'}"}
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "directory.cli",
        "serve",
        "--demo",
        "--port",
        str(port),
        "--log-level",
        "warning",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        url = None
        output: list[str] = []
        while url is None:
            line = (await asyncio.wait_for(proc.stdout.readline(), timeout=120)).decode()
            assert line, f"ipdir serve exited early: {''.join(output)}"
            output.append(line)
            if "GraphQL at " in line:
                url = line.split("GraphQL at ", 1)[1].strip()
        assert url == f"http://127.0.0.1:{port}/graphql"
        assert f"web pages at http://127.0.0.1:{port}/ " in output[-1]
        # then the printed URL answers at once, with the demo directory in it
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(
                url, json={"query": '{ agencies(filter: {region: "511900"}) { totalCount } }'}
            )
            home = await http.get(f"http://127.0.0.1:{port}/")
        assert answer.status_code == 200
        assert answer.json()["data"]["agencies"]["totalCount"] >= 10
        assert home.status_code == 200
        assert "机构名录" in home.text
    finally:
        if proc.returncode is None:
            proc.terminate()
        await proc.wait()
