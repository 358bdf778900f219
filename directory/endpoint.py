"""/graphql as the GraphQL-over-HTTP draft says: media types, status codes, request errors.

Strawberry's view runs the operation; this one decides how the answer travels.
`application/graphql-response+json` when the client asks for it (Accept), else
`application/json`. A request error (the body or the document is wrong, so nothing ran)
answers no `data`: 400 in the new media type, and for `application/json` the 200 its
legacy clients expect (a malformed body is 400 in both). A mutation sent with GET is 405.
Bodies larger than `MAX_RESPONSE_BYTES` are replaced by an error saying so.

Whole answers of queries without errors are kept in the response cache (responsecache/) and
answered from it, without running the schema, until the next write; an anonymous GET's answer
carries an ETag (If-None-Match answers 304), a signed-in viewer's is never stored by anyone.
"""

from __future__ import annotations

import json

import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http import process_result as strawberry_result
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from directory.accounts.models import Role
from directory.auth import Viewer, viewer_from_header
from directory.clock import Clock
from directory.context import Context
from directory.errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    PARSE_FAILED,
    UNAVAILABLE_RETRY,
    VALIDATION_FAILED,
    ErrorCode,
    Rejected,
    error_extensions,
    graphql_errors,
    unavailable_error,
)
from directory.outages import database_unavailable, log_outage
from directory.queue import JobQueue
from directory.responsecache.cache import ResponseCache, etag_matches, etag_of, is_query
from directory.settings import Settings
from directory.web.routes import query_page

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_REQUEST_ERROR_CODES = frozenset({PARSE_FAILED, VALIDATION_FAILED, BAD_USER_INPUT})


def response_media_type(accept: str | None) -> str:
    """The media type to answer in: graphql-response+json when Accept ranks it at least as
    high as application/json; application/json when Accept is missing, */* or says so."""
    ranks: dict[str, float] = {}
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        ranks[media] = max(ranks.get(media, 0.0), quality)
    ours = ranks.get(GRAPHQL_RESPONSE, 0.0)
    plain = max(ranks.get(JSON, 0.0), ranks.get("application/*", 0.0), ranks.get("*/*", 0.0))
    return GRAPHQL_RESPONSE if ours > 0 and ours >= plain else JSON


def is_request_error(result: ExecutionResult) -> bool:
    """Nothing ran: the document did not parse or validate, exceeded a static limit, or its
    variables did not fit their types (graphql-core answers those with no path)."""
    if isinstance(result, PreExecutionError):
        return True
    return bool(
        result.data is None
        and result.errors
        and all(
            e.path is None and (e.extensions or {}).get("code") in _REQUEST_ERROR_CODES
            for e in result.errors
        )
    )


class _MethodNotAllowed(HTTPException):
    def __init__(self, reason: str) -> None:
        super().__init__(405, reason)


class _Answer(Response):
    """An encoded answer; `whole` unless it was replaced for being too large."""

    whole = True


def _error_body(message: str, extensions: dict[str, object]) -> GraphQLHTTPResponse:
    return {"errors": [{"message": message, "extensions": extensions}]}


class GraphQLEndpoint(GraphQL[Context, None]):
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
        self.max_response_bytes = settings.max_response_bytes
        self.cache = ResponseCache.for_settings(settings, clock, str(schema))

    async def close(self) -> None:
        if self.cache is not None:
            await self.cache.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        media_type = response_media_type(request.headers.get("accept"))
        try:
            viewer = await viewer_from_header(request.headers.get("authorization"), self.clock())
        except Rejected as exc:
            body: GraphQLHTTPResponse = {"errors": [e.formatted for e in graphql_errors(exc)]}
            await self._send(body, 401, media_type, scope, receive, send)
            return
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            log_outage(exc)
            body = {"errors": [unavailable_error().formatted]}
            headers = {"retry-after": str(UNAVAILABLE_RETRY)}
            await self._response(body, 503, media_type, headers)(scope, receive, send)
            return
        scope.setdefault("state", {})["viewer"] = viewer
        lookup = await self.cache.lookup(request, viewer, media_type) if self.cache else None
        etag: str | None = None
        if lookup is not None and lookup.entry is not None:
            kept = lookup.entry.body
            response: Response = _Answer(kept, media_type=f"{media_type}; charset=utf-8")
            etag = lookup.entry.etag
        else:
            try:
                try:
                    response = await self.run(request)
                except HTTPException as exc:
                    message = f"请求无效（{exc.reason}）"
                    body = _error_body(message, {"code": BAD_REQUEST})
                    headers = {"allow": "POST"} if exc.status_code == 405 else {}
                    response = self._response(body, exc.status_code, media_type, headers)
                if self._reusable(request, response):
                    answer = bytes(response.body)
                    etag = etag_of(answer, media_type)
                    if lookup is not None and self.cache is not None:
                        await self.cache.keep(lookup, answer, etag)
            finally:
                if lookup is not None and self.cache is not None:
                    self.cache.done(lookup)
        response = _cache_headers(request, viewer, response, etag)
        await response(scope, receive, send)

    @staticmethod
    def _reusable(request: Request, response: Response) -> bool:
        """A whole answer without errors to a query whose resolvers allow its reuse."""
        return (
            isinstance(response, _Answer)
            and response.whole
            and response.status_code == 200
            and getattr(request.state, "reusable", False) is True
        )

    async def _send(
        self,
        body: GraphQLHTTPResponse,
        status: int,
        media_type: str,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        await self._response(body, status, media_type)(scope, receive, send)

    def _response(
        self,
        body: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        status: int,
        media_type: str,
        headers: dict[str, str] | None = None,
    ) -> Response:
        encoded = self.encode_json(body)
        whole = len(encoded) <= self.max_response_bytes
        if not whole:
            encoded = self.encode_json(self._too_large(len(encoded)))
        answer = _Answer(
            encoded, status_code=status, media_type=f"{media_type}; charset=utf-8", headers=headers
        )
        answer.whole = whole
        return answer

    def _too_large(self, size: int) -> GraphQLHTTPResponse:
        limit = self.max_response_bytes
        error = GraphQLError(
            f"答复有 {size} 字节，超过上限 {limit} 字节：请减少 first、别名或所取的字段"
            f"（the answer is {size} bytes, more than the limit of {limit}: ask for fewer "
            "rows, aliases or fields）",
            extensions=error_extensions(ErrorCode.RESPONSE_TOO_LARGE, size=size, limit=limit),
        )
        return {"data": None, "errors": [error.formatted]}

    def encode_json(self, data: object) -> bytes:
        # UTF-8 as it is: Chinese text escaped as \uXXXX would take twice the bytes.
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(query_page())

    async def get_context(self, request: Request, response: Response | None) -> Context:  # type: ignore[override]
        state = request.app.state
        request.state.context = context = Context(
            request=request,
            viewer=request.state.viewer,
            now=self.clock(),
            queue=self.queue,
            rate_limits=state.rate_limits,
            limits=state.limits,
        )
        return context

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        request.state.sub_response = sub_response
        return sub_response

    async def execute_single(
        self,
        request: Request,
        request_adapter: object,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        request.state.operation = (request_data.query, request_data.operation_name)
        try:
            return await super().execute_single(
                request,
                request_adapter,  # type: ignore[arg-type]
                sub_response,
                context,
                root_value,
                request_data,
            )
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise _MethodNotAllowed(exc.reason) from exc
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        body = strawberry_result(result)
        request.state.reusable = _reusable_result(request, result)
        if is_request_error(result):
            body.pop("data", None)
            sub_response: Response = request.state.sub_response
            if sub_response.media_type == GRAPHQL_RESPONSE:
                sub_response.status_code = 400
        return body

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = self._response(
            response_data, sub_response.status_code or 200, sub_response.media_type or JSON
        )
        response.headers.raw.extend(
            (k, v) for k, v in sub_response.headers.raw if k.lower() != b"content-type"
        )
        return response


def _reusable_result(request: Request, result: ExecutionResult) -> bool:
    """A query answered without errors, by resolvers that let the answer be reused."""
    if result.errors or result.data is None or isinstance(result, PreExecutionError):
        return False
    context: Context = request.state.context
    document, name = getattr(request.state, "operation", (None, None))
    return (
        context.cacheable
        and isinstance(document, str)
        and (name is None or isinstance(name, str))
        and is_query(document, name)
    )


def _cache_headers(
    request: Request, viewer: Viewer, response: Response, etag: str | None
) -> Response:
    """Signed-in answers are stored by no cache; anonymous GETs revalidate by their ETag."""
    if viewer.role is not Role.ANONYMOUS:
        response.headers["cache-control"] = "private, no-store"
        return response
    if request.method != "GET" or etag is None:
        return response
    # Any cache may keep it, but must ask again each time: the next write may change it.
    headers = {"etag": etag, "cache-control": "no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        response = Response(status_code=304, headers=headers)
    else:
        response.headers.update(headers)
    response.headers.add_vary_header("Accept")
    response.headers.add_vary_header("Authorization")
    return response
