"""Errors a user can cause: stable codes, the field at fault and a readable message.

Everything below the API raises one exception, `Rejected`, with every problem it found. The
API converts it once at each edge: a query's refusal becomes GraphQL errors here
(`make_public`, run by the schema on every result), a mutation's becomes its
`MutationError` result (`results.atomically`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.utils.str_converters import to_camel_case

from directory.clock import MAX_YEAR, MIN_YEAR
from directory.outages import database_unavailable


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    PAGE_SIZE_EXCEEDED = "PAGE_SIZE_EXCEEDED"
    INVALID_CURSOR = "INVALID_CURSOR"
    UNKNOWN_CODE = "UNKNOWN_CODE"
    INVALID_ID = "INVALID_ID"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID_CREDIT_CODE = "INVALID_CREDIT_CODE"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_URL = "INVALID_URL"
    ADDRESS_NOT_ALLOWED = "ADDRESS_NOT_ALLOWED"
    INVALID_DATE = "INVALID_DATE"
    DUPLICATE = "DUPLICATE"
    QUALIFICATION_REQUIRED = "QUALIFICATION_REQUIRED"  # another qualification must come first
    INTERNSHIP_REQUIRED = "INTERNSHIP_REQUIRED"  # too short an internship for the filing
    CONFLICT = "CONFLICT"
    EXPIRED = "EXPIRED"  # a link or token past its time
    INVALID_STATE = "INVALID_STATE"  # the object's state does not allow this step now
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    # The limits on one request's work (directory/limits.py).
    COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
    TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED"
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"


# `extensions.code` of a GraphQL error speaks the words generic tools know (Apollo's codes),
# so that they count a refusal as the client's doing, not a failure of ours; the project's
# own code goes beside it as `extensions.reason`. Every ErrorCode has an entry (a test checks).
BAD_USER_INPUT = "BAD_USER_INPUT"
GENERIC_CODES: dict[ErrorCode, str] = {
    **{code: BAD_USER_INPUT for code in ErrorCode},
    ErrorCode.UNAUTHENTICATED: "UNAUTHENTICATED",
    ErrorCode.FORBIDDEN: "FORBIDDEN",
    ErrorCode.COST_LIMIT_EXCEEDED: "GRAPHQL_VALIDATION_FAILED",
    ErrorCode.TIME_LIMIT_EXCEEDED: "TIMEOUT",
    ErrorCode.RESPONSE_TOO_LARGE: "RESPONSE_TOO_LARGE",
    ErrorCode.REQUEST_TOO_LARGE: "PAYLOAD_TOO_LARGE",
    # Not the client's fault, and no failure of the code either: retry later.
    ErrorCode.RATE_LIMITED: "RATE_LIMITED",
    ErrorCode.UNAVAILABLE: "UNAVAILABLE",
}
# Errors of no ErrorCode: the document itself, and our own failures.
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_REQUEST = "BAD_REQUEST"
INTERNAL = "INTERNAL_SERVER_ERROR"


def error_extensions(
    code: ErrorCode, field: str | None = None, **more: object
) -> dict[str, object]:
    """The `extensions` of a GraphQL error for one of our codes: generic code, ours, field."""
    extensions: dict[str, object] = {"code": GENERIC_CODES[code], "reason": code.value}
    if field is not None:
        extensions["field"] = field
    return {**extensions, **more}


def says(zh: str, en: str) -> str:
    """A refusal's message: the Chinese first, the English beside it in brackets.

    `says("有效期至须晚于发证日期", "expiresOn must come after issuedOn")` reads
    `有效期至须晚于发证日期（expiresOn must come after issuedOn）`. The Chinese names
    fields by their labels (`directory.labels.label`), the English by their API names.
    """
    return f"{zh}（{en}）"


@lru_cache(maxsize=4096)  # field names: an import asks for the same few for every cell
def api_name(name: str) -> str:
    """The name the API (and a problem) gives a field of the services' inputs: `founded_on`
    becomes `foundedOn`, as in the schema; names already in API form stay as they are."""
    return to_camel_case(name)


@dataclass(frozen=True, slots=True)
class Problem:
    code: ErrorCode
    field: str  # as the API names it: the services' own names are mapped here, once
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", api_name(self.field))


class Rejected(Exception):
    """The request was refused and nothing may be written; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("a refusal names at least one problem")
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, code: ErrorCode, field: str, message: str) -> Rejected:
        return cls([Problem(code, field, message)])


def check_year(field: str, year: int) -> None:
    """Refuse a year a question about the calendar may not name (see `directory.clock`)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Rejected.one(
            ErrorCode.OUT_OF_RANGE,
            field,
            says(
                f"年份须在 {MIN_YEAR} 到 {MAX_YEAR} 年之间",
                f"{field} must fall in the years {MIN_YEAR} to {MAX_YEAR}",
            ),
        )


class RateLimited(Exception):
    """Too many requests of one kind from one client address; try again after `retry_after`."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after

    def graphql_error(self, at: GraphQLError | None = None) -> GraphQLError:
        message = (
            f"请求过于频繁，请 {self.retry_after} 秒后再试"
            f"（too many requests: try again in {self.retry_after} seconds）"
        )
        return GraphQLError(
            message,
            nodes=at.nodes if at else None,
            path=at.path if at else None,
            original_error=self,
            extensions=error_extensions(ErrorCode.RATE_LIMITED, retryAfter=self.retry_after),
        )


UNAVAILABLE_RETRY = 5  # seconds a client is asked to wait when the database is down
UNAVAILABLE_MESSAGE = (
    "数据库暂时不可用，请稍后再试（the database is unavailable: try again shortly）"
)


def unavailable_error(at: GraphQLError | None = None) -> GraphQLError:
    """The answer while the database is down or restarting: retry, it is not the client's fault."""
    return GraphQLError(
        UNAVAILABLE_MESSAGE,
        nodes=at.nodes if at else None,
        path=at.path if at else None,
        extensions=error_extensions(ErrorCode.UNAVAILABLE, retryAfter=UNAVAILABLE_RETRY),
    )


def graphql_errors(exc: Rejected, at: GraphQLError | None = None) -> list[GraphQLError]:
    """One GraphQL error per problem, with `extensions` codes and field, located like `at`."""
    return [
        GraphQLError(
            p.message,
            nodes=at.nodes if at else None,
            path=at.path if at else None,
            original_error=exc,
            extensions=error_extensions(p.code, p.field),
        )
        for p in exc.problems
    ]


def should_mask_error(error: GraphQLError) -> bool:
    """Mask unexpected failures; let through parse/validation errors, refusals, and the
    errors graphql-core wraps its own in (a variable that does not fit its type)."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, Rejected | RateLimited | GraphQLError)


MASKED = "Unexpected error."
# A unique key taken by a concurrent writer between our check and our insert.
RECORD_EXISTS = says("记录已存在", "that record exists already")


def make_public(result: ExecutionResult) -> None:
    """The query edge, run on every result: a refusal answers each of its problems; anything
    unexpected is masked; every error leaves with a generic `extensions.code`: the
    document's own faults as GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED, variables that
    do not fit their types as BAD_USER_INPUT, a masked failure as INTERNAL_SERVER_ERROR.
    Errors that carry a code already (ours) are left as they are."""
    if not result.errors:
        return
    before_execution = isinstance(result, PreExecutionError)
    public: list[GraphQLError] = []
    for error in result.errors:
        original = error.original_error
        if error.extensions and "code" in error.extensions:
            public.append(error)
        elif isinstance(original, Rejected):
            public += graphql_errors(original, at=error)
        elif isinstance(original, RateLimited):
            public.append(original.graphql_error(at=error))
        elif original is not None and database_unavailable(original):
            public.append(unavailable_error(at=error))
        elif should_mask_error(error):
            public.append(
                GraphQLError(
                    MASKED, nodes=error.nodes, path=error.path, extensions={"code": INTERNAL}
                )
            )
        else:
            public.append(_with_generic_code(error, before_execution))
    result.errors = public


def _with_generic_code(error: GraphQLError, before_execution: bool) -> GraphQLError:
    if isinstance(error, GraphQLSyntaxError):
        code = PARSE_FAILED
    elif before_execution:
        code = VALIDATION_FAILED
    elif error.path is None:  # graphql-core coerces the variables first: a misfit value
        code = BAD_USER_INPUT
    else:  # e.g. a null for a non-null field: ours
        code = INTERNAL
    error.extensions = {**(error.extensions or {}), "code": code}
    return error
