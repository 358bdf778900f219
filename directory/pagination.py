"""Keyset pagination: opaque cursors over (sort key, id), stable under inserts."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from strawberry import relay
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from directory.errors import ErrorCode, Rejected

MAX_PAGE_SIZE = 100  # rows
DEFAULT_PAGE_SIZE = 20  # rows

M = TypeVar("M", bound=Model)
N = TypeVar("N", bound=relay.Node)


@dataclass(slots=True)
class Page(Generic[M]):
    rows: list[M]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise _bad_cursor()
    return values


def _bad_cursor() -> Rejected:
    return Rejected.one(
        ErrorCode.INVALID_CURSOR,
        "after",
        "游标不是本系统给出的（the cursor is not one this API gave）",
    )


def check_first(first: int) -> int:
    if first < 0 or first > MAX_PAGE_SIZE:
        raise Rejected.one(
            ErrorCode.PAGE_SIZE_EXCEEDED,
            "first",
            f"first 须在 0 到 {MAX_PAGE_SIZE} 之间（first must be between 0 and {MAX_PAGE_SIZE}, "
            f"got {first}）",
        )
    return first


async def keyset_page(query: QuerySet[M], sort_key: str, first: int, after: str | None) -> Page[M]:
    """One page of `query` ordered by (sort_key, id), after the given cursor."""
    check_first(first)
    if after is not None:
        key, last_id = decode_cursor(after, 2)
        if not isinstance(last_id, int) or not isinstance(key, str):
            raise _bad_cursor()
        after_key: dict[str, Any] = {f"{sort_key}__gt": key}
        same_key: dict[str, Any] = {sort_key: key, "id__gt": last_id}
        query = query.filter(Q(**after_key) | Q(**same_key))
    rows = await query.order_by(sort_key, "id").limit(first + 1)
    has_next = len(rows) > first
    rows = rows[:first]
    cursors = [encode_cursor([getattr(row, sort_key), row.pk]) for row in rows]
    return Page(rows=rows, cursors=cursors, has_next=has_next, has_previous=after is not None)


async def newest_first_page(query: QuerySet[M], first: int, after: str | None) -> Page[M]:
    """One page of `query` by descending id (logs and outboxes: the newest first)."""
    check_first(first)
    if after is not None:
        (last_id,) = decode_cursor(after, 1)
        if not isinstance(last_id, int):
            raise _bad_cursor()
        query = query.filter(id__lt=last_id)
    rows = await query.order_by("-id").limit(first + 1)
    page = rows[:first]
    cursors = [encode_cursor([row.pk]) for row in page]
    return Page(
        rows=page, cursors=cursors, has_next=len(rows) > first, has_previous=after is not None
    )


def edges(page: Page[M], convert: Callable[[M], N]) -> list[relay.Edge[N]]:
    return [
        relay.Edge(cursor=cursor, node=convert(row))
        for row, cursor in zip(page.rows, page.cursors, strict=True)
    ]


def page_info(page: Page[Any]) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
