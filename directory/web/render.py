"""Rendering a page: the template environment, the language of a request, static assets."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates
from strawberry.relay import GlobalID

from directory.clock import local_today
from directory.web.csrf import form_token, remember_anonymous_token
from directory.web.messages import DEFAULT_LANGUAGE, LANGUAGES, describe_problem, translate
from directory.web.present import licence_state, local_date, percent
from directory.web.session import request_session, secure_cookies
from directory.web.viewer import request_viewer

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LANGUAGE_COOKIE = "lang"
_YEAR = 365 * 24 * 3600  # seconds

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
)


def language(request: Request) -> str:
    """`?lang=` when given, else the cookie the switch left, else Chinese."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


@cache
def asset(path: str) -> str:
    """The address of a static file, with its content hash so browsers may cache it for long."""
    digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


def agency_url(global_id: str) -> str:
    """The stable, shareable address of an agency's page, from the id the API gives."""
    return f"/agencies/{GlobalID.from_id(global_id).node_id}"


def url_with(request: Request, **changes: str | None) -> str:
    """The current address with some query parameters changed (None removes one)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    query = urlencode(kept + [(k, v) for k, v in changes.items() if v is not None])
    return f"{request.url.path}?{query}" if query else request.url.path


async def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    lang = language(request)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    def label(item: dict[str, Any] | None) -> str:
        """A reference item's name in the page's language (`nameZh` / `nameEn`)."""
        if not item:
            return ""
        return str(item.get("nameEn") or item["nameZh"]) if lang == "en" else str(item["nameZh"])

    def problem(code: str, field: str | None = None) -> str:
        return describe_problem(lang, code, field)

    page = {
        "problem": problem,
        "request": request,
        "lang": lang,
        "t": t,
        "label": label,
        "asset": asset,
        "licence_state": licence_state,
        "percent": percent,
        "local_date": local_date,
        "today": local_today(request.app.state.clock()),
        "agency_url": agency_url,
        "local_id": lambda global_id: GlobalID.from_id(global_id).node_id,
        "url_with": lambda **changes: url_with(request, **changes),
        "viewer": await request_viewer(request),
        # The hidden field of a form that writes; a call makes one for a visitor without one.
        "csrf_token": lambda: form_token(request, request_session(request)),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page, status_code=status_code)
    remember_anonymous_token(request, response, secure_cookies(request))
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=_YEAR, httponly=True, samesite="lax")
    return response
