"""Who may do what: the rule of every mutation and the input fields only the bureau may send.

`PERMISSIONS` is the one place a permission is declared; the API applies it to every
mutation before the mutation runs (`directory.guard`), so services trust their caller.
Reads are scoped by `scoped`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.errors import ErrorCode, Rejected

M = TypeVar("M", bound=Model)
ConcernedKind = Literal[
    "Agency", "Practitioner", "Qualification", "AgencyLicence", "EngagementRequest"
]
NEEDS_TOKEN = "需要令牌：Bearer <token>（this needs a token: Bearer <token>）"


class Rule(StrEnum):
    ANYONE = "anyone"  # no token needed
    SIGNED_IN = "signed_in"  # any valid token
    OWN_AGENCY = "own_agency"  # the bureau, or the administrator of the agency concerned
    BUREAU = "bureau"
    # The administrator of the agency concerned and nobody else: the agency speaks for itself
    # (answering a firm's request), so the bureau may not do it on its behalf.
    AGENCY_ITSELF = "agency_itself"


@dataclass(frozen=True, slots=True)
class Concerns:
    """The argument (API names, `input.agencyId`) naming the object whose agency decides."""

    argument: str
    kind: ConcernedKind


_CONCERNED = (Rule.OWN_AGENCY, Rule.AGENCY_ITSELF)  # rules that compare the agency


@dataclass(frozen=True, slots=True)
class Permission:
    rule: Rule
    concerns: Concerns | None = None  # for OWN_AGENCY
    bureau_only: tuple[str, ...] = ()  # fields of `input` (API names) only the bureau may send

    def __post_init__(self) -> None:
        if (self.rule in _CONCERNED) != (self.concerns is not None):
            raise ValueError("an OWN_AGENCY or AGENCY_ITSELF rule, and only those, name the object")


BUREAU = Permission(Rule.BUREAU)
ANYONE = Permission(Rule.ANYONE)


def own(argument: str, kind: ConcernedKind) -> Permission:
    return Permission(Rule.OWN_AGENCY, Concerns(argument, kind))


# mutation (as the schema names it) -> who may run it
PERMISSIONS: dict[str, Permission] = {
    "createAgency": BUREAU,
    "updateAgency": Permission(
        Rule.OWN_AGENCY,
        Concerns("input.id", "Agency"),
        # they identify the agency
        bureau_only=("creditCode", "foundedOn", "kinds", "name", "officeRegion"),
    ),
    "setAgencyStatus": BUREAU,
    "verifyAgency": BUREAU,
    # An administrator submits and corrects its own agency's licences, which then wait for the
    # bureau's check; ending one and the decision are the bureau's, as are the credit grade and
    # the abnormal list (both published by the authorities, not declared by the agency).
    "recordAgencyLicence": own("input.agencyId", "Agency"),
    "updateAgencyLicence": own("input.id", "AgencyLicence"),
    "endAgencyLicence": BUREAU,
    "verifyAgencyLicence": BUREAU,
    "setAgencyCreditRating": BUREAU,
    "setAgencyAbnormalListing": BUREAU,
    "addPractitioner": own("input.agencyId", "Agency"),
    "updatePractitioner": own("input.id", "Practitioner"),
    "removePractitioner": own("id", "Practitioner"),
    "addQualification": own("input.practitionerId", "Practitioner"),
    "updateQualification": own("input.id", "Qualification"),
    "verifyQualification": BUREAU,  # an agency never verifies its own people
    "recordLicenceAssessment": BUREAU,  # the result comes from the justice administration
    "recordTraining": own("input.practitionerId", "Practitioner"),
    "issueToken": BUREAU,
    "revokeToken": BUREAU,
    # Firms review through their engagement (reviewEngagement); the bureau may still record
    # a review on a firm's behalf, audited.
    "submitReview": BUREAU,
    "setReviewHidden": BUREAU,
    "createTarget": BUREAU,
    "updateTarget": BUREAU,
    "runTargetCheck": BUREAU,
    "recordStatistic": BUREAU,
    "removeStatistic": BUREAU,
    "recordAnnualReport": BUREAU,
    "setAgencyNotification": own("input.agencyId", "Agency"),
    "requeueReminders": BUREAU,
    # engagements: the agency asked answers for itself
    "answerEngagementRequest": Permission(Rule.AGENCY_ITSELF, Concerns("id", "EngagementRequest")),
    # A firm's inquiry (directory/engaging/inquiries.py): no account; the private link's token is
    # the credential, checked by the service.
    "sendEngagementRequest": ANYONE,
    "confirmEngagementEmail": ANYONE,
    "startEngagement": ANYONE,
    "finishEngagement": ANYONE,
    "withdrawEngagementRequest": ANYONE,
    "reviewEngagement": ANYONE,
}


def check(
    viewer: Viewer,
    permission: Permission,
    agency_id: int | None,
    sent: Collection[str],
    found: bool = True,
) -> None:
    """Refuse unless `viewer` may do it. `agency_id` is the agency of the object concerned,
    `found` whether it exists at all (if not, the mutation answers NOT_FOUND itself);
    `sent` the bureau-only fields the input carries."""
    if permission.rule is Rule.ANYONE:
        return
    if viewer.role is Role.ANONYMOUS:
        raise Rejected.one(ErrorCode.UNAUTHENTICATED, "authorization", NEEDS_TOKEN)
    if permission.rule is Rule.AGENCY_ITSELF and viewer.is_bureau:
        message = (
            "只有该机构自己的管理员可以这样做（only the agency's own administrator may do this）"
        )
        raise Rejected.one(ErrorCode.FORBIDDEN, "authorization", message)
    if viewer.is_bureau or permission.rule is Rule.SIGNED_IN:
        return
    if permission.rule is Rule.BUREAU:
        message = "只有市局可以这样做（only the bureau may do this）"
        raise Rejected.one(ErrorCode.FORBIDDEN, "authorization", message)
    if found and agency_id != viewer.agency_id:
        raise Rejected.one(
            ErrorCode.FORBIDDEN,
            "authorization",
            "令牌只能修改本机构（a token may only change its own agency）",
        )
    forbidden = [name for name in permission.bureau_only if name in sent]
    if forbidden:
        name = forbidden[0]
        message = f"只有市局可以修改 {name}（only the bureau may change {name}）"
        raise Rejected.one(ErrorCode.FORBIDDEN, name, message)


def scoped(query: QuerySet[M], viewer: Viewer) -> QuerySet[M]:
    """Rows of `query` the viewer may read: all for the bureau, its own agency's for an
    administrator; anonymous viewers get UNAUTHENTICATED."""
    if viewer.role is Role.ANONYMOUS:
        raise Rejected.one(ErrorCode.UNAUTHENTICATED, "authorization", NEEDS_TOKEN)
    return query if viewer.is_bureau else query.filter(agency_id=viewer.agency_id)
