"""A cap on request bodies, answered 413 before the body is parsed or held in memory.

A declared Content-Length over the cap is refused before a byte of the body is read; a body
of no declared length (chunked) is counted as it streams and refused the moment it passes
the cap, so at most the cap (plus one network read) is ever read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from directory.errors import ErrorCode, error_extensions


class _TooLarge(Exception):
    """Raised into the app by `receive` when the body passes the cap."""


def too_large_message(limit: int) -> str:
    return (
        f"请求内容超过上限 {limit} 字节（the request body is larger than the limit of "
        f"{limit} bytes）"
    )


class RequestBodyLimit:
    """ASGI middleware: `limit` bytes for every path, or the larger one `paths` gives."""

    def __init__(self, app: ASGIApp, limit: int, paths: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.paths = dict(paths or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.paths.get(scope["path"], self.limit)
        declared = _content_length(scope)
        if declared is not None:
            # The server reads no more than a declared length: nothing left to count.
            if declared > limit:
                await _refuse(scope, send, limit)
            else:
                await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _TooLarge:
            if not started:  # else the app answered before reading it all: nothing to add
                await _refuse(scope, send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    message = too_large_message(limit)
    if scope["path"] == "/graphql":
        extensions = error_extensions(ErrorCode.REQUEST_TOO_LARGE, limit=limit)
        error = {"message": message, "extensions": extensions}
        body = json.dumps({"errors": [error]}, ensure_ascii=False, separators=(",", ":"))
        media_type = b"application/json; charset=utf-8"
    else:
        body, media_type = message, b"text/plain; charset=utf-8"
    encoded = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", media_type),
                (b"content-length", str(len(encoded)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": encoded})
