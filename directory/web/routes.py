"""The web routes mounted at /: the firms' pages, static files and the error pages."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from directory.errors import UNAVAILABLE_RETRY
from directory.outages import database_unavailable
from directory.web.admin import admin_routes
from directory.web.bureau import bureau_routes
from directory.web.firms import agency_page, directory_page, match_page
from directory.web.inquiries import inquiry_routes
from directory.web.render import STATIC, asset, render, templates
from directory.web.signin import signin_handlers, signin_routes


def query_page() -> str:
    """The development query console that /graphql shows a browser (no asset from a CDN)."""
    return templates.get_template("query.html").render(asset=asset)


_MESSAGES = {404: "error.not_found", 429: "error.rate_limited", 503: "error.unavailable"}


async def http_error(request: Request, exc: Exception) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, HTTPException):
        status, headers = exc.status_code, dict(exc.headers or {})
    elif database_unavailable(exc):
        status, headers = 503, {"Retry-After": str(UNAVAILABLE_RETRY)}
    else:
        status = 500
    key = _MESSAGES.get(status, "error.server")
    response = await render(request, "error.html", {"message_key": key}, status_code=status)
    response.headers.update(headers)
    return response


def web_routes() -> list[BaseRoute]:
    return [
        Route("/", directory_page, name="directory"),
        Route("/agencies/{number:int}", agency_page, name="agency"),
        Route("/match", match_page, name="match"),
        *inquiry_routes(),
        *signin_routes(),
        *admin_routes(),
        *bureau_routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


exception_handlers = {**signin_handlers, HTTPException: http_error, Exception: http_error}
