"""`ipdir serve --workers 2`: two processes share the socket, and each answers on its own."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx

from directory.responsecache.cache import choose_store
from directory.responsecache.stores import MemoryStore
from directory.serving import demo_process, free_port
from directory.settings import Settings

_DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing here needs Redis; the queue opens lazily


def _children(pid: int) -> list[int]:
    """The worker processes of `pid` (not multiprocessing's resource tracker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return [p for p in found if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


async def _answer(port: int) -> dict:
    # a new connection each time: a stopped worker cannot take it from the queue
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        answer = await http.post("/graphql", json={"query": "{ __typename }"})
    assert answer.status_code == 200, answer.text
    data: dict = answer.json()
    return data


async def test_two_workers_each_answer(server, tmp_path):
    port = free_port()
    options = ("--workers", "2")
    url = server.settings.database_url
    async with demo_process(
        url, port, _DEAD_REDIS, tmp_path / "serve.log", False, options
    ) as ipdir:
        assert await _answer(port) == {"data": {"__typename": "Query"}}  # both have started
        workers = _children(ipdir.pid)
        assert len(workers) == 2, workers
        # when either worker is stopped, the other answers alone
        for stopped, other in (workers, reversed(workers)):
            os.kill(stopped, signal.SIGSTOP)
            try:
                assert await _answer(port) == {"data": {"__typename": "Query"}}
            finally:
                os.kill(stopped, signal.SIGCONT)
            assert other in _children(ipdir.pid)


def test_the_automatic_response_cache_is_shared_in_redis_by_several_workers(monkeypatch):
    for name in ("REDIS_URL", "RESPONSE_CACHE", "WORKERS", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)

    def store(**values: object) -> object:
        return choose_store(Settings(**values), "test:")  # type: ignore[arg-type]

    redis = "redis://127.0.0.1:6379/0"
    assert isinstance(store(workers=1, redis_url=redis), MemoryStore)
    assert isinstance(store(workers=2), MemoryStore)  # no REDIS_URL given: each its own
    assert type(store(workers=2, redis_url=redis)).__name__ == "RedisStore"
    assert isinstance(store(workers=2, redis_url=redis, response_cache="memory"), MemoryStore)
