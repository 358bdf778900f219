"""The `viewer` query: who the request's token says is asking, for pages to adapt to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from directory.accounts.models import ApiToken, Role
from directory.accounts.types import ApiTokenType
from directory.context import Info

if TYPE_CHECKING:
    from directory.agencies.types import AgencyType


@strawberry.type(
    name="Viewer", description="Who is asking: anonymous, an administrator, the bureau."
)
class ViewerType:
    role: Role | None = strawberry.field(description="null when no token was sent")
    agency_id: strawberry.Private[int | None]
    token_id: strawberry.Private[int | None]

    @strawberry.field(description="the agency an administrator's token is scoped to")
    async def agency(
        self, info: Info
    ) -> Annotated[AgencyType, strawberry.lazy("directory.agencies.types")] | None:
        from directory.agencies.types import AgencyType

        if self.agency_id is None:
            return None
        row = await info.context.agencies.agency.load(self.agency_id)
        return AgencyType.from_model(row) if row else None

    @strawberry.field(description="the token asked with (its name and expiry)")
    async def token(self, info: Info) -> ApiTokenType | None:
        info.context.cacheable = False  # the token's own, not its role's
        if self.token_id is None:
            return None
        row = await ApiToken.get_or_none(id=self.token_id)
        return ApiTokenType.from_model(row) if row else None


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="Who is asking, by the request's token; anyone may ask.")
    def viewer(self, info: Info) -> ViewerType:
        viewer = info.context.viewer
        return ViewerType(
            role=None if viewer.role is Role.ANONYMOUS else viewer.role,
            agency_id=viewer.agency_id,
            token_id=viewer.token_id,
        )
