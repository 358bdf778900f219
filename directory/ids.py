"""Object ids as clients send them: a plain database id or a Relay global id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from tortoise.models import Model

from directory.errors import ErrorCode, Rejected

M = TypeVar("M", bound=Model)

MAX_ID = 2**31 - 1  # the largest key of an integer primary key on PostgreSQL
NOT_OUR_ID = "不是本系统给出的编号（not an id this API gave）"


def number(text: str) -> int | None:
    """The database id written in `text` (ASCII digits, in range), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


async def rows_by_node_id(model: type[M], node_ids: Iterable[str]) -> list[M | None]:
    """The rows a Node's ids name, in their order, in one query; None where no row is named."""
    wanted = [number(str(i)) for i in node_ids]
    rows = {r.pk: r for r in await model.filter(id__in=[n for n in wanted if n is not None])}
    return [None if n is None else rows.get(n) for n in wanted]


def _refuse(value: str, what: str, field: str) -> Rejected:
    message = f"{value[:40]!r} 不是有效的编号（not the id of {what}）"
    return Rejected.one(ErrorCode.INVALID_ID, field, message)


def plain_id(value: str, what: str, field: str = "id") -> int:
    """A database id sent as a plain number (for objects that are not nodes); INVALID_ID."""
    found = number(value)
    if found is None:
        raise _refuse(value, what, field)
    return found


def local_id(value: str, type_name: str, field: str = "id") -> int:
    """The database id inside `value`; INVALID_ID when it is malformed or of another type."""
    plain = number(value)
    if plain is not None:
        return plain
    gid = node_id(value, field)
    found = number(gid.node_id) if gid.type_name == type_name else None
    if found is None:
        raise _refuse(value, f"a {type_name}", field)
    return found


def node_id(value: str, field: str = "id") -> relay.GlobalID:
    """The global id in `value`, its database id well formed; INVALID_ID otherwise."""
    try:
        gid = relay.GlobalID.from_id(value)
    except GlobalIDValueError:
        raise Rejected.one(ErrorCode.INVALID_ID, field, NOT_OUR_ID) from None
    if number(gid.node_id) is None:
        raise Rejected.one(ErrorCode.INVALID_ID, field, NOT_OUR_ID)
    return gid
