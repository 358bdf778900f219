"""Running uvicorn inside this process: `ipdir serve`, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

_POLL = 0.02  # seconds between looks at uvicorn's `started` flag
_START_TIMEOUT = 10  # seconds for an in-process server to listen
_DEMO_START_TIMEOUT = 120  # seconds: migrations and the demo data set on a cold PostgreSQL
_READY_LINE = "IP Service Directory:"  # the line `ipdir serve` prints once it answers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def start(server: uvicorn.Server) -> asyncio.Task[None]:
    """Run `server` in a task and return the task once it listens or has stopped.

    `server.started` tells which; cancelling the wait (a timeout) cancels the server too.
    """
    task = asyncio.create_task(server.serve())
    try:
        while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn sets a flag)
            await asyncio.sleep(_POLL)
    except asyncio.CancelledError:
        task.cancel()
        raise
    return task


@asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port while the block runs; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # the app decides whose X-Forwarded-For it believes
    )
    server = uvicorn.Server(config)
    async with asyncio.timeout(_START_TIMEOUT):
        task = await start(server)
    if not server.started:
        task.result()  # raises what stopped it
        raise RuntimeError("the server stopped before it listened")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _wait_for_ready_line(process: asyncio.subprocess.Process) -> bool:
    """Read the server's output (the demo loader's report first) until it says it answers."""
    assert process.stdout is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _DEMO_START_TIMEOUT
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
async def demo_process(
    database_url: str, port: int, redis_url: str, log: Path, demo: bool = True
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run `ipdir serve --demo` (the README's first command) in a child process on loopback
    until the block ends; its errors go to `log`, shown when it does not start. With
    `demo=False`, plain `ipdir serve` on the database as it is (the benchmarks')."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    env.pop("ENVIRONMENT", None)
    with log.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "directory.cli",
            "serve",
            *(["--demo"] if demo else []),
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
            if not await _wait_for_ready_line(process):
                output = await asyncio.to_thread(log.read_text)
                raise RuntimeError(f"ipdir serve did not start:\n{output}")
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
