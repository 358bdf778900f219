"""Errors a user can cause: stable codes, the field at fault and a readable message."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graphql import GraphQLError


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
    INVALID_DATE = "INVALID_DATE"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"


class PublicError(GraphQLError):
    """An error meant for the client: never masked, always carries code and field."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        extensions: dict[str, Any] = {"code": code.value}
        if field is not None:
            extensions["field"] = field
        super().__init__(message, extensions=extensions)
        self.code = code
        self.field = field


def should_mask_error(error: GraphQLError) -> bool:
    """Mask unexpected failures; let through parse/validation errors and our own."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, PublicError)
