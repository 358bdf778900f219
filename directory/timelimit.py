"""The time limit of one operation: a query still running when it passes is cancelled.

Mutations are not cut short. Tortoise takes SQLite's transaction lock (or a pooled
PostgreSQL connection) before it sends BEGIN; a cancellation arriving in between leaves the
lock held for good and every later statement of the process waiting on it. A mutation's
work is bounded by its input instead, and it commits or rolls back whole.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast

from directory.errors import ErrorCode, error_extensions

_DOCUMENTS = 256  # documents whose operation types are kept


@lru_cache(maxsize=_DOCUMENTS)
def may_cancel(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """True unless the document's operation is a mutation (or the document does not parse,
    which the schema answers without running anything)."""
    if not query:
        return True
    try:
        operation = get_operation_ast(parse(query, max_tokens=max_tokens), operation_name)
    except GraphQLError:
        return True
    return operation is None or operation.operation is not OperationType.MUTATION


def timed_out(seconds: float) -> GraphQLError:
    return GraphQLError(
        f"查询超过时间上限 {seconds:g} 秒，已停止（the operation ran longer than the limit "
        f"of {seconds:g} s and was stopped）",
        extensions=error_extensions(ErrorCode.TIME_LIMIT_EXCEEDED, limit=seconds),
    )
