"""Mutation outcomes: a success payload, or an error with a code, the field and a message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from directory.errors import RECORD_EXISTS, ErrorCode, Rejected

strawberry.enum(ErrorCode, name="ErrorCode")

T = TypeVar("T")


@strawberry.type(description="One problem with the input.")
class FieldProblem:
    code: ErrorCode
    field: str
    message: str


@strawberry.type(description="The mutation was refused and nothing was written.")
class MutationError:
    code: ErrorCode
    field: str | None
    message: str
    problems: list[FieldProblem] = strawberry.field(description="every problem found")

    @classmethod
    def from_rejected(cls, exc: Rejected) -> MutationError:
        first = exc.problems[0]
        return cls(
            code=first.code,
            field=first.field,
            message=first.message,
            problems=[
                FieldProblem(code=p.code, field=p.field, message=p.message) for p in exc.problems
            ],
        )


async def atomically(action: Callable[[], Awaitable[T]]) -> T | MutationError:
    """The mutation edge: run `action` in one transaction; a refusal (`Rejected`) rolls
    everything back and becomes the `MutationError` result."""
    try:
        async with in_transaction():
            return await action()
    except Rejected as exc:
        return MutationError.from_rejected(exc)
    except IntegrityError:
        # A unique key taken by a concurrent writer between our check and our insert.
        return MutationError.from_rejected(
            Rejected.one(ErrorCode.DUPLICATE, "input", RECORD_EXISTS)
        )
