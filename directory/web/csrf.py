"""Cross-site request forgery: every form that writes carries a token and comes from us.

A signed-in session has its own token, stored with it on the server. Before sign-in (the
sign-in form itself) the token is a random cookie that the form repeats ("double submit").
Browsers also name the page a POST comes from in `Origin`; one from another site is refused
even with a token.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from directory.accounts.sessions import SignedIn

FIELD = "csrf_token"  # the hidden field of every form that writes
COOKIE = "ipdir_csrf"  # the token of a browser that has not signed in
_COOKIE_AGE = 24 * 3600  # seconds


class ForgedRequest(Exception):
    """A POST without the right token, or from another site: answered 403, nothing written."""


def same_origin(request: Request) -> bool:
    """True unless the browser says the request comes from a page of another site.

    Clients that send neither `Origin` nor `Referer` pass here; they still need the token.
    """
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(source).netloc == host


def expected_token(request: Request, session: SignedIn | None) -> str | None:
    if session is not None:
        return session.csrf_token
    return request.cookies.get(COOKIE)


def form_token(request: Request, session: SignedIn | None) -> str:
    """The token to put in a form's hidden field (see `remember_anonymous_token`)."""
    token = expected_token(request, session)
    if token:
        return token
    token = request.scope.setdefault("state", {}).get("new_csrf_cookie")
    if token is None:
        token = secrets.token_urlsafe(32)
        request.scope["state"]["new_csrf_cookie"] = token
    return str(token)


def remember_anonymous_token(request: Request, response: Response, secure: bool) -> None:
    """Set the cookie for a token that `form_token` made up while rendering this response."""
    token = request.scope.get("state", {}).get("new_csrf_cookie")
    if token:
        response.set_cookie(
            COOKIE, token, max_age=_COOKIE_AGE, httponly=True, samesite="strict", secure=secure
        )


async def checked_form(
    request: Request, session: SignedIn | None, max_part_size: int = 1024 * 1024
) -> FormData:
    """The form of a POST, once its origin and token are right; else `ForgedRequest`."""
    if not same_origin(request):
        raise ForgedRequest("the form was sent from another site")
    form = await request.form(max_files=1, max_fields=200, max_part_size=max_part_size)
    sent = form.get(FIELD)
    expected = expected_token(request, session)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        await form.close()
        raise ForgedRequest("the form's anti-forgery token is missing or wrong")
    return form
