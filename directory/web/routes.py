"""The web routes mounted at /: the firms' pages, static files and the error pages."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from directory.web.admin import admin_routes
from directory.web.bureau import bureau_routes
from directory.web.firms import agency_page, directory_page, match_page
from directory.web.render import STATIC, asset, render, templates
from directory.web.signin import signin_handlers, signin_routes


def query_page() -> str:
    """The development query console that /graphql shows a browser (no asset from a CDN)."""
    return templates.get_template("query.html").render(asset=asset)


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    key = "error.not_found" if status == 404 else "error.server"
    return await render(request, "error.html", {"message_key": key}, status_code=status)


def web_routes() -> list[BaseRoute]:
    return [
        Route("/", directory_page, name="directory"),
        Route("/agencies/{number:int}", agency_page, name="agency"),
        Route("/match", match_page, name="match"),
        *signin_routes(),
        *admin_routes(),
        *bureau_routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


exception_handlers = {**signin_handlers, HTTPException: http_error, Exception: http_error}
