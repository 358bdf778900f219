"""Every mutation with every role: exactly the right ones succeed; refused ones write nothing.

The cases are keyed by the same `PERMISSIONS` table the API applies, so a mutation added to
the schema without a permission, or without a case here, fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case
from tortoise import timezone

from directory.accounts.models import ApiToken, Role
from directory.engagements.models import RequestState
from directory.permissions import PERMISSIONS, Rule
from directory.reminders.models import Reminder, ReminderStatus
from directory.reviews.models import Review
from directory.schema import schema
from directory.talent.models import Verification
from directory.targets.models import Metric, Statistic, Target
from tests.conftest import table_rows
from tests.engagements import make_requests
from tests.factories import (
    credit_code,
    make_agency,
    make_inquiry,
    make_licence,
    make_practitioner,
    make_qualification,
    make_token,
)


@dataclass
class World:
    own: Any
    other: Any
    person: Any
    qualification: Any
    licence: Any
    review: Any
    target: Any
    statistic: Any
    tokens: dict[str, str | None]
    bureau_token_id: int
    reminder: Any = None  # a FAILED reminder of the own agency
    lawyer_licence: Any = None  # kept valid by its annual assessments
    engagement: Any = None  # a released request a firm sent the own agency
    matched: Any = None  # a patent agency that 找代理 answers for NEED
    unconfirmed: Any = None  # a firm's inquiry waiting for its e-mail confirmation
    engaged: dict[str, Any] = field(default_factory=dict)  # inquiries by their request state


async def _world() -> World:
    own = await make_agency(name="自家代理所")
    other = await make_agency(name="别家代理所")
    # a patent attorney with the certificate and the internship her practice filing needs
    person = await make_practitioner(
        own,
        name="王芳",
        internship_started_on=date(2018, 3, 1),
        internship_ended_on=date(2019, 3, 1),
    )
    await make_qualification(person, "patent_attorney_qualification", issued_on=date(2017, 12, 1))
    qualification = await make_qualification(person, verification=Verification.PENDING)
    licence = await make_licence(own, verification=Verification.PENDING)
    lawyer_licence = await make_qualification(
        person, "lawyer_licence", issued_on=date(2020, 7, 1), expires_on=date(2021, 5, 31)
    )
    review = await Review.create(
        agency_id=own.id,
        firm_credit_code=credit_code("511902"),
        engagement_ref="HT-1",
        rating=2,
        satisfied=False,
        comment="差评",
    )
    target = await Target.create(
        key="roles_test",
        description_zh="代理机构",
        description_en="Agencies",
        metric=Metric.AGENCY_COUNT,
        threshold=10,
        deadline=date(2027, 12, 31),
        region_id="511900",
    )
    statistic = await Statistic.create(
        key="pilot_enterprises",
        region_id="511900",
        as_of=date(2025, 12, 31),
        value=12,
        recorded_at=timezone.now(),
    )
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "own_admin": await make_token(Role.AGENCY_ADMIN, own),
        "other_admin": await make_token(Role.AGENCY_ADMIN, other),
        "bureau": await make_token(Role.BUREAU),
        "expired": await make_token(Role.BUREAU, valid_for=timedelta(days=-1)),
        "revoked": await make_token(Role.BUREAU),
    }
    revoked = await ApiToken.all().order_by("-id").first()
    assert revoked is not None
    revoked.revoked_at = timezone.now()
    await revoked.save()
    bureau = await ApiToken.filter(role=Role.BUREAU, revoked_at=None).order_by("id").first()
    assert bureau is not None
    world = World(
        own,
        other,
        person,
        qualification,
        licence,
        review,
        target,
        statistic,
        tokens,
        bureau.id,
        lawyer_licence=lawyer_licence,
    )
    world.reminder = await Reminder.create(
        kind="lawyer_licence.expiry",
        subject_type="practitioner",
        subject_id=person.id,
        agency_id=own.id,
        due_on=date(2026, 12, 16),
        step="1m",
        dedup_key="roles-test|email",
        channel="email",
        recipient="office@example.com",
        status=ReminderStatus.FAILED,
    )
    (world.engagement,) = await make_requests([own], datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    world.matched = await make_agency(
        name="匹配代理所", office_region_id="511921", licences=("patent_agency_licence",)
    )
    attorney = await make_practitioner(world.matched, name="赵敏")
    await make_qualification(attorney, "patent_practice_filing")
    world.unconfirmed = await make_inquiry(own, state=RequestState.UNCONFIRMED)
    for state in (
        RequestState.OPEN,
        RequestState.ACCEPTED,
        RequestState.STARTED,
        RequestState.DONE,
    ):
        world.engaged[state.value] = await make_inquiry(own, state=state)
    return world


def _step(name: str, state: str) -> tuple[str, Any, set[str]]:
    """A firm's step through its private link: anyone holding the token may take it."""
    return (
        f"mutation ($t: String!, $r: ID!) {{ {name}(token: $t, requestId: $r) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "t": w.engaged[state].access_token,
            "r": str(w.engaged[state].requests[0].id),
        },
        EVERYONE,
    )


def gid(type_name: str, pk: int) -> str:
    return relay.to_base64(type_name, pk)


RESULT = "... on MutationError { code field message }"
# name -> (document, variables builder, roles allowed)
OWN = {"own_admin", "bureau"}
BUREAU = {"bureau"}
EVERYONE = {"anonymous", "own_admin", "other_admin", "bureau"}
ITSELF = {"own_admin"}
NOT_AUDITED = {"runTargetCheck"}  # it only enqueues the check
CASES: dict[str, tuple[str, Any, set[str]]] = {
    "createAgency": (
        f"mutation ($i: CreateAgencyInput!) {{ createAgency(input: $i) {{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "name": "新所",
                "creditCode": credit_code("511921"),
                "officeRegion": "511921",
                "kinds": ["trademark_agency"],
            }
        },
        BUREAU,
    ),
    "updateAgency": (
        f"mutation ($i: UpdateAgencyInput!) {{ updateAgency(input: $i) {{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "id": gid("Agency", w.own.id),
                "version": 1,
                "description": "擅长食品领域专利",
                "services": ["patent_search"],
            }
        },
        OWN,
    ),
    "setAgencyStatus": (
        "mutation ($id: ID!) { setAgencyStatus(id: $id, version: 1, status: SUSPENDED) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("Agency", w.own.id)},
        BUREAU,
    ),
    "verifyAgency": (
        f"mutation ($id: ID!) {{ verifyAgency(id: $id, version: 1, approve: false) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("Agency", w.own.id)},
        BUREAU,
    ),
    "addPractitioner": (
        f"mutation ($i: AddPractitionerInput!) {{ addPractitioner(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {"agencyId": gid("Agency", w.own.id), "name": "李明", "phone": "13912345678"}
        },
        OWN,
    ),
    "updatePractitioner": (
        f"mutation ($i: UpdatePractitionerInput!) {{ updatePractitioner(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"i": {"id": gid("Practitioner", w.person.id), "version": 1, "major": "药学"}},
        OWN,
    ),
    "removePractitioner": (
        f"mutation ($id: ID!) {{ removePractitioner(id: $id, version: 1) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("Practitioner", w.person.id)},
        OWN,
    ),
    "addQualification": (
        f"mutation ($i: AddQualificationInput!) {{ addQualification(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "practitionerId": gid("Practitioner", w.person.id),
                "kind": "ip_professional_title",
                "number": "ZSCQ-001",
                "level": "intermediate",
                "issuedOn": "2024-05-01",
            }
        },
        OWN,
    ),
    "updateQualification": (
        f"mutation ($i: UpdateQualificationInput!) {{ updateQualification(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {"id": gid("Qualification", w.qualification.id), "issuer": "国家知识产权局"}
        },
        OWN,
    ),
    "verifyQualification": (
        f"mutation ($id: ID!) {{ verifyQualification(id: $id, approve: true) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("Qualification", w.qualification.id)},
        BUREAU,
    ),
    "recordLicenceAssessment": (
        f"mutation ($i: RecordAssessmentInput!) {{ recordLicenceAssessment(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "qualificationId": gid("Qualification", w.lawyer_licence.id),
                "year": 2026,
                "result": "COMPETENT",
                "assessedOn": "2026-04-20",
            }
        },
        BUREAU,
    ),
    "recordTraining": (
        f"mutation ($i: RecordTrainingInput!) {{ recordTraining(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "practitionerId": gid("Practitioner", w.person.id),
                "course": "专利代理实务",
                "hours": "8",
                "completedOn": "2026-10-10",
            }
        },
        OWN,
    ),
    "issueToken": (
        f'mutation ($a: ID) {{ issueToken(role: AGENCY_ADMIN, name: "管理员", agencyId: $a) '
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"a": gid("Agency", w.own.id)},
        BUREAU,
    ),
    "revokeToken": (
        f"mutation ($id: ID!) {{ revokeToken(id: $id) {{ __typename {RESULT} }} }}",
        lambda w: {"id": str(w.bureau_token_id)},
        BUREAU,
    ),
    "submitReview": (
        f"mutation ($i: SubmitReviewInput!) {{ submitReview(input: $i) {{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "agencyId": gid("Agency", w.own.id),
                "firmCreditCode": credit_code("511923"),
                "engagementRef": "HT-2",
                "rating": 5,
                "satisfied": True,
            }
        },
        BUREAU,  # firms review through their engagement (reviewEngagement)
    ),
    "sendEngagementRequest": (
        f"mutation ($i: SendEngagementRequestInput!) {{ sendEngagementRequest(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "need": {"services": ["invention_patent"], "region": "511921"},
                "agencyIds": [gid("Agency", w.matched.id)],
                "firmName": "通江银耳食品有限公司",
                "firmCreditCode": credit_code("511921"),
                "contactEmail": "ip@tongjiang-food.example.cn",
            }
        },
        EVERYONE,
    ),
    "confirmEngagementEmail": (
        f"mutation ($t: String!) {{ confirmEngagementEmail(token: $t) {{ __typename {RESULT} }} }}",
        lambda w: {"t": w.unconfirmed.confirm_token},
        EVERYONE,
    ),
    "startEngagement": _step("startEngagement", "accepted"),
    "finishEngagement": _step("finishEngagement", "started"),
    "withdrawEngagementRequest": _step("withdrawEngagementRequest", "open"),
    "reviewEngagement": (
        f"mutation ($i: ReviewEngagementInput!) {{ reviewEngagement(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "token": w.engaged["done"].access_token,
                "requestId": str(w.engaged["done"].requests[0].id),
                "rating": 4,
                "satisfied": True,
            }
        },
        EVERYONE,
    ),
    "setReviewHidden": (
        f"mutation ($id: ID!) {{ setReviewHidden(id: $id, hidden: true) {{ __typename {RESULT} }} }}",
        lambda w: {"id": str(w.review.id)},
        BUREAU,
    ),
    "createTarget": (
        f"mutation ($i: CreateTargetInput!) {{ createTarget(input: $i) {{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "key": "roles_new",
                "descriptionZh": "从业人员",
                "descriptionEn": "People",
                "metric": "PRACTITIONER_COUNT",
                "threshold": 100,
                "deadline": "2027-12-31",
                "region": "511900",
            }
        },
        BUREAU,
    ),
    "updateTarget": (
        f"mutation ($i: UpdateTargetInput!) {{ updateTarget(input: $i) {{ __typename {RESULT} }} }}",
        lambda w: {"i": {"id": gid("Target", w.target.id), "version": 1, "threshold": 12}},
        BUREAU,
    ),
    "runTargetCheck": (
        f"mutation {{ runTargetCheck {{ __typename {RESULT} }} }}",
        lambda w: {},
        BUREAU,
    ),
    "recordStatistic": (
        f"mutation ($i: RecordStatisticInput!) {{ recordStatistic(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "statistic": "valid_trademark_registrations",
                "region": "511900",
                "asOf": "2025-12-31",
                "value": 3200,
            }
        },
        BUREAU,
    ),
    "removeStatistic": (
        f"mutation ($id: ID!) {{ removeStatistic(id: $id) {{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("Statistic", w.statistic.id)},
        BUREAU,
    ),
    "recordAnnualReport": (
        f"mutation ($i: RecordAnnualReportInput!) {{ recordAnnualReport(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {"agencyId": gid("Agency", w.own.id), "year": 2025, "filedOn": "2026-03-10"}
        },
        BUREAU,
    ),
    "requeueReminders": (
        f"mutation ($ids: [ID!]!) {{ requeueReminders(ids: $ids) {{ __typename {RESULT} }} }}",
        lambda w: {"ids": [str(w.reminder.id)]},
        BUREAU,
    ),
    "setAgencyNotification": (
        f"mutation ($i: AgencyNotificationInput!) {{ setAgencyNotification(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"i": {"agencyId": gid("Agency", w.own.id), "email": "notice@example.com"}},
        OWN,
    ),
    "recordAgencyLicence": (
        f"mutation ($i: RecordAgencyLicenceInput!) {{ recordAgencyLicence(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "agencyId": gid("Agency", w.own.id),
                "kind": "trademark_agency_filing",
                "number": "TM-2024-0001",
                "issuedOn": "2024-05-01",
            }
        },
        OWN,
    ),
    "updateAgencyLicence": (
        f"mutation ($i: UpdateAgencyLicenceInput!) {{ updateAgencyLicence(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "id": gid("AgencyLicence", w.licence.id),
                "version": 1,
                "issuer": "四川省知识产权局",
            }
        },
        OWN,
    ),
    "endAgencyLicence": (
        f"mutation ($i: EndAgencyLicenceInput!) {{ endAgencyLicence(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "id": gid("AgencyLicence", w.licence.id),
                "version": 1,
                "endedOn": "2026-06-01",
                "reason": "主动注销",
            }
        },
        BUREAU,
    ),
    "verifyAgencyLicence": (
        f"mutation ($id: ID!) {{ verifyAgencyLicence(id: $id, version: 1, approve: true) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": gid("AgencyLicence", w.licence.id)},
        BUREAU,
    ),
    "setAgencyCreditRating": (
        f"mutation ($i: SetAgencyCreditRatingInput!) {{ setAgencyCreditRating(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "id": gid("Agency", w.own.id),
                "version": 1,
                "grade": "A_PLUS",
                "score": "96.5",
                "gradedOn": "2026-06-30",
            }
        },
        BUREAU,
    ),
    "setAgencyAbnormalListing": (
        f"mutation ($i: SetAgencyAbnormalListingInput!) {{ setAgencyAbnormalListing(input: $i) "
        f"{{ __typename {RESULT} }} }}",
        lambda w: {
            "i": {
                "id": gid("Agency", w.own.id),
                "version": 1,
                "since": "2026-04-01",
                "reason": "未按时报送年度报告",
            }
        },
        BUREAU,
    ),
    "answerEngagementRequest": (
        'mutation ($id: ID!) { answerEngagementRequest(id: $id, accept: true, note: "可以") '
        f"{{ __typename {RESULT} }} }}",
        lambda w: {"id": str(w.engagement.id)},
        ITSELF,
    ),
}
ROLES = ["anonymous", "own_admin", "other_admin", "bureau", "expired", "revoked"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", sorted(CASES))
async def test_mutation_with_role(gql, mutation: str, role: str):
    document, variables, allowed = CASES[mutation]
    world = await _world()
    before = await table_rows()
    response = await gql.raw(document, variables(world), token=world.tokens[role])
    body = response.json()
    if role in ("expired", "revoked"):
        assert response.status_code == 401
        assert body["errors"][0]["extensions"]["reason"] == "UNAUTHENTICATED"
    else:
        assert "errors" not in body, body
        result = body["data"][mutation]
        if role in allowed:
            assert result["__typename"] != "MutationError", result
            after = await table_rows()
            audited = 0 if mutation in NOT_AUDITED else 1
            assert len(after["audit_entry"]) == len(before["audit_entry"]) + audited
            return
        expected = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert result["__typename"] == "MutationError"
        assert result["code"] == expected
        assert result["field"] == "authorization"
    assert await table_rows() == before  # nothing written, no audit entry


# who the table lets through, among the signed-in and anonymous viewers of the matrix
_LET_THROUGH = {
    Rule.ANYONE: EVERYONE,
    Rule.SIGNED_IN: {"own_admin", "other_admin", "bureau"},
    Rule.OWN_AGENCY: OWN,
    Rule.BUREAU: BUREAU,
    Rule.AGENCY_ITSELF: ITSELF,
}


def test_every_mutation_has_one_permission_and_one_case():
    mutation_type = schema.get_type_by_name("Mutation")
    assert isinstance(mutation_type, StrawberryObjectDefinition)
    names = {f.graphql_name or to_camel_case(f.python_name) for f in mutation_type.fields}
    assert set(PERMISSIONS) == names
    assert set(CASES) == names


@pytest.mark.parametrize("mutation", sorted(CASES))
def test_the_matrix_expects_what_the_table_declares(mutation: str):
    assert CASES[mutation][2] == _LET_THROUGH[PERMISSIONS[mutation].rule]


# a value for each field the table reserves to the bureau
_BUREAU_FIELD_VALUES: dict[str, Any] = {
    "name": "改名代理所",
    "creditCode": credit_code("511921"),
    "officeRegion": "511921",
    "kinds": ["trademark_agency"],
    "foundedOn": "2020-01-01",
}


@pytest.mark.parametrize("field", PERMISSIONS["updateAgency"].bureau_only)
async def test_an_administrator_may_not_send_a_bureau_only_field(gql, field: str):
    world = await _world()
    document, variables, _ = CASES["updateAgency"]
    given = variables(world)
    given["i"][field] = _BUREAU_FIELD_VALUES[field]
    before = await table_rows()
    refused = (await gql(document, given, token=world.tokens["own_admin"]))["updateAgency"]
    assert (refused["code"], refused["field"]) == ("FORBIDDEN", field)
    assert await table_rows() == before
    allowed = (await gql(document, given, token=world.tokens["bureau"]))["updateAgency"]
    assert allowed["__typename"] == "AgencyPayload", allowed
