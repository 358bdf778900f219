"""Who may change what: the bureau everything, an agency administrator only their agency."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.errors import ErrorCode, PublicError
from directory.validation import Rejected

M = TypeVar("M", bound=Model)


def require_signed_in(viewer: Viewer) -> None:
    if viewer.role is Role.ANONYMOUS:
        raise Rejected.one(
            ErrorCode.UNAUTHENTICATED, "authorization", "this needs a token: Bearer <token>"
        )


def require_bureau(viewer: Viewer) -> None:
    require_signed_in(viewer)
    if not viewer.is_bureau:
        raise Rejected.one(ErrorCode.FORBIDDEN, "authorization", "only the bureau may do this")


def require_agency(viewer: Viewer, agency_id: int | None) -> None:
    """The bureau, or the administrator of exactly this agency."""
    require_signed_in(viewer)
    if viewer.is_bureau:
        return
    if agency_id is None or viewer.agency_id != agency_id:
        raise Rejected.one(
            ErrorCode.FORBIDDEN, "authorization", "a token may only change its own agency"
        )


def scoped(query: QuerySet[M], viewer: Viewer, what: str) -> QuerySet[M]:
    """Rows of `query` the viewer may read: all for the bureau, its own agency's for an
    administrator; anonymous viewers get UNAUTHENTICATED."""
    if viewer.role is Role.ANONYMOUS:
        raise PublicError(ErrorCode.UNAUTHENTICATED, f"{what} needs a token", "authorization")
    return query if viewer.is_bureau else query.filter(agency_id=viewer.agency_id)
