"""The pages' GraphQL client: runs the documents of `queries/` in-process with the viewer.

The pages read and write through the same schema as any HTTP client, so permissions and
validation live in one place; a test checks every document against `schema.graphql`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from directory.auth import Viewer
from directory.context import Context
from directory.errors import ErrorCode
from directory.responsecache.cache import Lookup, ResponseCache, etag_of, is_query
from directory.web.viewer import request_viewer

QUERIES = Path(__file__).parent / "queries"
_HTTP_STATUS = {ErrorCode.RATE_LIMITED.value: 429, ErrorCode.UNAVAILABLE.value: 503}


class PageQueryError(RuntimeError):
    """A page's document failed in a way no user caused (a bug or an outage of ours)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """An error the API answered that a user caused: shown next to its field."""

    code: str
    message: str
    field: str | None = None


@dataclass(slots=True)
class Answer:
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def problem_for(self, name: str) -> Problem | None:
        return next((p for p in self.problems if p.field == name), None)


@cache
def document(name: str) -> str:
    """The text of `queries/<name>.graphql`, read once."""
    return (QUERIES / f"{name}.graphql").read_text(encoding="utf-8")


async def execute(request: Request, name: str, variables: dict[str, Any] | None = None) -> Answer:
    """Run one document of `queries/` for the request's viewer; a query's answer comes from
    the response cache when the same viewer class asked it since the last write."""
    state = request.app.state
    viewer = await request_viewer(request)
    cache: ResponseCache | None = state.response_cache
    reusable = cache is not None and is_query(document(name), None)  # never a mutation's
    lookup = await cache.lookup_page(name, variables, viewer) if cache and reusable else None
    if lookup is not None and lookup.entry is not None:
        return Answer(data=json.loads(lookup.entry.body))
    try:
        return await _run(request, name, variables, viewer, lookup)
    finally:
        if cache is not None and lookup is not None:
            cache.done(lookup)


async def _run(
    request: Request,
    name: str,
    variables: dict[str, Any] | None,
    viewer: Viewer,
    lookup: Lookup | None,
) -> Answer:
    state = request.app.state
    context = Context(
        request=request,
        viewer=viewer,
        now=state.clock(),
        queue=state.queue,
        rate_limits=state.rate_limits,
        limits=state.limits,
    )
    result = await state.schema.execute(
        document(name), variable_values=variables, context_value=context
    )
    if lookup is not None and not result.errors and result.data is not None and context.cacheable:
        body = json.dumps(result.data, ensure_ascii=False).encode()
        await state.response_cache.keep(lookup, body, etag_of(body, "page"))
    problems = []
    for error in result.errors or []:
        code = (error.extensions or {}).get("reason")  # ours; `code` is the generic one
        if code is None:  # masked, or our own document is wrong: not the user's doing
            raise PageQueryError(f"{name}: {error.message}")
        if code in _HTTP_STATUS:  # the page cannot be made now; say why, and when to retry
            retry = str((error.extensions or {}).get("retryAfter", 1))
            raise HTTPException(_HTTP_STATUS[code], headers={"Retry-After": retry})
        problems.append(
            Problem(code=code, message=error.message, field=error.extensions.get("field"))
        )
    return Answer(data=result.data or {}, problems=problems)
