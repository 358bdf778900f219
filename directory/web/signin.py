"""Sign-in with a pasted token, sign-out, and the guard of the pages that need a role."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory.accounts.models import Role
from directory.accounts.sessions import SignedIn, end_session, start_session
from directory.settings import Settings
from directory.web.csrf import ForgedRequest, checked_form
from directory.web.render import render
from directory.web.session import (
    clear_session_cookie,
    request_session,
    secure_cookies,
    session_key,
    set_session_cookie,
)

HOME = {Role.BUREAU: "/bureau", Role.AGENCY_ADMIN: "/admin"}


class SignInNeeded(Exception):
    """The page needs a signed-in viewer of a role this request does not have."""

    def __init__(self, role: Role) -> None:
        super().__init__(role.value)
        self.role = role


def signed_in_as(request: Request, role: Role) -> SignedIn:
    """The request's session when its viewer has `role`; else `SignInNeeded`."""
    session = request_session(request)
    if session is None or session.viewer.role is not role:
        raise SignInNeeded(role)
    return session


async def signin_page(request: Request) -> Response:
    session = request_session(request)
    if session is not None and session.viewer.role in HOME:
        return RedirectResponse(HOME[session.viewer.role], status_code=303)
    return await render(request, "signin.html", {"failed": False})


async def signin(request: Request) -> Response:
    form = await checked_form(request, request_session(request))
    secret = form.get("token")
    now = request.app.state.clock()
    settings: Settings = request.app.state.settings
    lifetime = settings.session_lifetime
    started = await start_session(secret, now, lifetime) if isinstance(secret, str) else None
    if started is None:
        return await render(request, "signin.html", {"failed": True}, status_code=400)
    old_key = session_key(request, secure_cookies(request))
    if old_key:
        await end_session(old_key, now)
    key, session = started
    response = RedirectResponse(HOME.get(session.viewer.role, "/"), status_code=303)
    set_session_cookie(response, key, session, now, secure_cookies(request))
    return response


async def signout(request: Request) -> Response:
    await checked_form(request, request_session(request))
    secure = secure_cookies(request)
    await end_session(session_key(request, secure), request.app.state.clock())
    response = RedirectResponse("/signin?signed_out=1", status_code=303)
    clear_session_cookie(response, secure)
    return response


async def sign_in_needed(request: Request, exc: Exception) -> Response:
    """Pages of a role send others to sign in; a form post that lost its session too."""
    return RedirectResponse("/signin", status_code=303)


async def forged_request(request: Request, exc: Exception) -> Response:
    return await render(request, "forbidden.html", {"message_key": "csrf.refused"}, 403)


def signin_routes() -> list[BaseRoute]:
    return [
        Route("/signin", signin_page, methods=["GET"], name="signin"),
        Route("/signin", signin, methods=["POST"]),
        Route("/signout", signout, methods=["POST"], name="signout"),
    ]


signin_handlers = {SignInNeeded: sign_in_needed, ForgedRequest: forged_request}
