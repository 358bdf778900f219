"""Checks that codes sent by a client exist, and region subtrees by GB/T 2260 prefix."""

from __future__ import annotations

from tortoise.exceptions import ValidationError
from tortoise.models import Model

from directory.errors import ErrorCode, Rejected


async def require_code(model: type[Model], code: str, field: str) -> str:
    """The code itself when a row of `model` has it; otherwise an UNKNOWN_CODE error."""
    try:
        found = await model.filter(pk=code).exists()
    except ValidationError:  # longer than any code of the table
        found = False
    if not found:
        message = f"代码 {code[:40]!r} 不存在（no {field} has the code {code[:40]!r}）"
        raise Rejected.one(ErrorCode.UNKNOWN_CODE, field, message)
    return code


def region_prefix(code: str) -> str:
    """The code prefix shared by a region and everything under it (5119 for 511900)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
