"""The response cache of /graphql: encoded answers of queries, keyed from the raw request.

The key holds everything an answer depends on: the request as sent (method, content type,
POST body or GET query string: document, operation name and variables), the media type
answered in, what the viewer may see (anonymous, the bureau, the administrator of agency N),
the calendar day in Asia/Shanghai of the injected clock (validity changes at midnight) and the
code that answers (the schema and version); the generation (`generation.py`) says which
commits it has seen. A hit is answered from these bytes without running the schema.

Only whole answers without errors to queries are kept, and only when no resolver said the
answer must not be reused (`Context.cacheable`: rate-limited or per-token answers).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from graphql import GraphQLError, OperationType, parse
from graphql.language import OperationDefinitionNode
from starlette.requests import Request

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.clock import Clock, local_today
from directory.responsecache.generation import GenerationReader
from directory.responsecache.stores import Entry, MemoryStore, RedisStore, Store
from directory.settings import Settings

log = logging.getLogger("directory.responsecache")
_JSON = "application/json"
_MUTATION = b"mutation"


def viewer_class(viewer: Viewer) -> str:
    """What a viewer may see: every private field is decided by role and agency alone."""
    if viewer.role is Role.BUREAU:
        return "bureau"
    if viewer.role is Role.AGENCY_ADMIN:
        return f"agency:{viewer.agency_id}"
    return "anonymous"


def etag_of(body: bytes, media_type: str) -> str:
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(media_type.encode())
    return f'"{digest.hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for it)."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


@lru_cache(maxsize=512)
def is_query(document: str, operation_name: str | None) -> bool:
    """Whether the operation the request runs is a query (never a mutation or subscription)."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return len(operations) == 1 and operations[0].operation is OperationType.QUERY


@dataclass(slots=True)
class Lookup:
    """One request's place in the cache: its key, the generation read, and any answer found;
    `first` when no other request of the same key and generation is being answered."""

    key: bytes
    generation: int
    entry: Entry | None
    first: bool = True
    kept: Entry | None = None


def choose_store(settings: Settings, prefix: str) -> Store | None:
    mode = settings.response_cache
    if mode == "off":
        return None
    # "auto": shared in Redis when several workers serve and REDIS_URL names one, so that a
    # worker finds what another has answered; else this process's own (correct all the same
    # with several processes, since the generation lives in the database).
    if mode == "auto" and settings.serving_workers > 1 and "redis_url" in settings.model_fields_set:
        mode = "redis"
    if mode == "redis":
        return RedisStore(
            settings.redis_url,
            prefix,
            settings.response_cache_entries,
            settings.response_cache_bytes,
        )
    return MemoryStore(settings.response_cache_entries, settings.response_cache_bytes)


class ResponseCache:
    def __init__(self, store: Store, clock: Clock, code: str) -> None:
        self.store = store
        self.clock = clock
        self.code = code.encode()
        self.generation = GenerationReader()
        self._running: dict[tuple[int, bytes], asyncio.Future[Entry | None]] = {}

    @classmethod
    def for_settings(
        cls, settings: Settings, clock: Clock, schema_sdl: str
    ) -> ResponseCache | None:
        """The cache the settings ask for, None when it is off."""
        code = hashlib.blake2b(
            f"{version('ip-service-directory')}\n{schema_sdl}".encode(), digest_size=8
        ).hexdigest()
        store = choose_store(settings, f"ipdir:answers:{code}:")
        return cls(store, clock, code) if store is not None else None

    def _key(self, viewer: Viewer, parts: tuple[str, ...], body: bytes) -> bytes:
        digest = hashlib.blake2b(self.code, digest_size=16)
        for part in (viewer_class(viewer), local_today(self.clock()).isoformat(), *parts):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(body)
        return digest.digest()

    async def lookup(self, request: Request, viewer: Viewer, media_type: str) -> Lookup | None:
        """The request's place in the cache, None if it cannot have one."""
        if request.method == "GET":
            body = b""
        elif request.method == "POST" and _is_json(request.headers.get("content-type")):
            body = await request.body()
        else:
            return None
        if _MUTATION in body:  # spares a mutation the lookup; `is_query` decides what is kept
            return None
        parts = (
            media_type,
            request.method,
            request.headers.get("content-type", ""),
            request.scope.get("query_string", b"").decode("latin-1"),
        )
        return await self._lookup(self._key(viewer, parts, body))

    async def lookup_page(
        self, name: str, variables: dict[str, Any] | None, viewer: Viewer
    ) -> Lookup | None:
        """The place of a web page's document (`web/queries/<name>`) run with `variables`."""
        body = json.dumps(variables, sort_keys=True, default=str).encode()
        return await self._lookup(self._key(viewer, ("page", name), body))

    async def _lookup(self, key: bytes) -> Lookup | None:
        try:
            generation = await self.generation.current()
        except Exception as exc:  # the database: the request itself will say what is wrong
            log.debug("no generation: %s", type(exc).__name__)
            return None
        entry = await self.store.get(generation, key)
        if entry is not None:
            return Lookup(key, generation, entry)
        # The same request already being answered at this generation: its answer will do
        # (computed after the generation was read), rather than a second run of the query.
        running = self._running.get((generation, key))
        if running is not None:
            kept = await asyncio.shield(running)
            return Lookup(key, generation, kept, first=False)
        self._running[(generation, key)] = asyncio.get_running_loop().create_future()
        return Lookup(key, generation, None)

    async def keep(self, lookup: Lookup, body: bytes, etag: str) -> None:
        lookup.kept = Entry(etag, body)
        await self.store.put(lookup.generation, lookup.key, lookup.kept)

    def done(self, lookup: Lookup) -> None:
        """The request has been answered (kept or not): the ones waiting for it go on."""
        if lookup.first and lookup.entry is None:
            running = self._running.pop((lookup.generation, lookup.key), None)
            if running is not None and not running.done():
                running.set_result(lookup.kept)

    async def close(self) -> None:
        await self.store.close()


def _is_json(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == _JSON
