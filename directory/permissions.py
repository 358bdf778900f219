"""Who may change what: the bureau everything, an agency administrator only their agency."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.errors import ErrorCode, Rejected

M = TypeVar("M", bound=Model)
NEEDS_TOKEN = "需要令牌：Bearer <token>（this needs a token: Bearer <token>）"


def require_signed_in(viewer: Viewer) -> None:
    if viewer.role is Role.ANONYMOUS:
        raise Rejected.one(ErrorCode.UNAUTHENTICATED, "authorization", NEEDS_TOKEN)


def require_bureau(viewer: Viewer) -> None:
    require_signed_in(viewer)
    if not viewer.is_bureau:
        raise Rejected.one(
            ErrorCode.FORBIDDEN,
            "authorization",
            "只有市局可以这样做（only the bureau may do this）",
        )


def require_agency(viewer: Viewer, agency_id: int | None) -> None:
    """The bureau, or the administrator of exactly this agency."""
    require_signed_in(viewer)
    if viewer.is_bureau:
        return
    if agency_id is None or viewer.agency_id != agency_id:
        raise Rejected.one(
            ErrorCode.FORBIDDEN,
            "authorization",
            "令牌只能修改本机构（a token may only change its own agency）",
        )


def scoped(query: QuerySet[M], viewer: Viewer) -> QuerySet[M]:
    """Rows of `query` the viewer may read: all for the bureau, its own agency's for an
    administrator; anonymous viewers get UNAUTHENTICATED."""
    if viewer.role is Role.ANONYMOUS:
        raise Rejected.one(ErrorCode.UNAUTHENTICATED, "authorization", NEEDS_TOKEN)
    return query if viewer.is_bureau else query.filter(agency_id=viewer.agency_id)
