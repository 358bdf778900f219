"""Running uvicorn inside this process: `ipdir serve`, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.supervisors import Multiprocess

from directory.settings import Settings

_POLL = 0.02  # seconds between looks at uvicorn's `started` flag
_START_TIMEOUT = 10  # seconds for an in-process server to listen
_DEMO_START_TIMEOUT = 120  # seconds: migrations and the demo data set on a cold PostgreSQL
_READY_LINE = "IP Service Directory:"  # the line `ipdir serve` prints once it answers


def tune_collector(settings: Settings) -> None:
    """Collector settings for a server, once start-up is done: what start-up allocated (the
    schema, the modules, the reference data) is frozen out of every later collection, and
    the young generation is collected every GC_YOUNG_THRESHOLD allocations instead of 700, so
    a page's tens of thousands of short-lived objects do not trigger a collection each."""
    if settings.gc_freeze:
        gc.collect()
        gc.freeze()
    if settings.gc_young_threshold:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(settings.gc_young_threshold, older, oldest)


def served_app(settings: Settings | None = None) -> ASGIApp:
    """The app as `ipdir serve` serves it, in each worker: built, then the collector tuned."""
    from directory.app import create_app
    from directory.settings import get_settings

    settings = settings or get_settings()
    app = create_app(settings)
    tune_collector(settings)
    return app


def ready_line(url: str) -> str:
    """What `ipdir serve` prints once it answers (the tests and benchmarks wait for it)."""
    return f"{_READY_LINE} web pages at {url} · GraphQL at {url}graphql"


def serve_workers(workers: int, options: dict[str, Any], url: str) -> int:
    """Serve with `workers` processes, each a whole app built by `create_app`, sharing one
    listening socket; uvicorn's supervisor restarts a worker that dies. The address is
    printed once the socket is bound: connections wait in its queue until a worker takes them."""
    config = uvicorn.Config(
        "directory.serving:served_app", factory=True, workers=workers, **options
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)  # queue connections already, before any worker listens
    print(ready_line(url), flush=True)
    Multiprocess(config, sockets=[sock]).run()
    return 0


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
    database_url: str,
    port: int,
    redis_url: str,
    log: Path,
    demo: bool = True,
    options: Sequence[str] = (),
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
            *options,
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
