"""The session cookie: which signed-in browser a page request comes from, and as whom.

`/graphql` never reads the cookie (it takes bearer tokens only), so a page of another site
cannot make a signed-in browser call the API.
"""

from __future__ import annotations

from datetime import datetime

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.accounts.sessions import SignedIn, find_session
from directory.clock import Clock

_NOT_PAGES = ("/graphql", "/static/", "/healthz", "/readyz")


def cookie_name(secure: bool) -> str:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, path /.
    return "__Host-ipdir_session" if secure else "ipdir_session"


def set_session_cookie(
    response: Response, key: str, session: SignedIn, now: datetime, secure: bool
) -> None:
    response.set_cookie(
        cookie_name(secure),
        key,
        max_age=max(1, int((session.expires_at - now).total_seconds())),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(
        cookie_name(secure), path="/", httponly=True, samesite="lax", secure=secure
    )


def secure_cookies(request: Request) -> bool:
    """Cookies only over HTTPS in production; plain HTTP on a developer's machine."""
    return bool(request.app.state.settings.environment == "production")


def session_key(request: Request, secure: bool) -> str | None:
    return request.cookies.get(cookie_name(secure))


def request_session(request: Request) -> SignedIn | None:
    """The live session the middleware found for this request, if any."""
    session = request.scope.get("state", {}).get("web_session")
    return session if isinstance(session, SignedIn) else None


class SessionMiddleware:
    """Puts the session of a page request, and its viewer, on the request's state."""

    def __init__(self, app: ASGIApp, clock: Clock, secure: bool) -> None:
        self.app = app
        self.clock = clock
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(_NOT_PAGES):
            key = session_key(Request(scope), self.secure)
            session = await find_session(key, self.clock()) if key else None
            state = scope.setdefault("state", {})
            state["web_session"] = session
            if session is not None:
                state["web_viewer"] = session.viewer
                send = _not_stored(send)
        await self.app(scope, receive, send)


def _not_stored(send: Send) -> Send:
    """A signed-in page may show private data: no cache, shared or not, may keep it."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers["cache-control"] = "no-store"
        await send(message)

    return sending
