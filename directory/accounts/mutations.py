"""Token mutations: the bureau issues and revokes agency-administrator (and bureau) tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry

from directory import audit
from directory.accounts.models import ApiToken, Role
from directory.accounts.tokens import DEFAULT_VALIDITY, issue_token
from directory.accounts.types import ApiTokenType
from directory.agencies.models import Agency
from directory.auth import forget_token
from directory.context import Info
from directory.errors import ErrorCode, Rejected, says
from directory.ids import local_id, plain_id
from directory.results import MutationError, atomically
from directory.validation import Checker

MAX_VALID_DAYS = 3 * 365  # days


@strawberry.type
class IssuedToken:
    token: ApiTokenType
    secret: str = strawberry.field(description="shown only now; store it safely")


@strawberry.type
class TokenPayload:
    token: ApiTokenType


IssueTokenResult = Annotated[IssuedToken | MutationError, strawberry.union("IssueTokenResult")]
TokenResult = Annotated[TokenPayload | MutationError, strawberry.union("TokenResult")]


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Bureau: a new token for an agency administrator or bureau.")
    async def issue_token(
        self,
        info: Info,
        role: Role,
        name: str,
        agency_id: strawberry.ID | None = None,
        valid_days: int = DEFAULT_VALIDITY.days,
    ) -> IssueTokenResult:
        ctx = info.context

        async def run() -> IssuedToken:
            check = Checker()
            label = check.text("name", name, 80, required=True)
            if not 1 <= valid_days <= MAX_VALID_DAYS:
                message = says(
                    f"有效天数须为 1 到 {MAX_VALID_DAYS} 天", f"1 to {MAX_VALID_DAYS} days"
                )
                check.add(ErrorCode.OUT_OF_RANGE, "validDays", message)
            agency_pk = local_id(agency_id, "Agency", "agencyId") if agency_id is not None else None
            if (role is Role.AGENCY_ADMIN) != (agency_pk is not None):
                check.add(
                    ErrorCode.INVALID_INPUT,
                    "agencyId",
                    says(
                        "机构管理员令牌须指定机构，市局令牌不指定",
                        "an agency administrator token needs an agency; a bureau token none",
                    ),
                )
            elif agency_pk is not None and not await Agency.exists(id=agency_pk):
                message = says("没有此编号的机构", "no agency has this id")
                check.add(ErrorCode.NOT_FOUND, "agencyId", message)
            check.done()
            token, secret = await issue_token(
                role,
                label,
                ctx.now,
                agency_id=agency_pk,
                valid_for=timedelta(days=valid_days),
            )
            state = {"name": label, "role": role, "agency_id": agency_pk}
            diff = audit.changes({}, state)
            await audit.record(
                ctx.viewer, "api_token", token.id, "issue", diff, agency_pk, at=ctx.moment
            )
            return IssuedToken(token=ApiTokenType.from_model(token), secret=secret)

        return await atomically(run)

    @strawberry.mutation(description="Bureau: revoke a token at once.")
    async def revoke_token(self, info: Info, id: strawberry.ID) -> TokenResult:
        ctx = info.context

        async def run() -> TokenPayload:
            token = await ApiToken.get_or_none(id=plain_id(id, "a token"))
            if token is None:
                raise Rejected.one(
                    ErrorCode.NOT_FOUND, "id", says("没有此编号的令牌", "no token has this id")
                )
            if token.revoked_at is None:
                token.revoked_at = ctx.now
                await token.save(update_fields=["revoked_at"])
                await audit.record(
                    ctx.viewer,
                    "api_token",
                    token.id,
                    "revoke",
                    {"revoked_at": [None, token.revoked_at.isoformat()]},
                    token.agency_id,
                    at=ctx.moment,
                )
            return TokenPayload(token=ApiTokenType.from_model(token))

        result = await atomically(run)
        if isinstance(result, TokenPayload):  # committed: refused from the next request on
            forget_token(int(result.token.id))
        return result
