"""Who a page is rendered for: the one place the pages learn the viewer of a request."""

from __future__ import annotations

from starlette.requests import Request

from directory.auth import ANONYMOUS, Viewer


async def request_viewer(request: Request) -> Viewer:
    """The viewer a middleware put on the request (a signed-in session), else anonymous."""
    viewer = request.scope.get("state", {}).get("web_viewer")
    return viewer if isinstance(viewer, Viewer) else ANONYMOUS
