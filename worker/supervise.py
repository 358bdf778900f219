"""The worker's outer loop: run arq, and when Redis goes away, start again once it is back.

arq's worker stops for good when its Redis connection breaks (python-arq/arq#435, #498):
redis-py's own retries cover a blip, not a restart. So `ipdir worker` runs arq's `Worker`
under this loop, which lets the jobs in flight finish, waits a little longer each time and
starts a fresh worker on a fresh pool, for as long as it is not told to stop. The database
stays open across restarts; Compose restarts the process itself if it dies anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence
from typing import Any

from arq.worker import Worker, get_kwargs
from redis.exceptions import RedisError
from tortoise import Tortoise

from directory.clock import Clock, system_clock
from directory.db import tortoise_config
from directory.queue import shown_url
from directory.settings import Settings

log = logging.getLogger("worker")

RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # seconds before each new start; the last repeats
JOBS_GRACE = 150.0  # seconds the jobs in flight may take to finish (longer than a delivery)
_LOST = (RedisError, OSError, TimeoutError)


async def _retire(worker: Worker) -> None:
    """Let the old worker's jobs finish, then drop its pool (Redis may be gone)."""
    tasks = [t for t in worker.tasks.values() if not t.done()]
    if tasks:
        await asyncio.wait(tasks, timeout=JOBS_GRACE)
        for task in tasks:
            task.cancel()
    for task in worker.tasks.values():
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.warning("a job ended with its Redis: %s", type(task.exception()).__name__)
    pool = worker._pool
    worker._pool = None
    if pool is not None:
        with contextlib.suppress(*_LOST):
            await pool.delete(worker.health_check_key)
        with contextlib.suppress(*_LOST):
            await pool.aclose(close_connection_pool=True)


async def supervise(
    make: Callable[[], Worker],
    stop: asyncio.Event,
    delays: Sequence[float] = RESTART_DELAYS,
) -> int:
    """Run workers made by `make` until `stop` is set (or a burst worker ends); returns how
    many times a worker had to be started again."""
    restarts = 0
    while True:
        worker = make()
        running = asyncio.create_task(worker.main())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not running.done():  # told to stop: cancel the poll loop, let the jobs finish
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError, *_LOST):
                await running
            await _retire(worker)
            return restarts
        stopping.cancel()
        error = running.exception()
        await _retire(worker)
        if error is None:
            return restarts
        if not isinstance(error, _LOST):
            raise error
        delay = delays[min(restarts, len(delays) - 1)]
        restarts += 1
        log.warning("worker lost Redis (%s); starting again in %.0f s", type(error).__name__, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return restarts


def worker_factory(
    settings: Settings, clock: Clock = system_clock, **overrides: Any
) -> Callable[[], Worker]:
    """Workers as `worker.settings.WorkerSettings` describes them, without its startup (the
    database is opened once, by `run`) and without their own signal handling."""
    from worker.settings import WorkerSettings, worker_redis

    options: dict[str, Any] = {
        **get_kwargs(WorkerSettings),  # type: ignore[arg-type]
        "redis_settings": worker_redis(settings.redis_url),
        "on_startup": None,
        "on_shutdown": None,
        "handle_signals": False,
        **overrides,
    }

    def make() -> Worker:
        return Worker(**options, ctx={"settings": settings, "clock": clock})

    return make


async def run(settings: Settings) -> int:
    """`ipdir worker`: the database once, the supervised worker until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        log.info("worker on %s", shown_url(settings.redis_url))
        await supervise(worker_factory(settings), stop)
    finally:
        await Tortoise.close_connections()
    return 0
