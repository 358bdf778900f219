"""Running uvicorn inside this process: `ipdir serve`, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp

_POLL = 0.02  # seconds between looks at uvicorn's `started` flag
_START_TIMEOUT = 10  # seconds for an in-process server to listen


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
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
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
