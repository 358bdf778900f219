"""The reference of bench.floor: a bare Strawberry app, served as `ipdir serve` serves ours.

    python -m uvicorn bench.bare:app --port 8001 --log-level warning --no-proxy-headers

One query field and Strawberry's own parser and validation caches (what a bare app tuned by
its documentation would run): the floor that schema execution over HTTP costs on this
machine, without the directory's limits, context, viewer and response headers.
"""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


schema = strawberry.Schema(
    query=Query,
    extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
)
app = GraphQL(schema, graphql_ide=None)
