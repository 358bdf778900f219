"""The typed inputs of the services: a field not sent is UNSET, which is not the same as null.

Each feature declares small frozen dataclasses of what a caller may set (`AgencyChanges`, ...),
with Python names; the GraphQL inputs convert to them with `from_input`, the import rows build
them from their cells. A service reads `changes.name is UNSET` as "leave the name alone" and
`changes.name is None` as "the client sent null".
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, Union

import strawberry

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
C = TypeVar("C", bound="DataclassInstance")


class Unset(Enum):
    """The one value of a field the client did not send."""

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:  # so `if not changes.name` holds for "not sent" too
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET
Maybe = Union[T, Unset]  # noqa: UP007 (a generic alias: `T | Unset` cannot be subscripted)
Codes = tuple[str, ...]  # reference codes, in the order sent


def sent(changes: DataclassInstance) -> frozenset[str]:
    """The names of the fields that were sent (not UNSET)."""
    return frozenset(
        f.name for f in dataclasses.fields(changes) if getattr(changes, f.name) is not UNSET
    )


def from_input(cls: type[C], data: object, **extra: Any) -> C:
    """`cls` from a Strawberry input: each of its fields the client sent, lists as tuples.

    `extra` gives fields the input holds in another form (e.g. an id already decoded).
    """
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        value = getattr(data, f.name, strawberry.UNSET)
        if f.name in extra or value is strawberry.UNSET:
            continue
        values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values, **extra)
