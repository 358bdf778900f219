"""The Starlette application: the web pages, /graphql, health probes, and the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from directory.auth import viewer_from_header
from directory.clock import Clock, system_clock
from directory.context import Context
from directory.db import tortoise_config
from directory.errors import UNAVAILABLE_RETRY, Rejected, graphql_errors, unavailable_error
from directory.outages import database_unavailable
from directory.queue import JobQueue
from directory.ratelimit import RateLimiter, request_limits
from directory.schema import build_schema
from directory.settings import Settings, get_settings
from directory.web.routes import exception_handlers, query_page, web_routes
from directory.web.session import SessionMiddleware

log = logging.getLogger("directory")


class _GraphQL(GraphQL[Context, None]):
    def __init__(
        self, schema: strawberry.Schema, settings: Settings, clock: Clock, queue: JobQueue
    ) -> None:
        super().__init__(
            schema,
            # Our own query page (render_graphql_ide): Strawberry's GraphiQL loads from a CDN.
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=settings.environment != "production",
        )
        self.clock = clock
        self.queue = queue

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            try:
                viewer = await viewer_from_header(
                    request.headers.get("authorization"), self.clock()
                )
            except Rejected as exc:
                body = {"data": None, "errors": [e.formatted for e in graphql_errors(exc)]}
                await JSONResponse(body, status_code=401)(scope, receive, send)
                return
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                log.warning("database unavailable: %s", type(exc).__name__)
                body = {"data": None, "errors": [unavailable_error().formatted]}
                headers = {"retry-after": str(UNAVAILABLE_RETRY)}
                await JSONResponse(body, status_code=503, headers=headers)(scope, receive, send)
                return
            scope.setdefault("state", {})["viewer"] = viewer
        await super().__call__(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(query_page())

    async def get_context(self, request: Request, response: Response | None) -> Context:  # type: ignore[override]
        state = request.app.state
        return Context(
            request=request,
            viewer=request.state.viewer,
            now=self.clock(),
            queue=self.queue,
            rate_limits=state.rate_limits,
            limits=state.limits,
        )


def _with_cors(app: ASGIApp, settings: Settings) -> ASGIApp:
    """/graphql for the pages of CORS_ORIGINS too (a front end hosted elsewhere)."""
    if not settings.cors_origin_list:
        return app
    return CORSMiddleware(
        app,
        allow_origins=settings.cors_origin_list,
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type"],
        max_age=3600,
    )


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> Starlette:
    """The ASGI app; `clock` is injected so that date rules are testable."""
    settings = settings or get_settings()
    # Opened on first use, so the API starts and serves while Redis is down.
    queue = JobQueue(settings.redis_url)
    rate_limits = RateLimiter(settings.redis_url, clock)
    schema = build_schema(settings)
    graphql = _GraphQL(schema, settings, clock, queue)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            await connections.get("default").execute_query("SELECT 1")
        except Exception as exc:  # any failure means not ready; say which
            log.warning("readiness check failed: %s", type(exc).__name__)
            return PlainTextResponse("database unreachable", status_code=503)
        return PlainTextResponse("ok")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings)):
            try:
                yield
            finally:
                await queue.close()
                await rate_limits.close()

    app = Starlette(
        routes=[
            Route("/graphql", _with_cors(graphql, settings), methods=["GET", "POST", "OPTIONS"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *web_routes(),
        ],
        middleware=[
            # The client's address for the rate limits: a trusted proxy's X-Forwarded-For,
            # else the socket's peer (uvicorn is run without its own proxy handling).
            *(
                [Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)]
                if settings.trusted_proxy_list
                else []
            ),
            Middleware(SessionMiddleware, clock=clock, secure=settings.environment == "production"),
        ],
        exception_handlers=exception_handlers,
        lifespan=lifespan,
    )
    # What the pages need to run GraphQL in-process, as /graphql does.
    app.state.settings = settings
    app.state.schema = schema
    app.state.settings = settings
    app.state.clock = clock
    app.state.queue = queue
    app.state.rate_limits = rate_limits
    app.state.limits = request_limits(settings)
    return app
