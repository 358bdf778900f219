"""The Starlette application: the web pages, /graphql, health probes, and the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from directory.bodylimit import RequestBodyLimit
from directory.clock import Clock, system_clock
from directory.db import tortoise_config
from directory.endpoint import GraphQLEndpoint
from directory.queue import JobQueue
from directory.ratelimit import RateLimiter, request_limits
from directory.schema import build_schema
from directory.settings import Settings, get_settings
from directory.web.routes import exception_handlers, web_routes
from directory.web.session import SessionMiddleware
from directory.web.transfer import MAX_UPLOAD_BYTES

log = logging.getLogger("directory")
GRAPHQL_PATH = "/graphql"
GRAPHQL_METHODS = ("GET", "POST", "OPTIONS")


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


class _GraphQLFirst:
    """ASGI middleware: /graphql straight to its endpoint, past the page middleware, the
    router and the pages' exception handling, none of which it uses; the rest to `app`."""

    def __init__(self, app: ASGIApp, graphql: ASGIApp) -> None:
        self.app = app
        self.graphql = graphql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == GRAPHQL_PATH
            and scope["method"] in GRAPHQL_METHODS
        ):
            await self.graphql(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> Starlette:
    """The ASGI app; `clock` is injected so that date rules are testable."""
    settings = settings or get_settings()
    # Opened on first use, so the API starts and serves while Redis is down.
    queue = JobQueue(settings.redis_url)
    rate_limits = RateLimiter(settings.redis_url, clock)
    schema = build_schema(settings)
    graphql = GraphQLEndpoint(schema, settings, clock, queue)
    graphql_app = _with_cors(graphql, settings)

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
                await graphql.close()

    app = Starlette(
        routes=[
            # Reached only by other methods (405): _GraphQLFirst answers these before routing.
            Route(GRAPHQL_PATH, graphql_app, methods=list(GRAPHQL_METHODS)),
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
            # Inside Starlette's error middleware: a body over the cap is answered 413 before
            # any route or form parser reads it.
            Middleware(
                RequestBodyLimit,
                limit=settings.max_request_bytes,
                paths={"/bureau/import": max(settings.max_request_bytes, MAX_UPLOAD_BYTES)},
            ),
            Middleware(_GraphQLFirst, graphql=graphql_app),
            Middleware(SessionMiddleware, clock=clock, secure=settings.environment == "production"),
        ],
        exception_handlers=exception_handlers,
        lifespan=lifespan,
    )
    # What the pages need to run GraphQL in-process, as /graphql does.
    app.state.settings = settings
    app.state.schema = schema
    app.state.clock = clock
    app.state.queue = queue
    app.state.rate_limits = rate_limits
    app.state.limits = request_limits(settings)
    app.state.response_cache = graphql.cache
    return app
