"""A second app over the test session's database, with settings of its own (small limits,
production mode), served on loopback while a test module runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from directory.app import create_app
from directory.serving import free_port, start
from tests.conftest import Server


@asynccontextmanager
async def variant(server: Server, **settings: Any) -> AsyncIterator[str]:
    """Serve the app built with `settings` changed; yields its base URL.

    Its lifespan stays off: the session server has opened the database for the process.
    """
    app = create_app(server.settings.model_copy(update=settings), clock=server.clock)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", access_log=False
    )
    served = uvicorn.Server(config)
    async with asyncio.timeout(10):
        task = await start(served)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        await task
        # What the lifespan would close: the job queue and the rate limits' Redis.
        await app.state.queue.close()
        await app.state.rate_limits.close()
        if app.state.response_cache is not None:
            await app.state.response_cache.close()
