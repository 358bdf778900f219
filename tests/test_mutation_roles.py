"""Every mutation with every role: exactly the right ones succeed; refused ones write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from strawberry import relay
from tortoise import timezone

from directory.accounts.models import ApiToken, Role
from directory.talent.models import Verification
from tests.conftest import table_rows
from tests.factories import (
    credit_code,
    make_agency,
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
    tokens: dict[str, str | None]
    bureau_token_id: int


async def _world() -> World:
    own = await make_agency(name="自家代理所")
    other = await make_agency(name="别家代理所")
    person = await make_practitioner(own, name="王芳")
    qualification = await make_qualification(person, verification=Verification.PENDING)
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
    return World(own, other, person, qualification, tokens, bureau.id)


def gid(type_name: str, pk: int) -> str:
    return relay.to_base64(type_name, pk)


RESULT = "... on MutationError { code field message }"
# name -> (document, variables builder, roles allowed)
OWN = {"own_admin", "bureau"}
BUREAU = {"bureau"}
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
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    else:
        assert "errors" not in body, body
        result = body["data"][mutation]
        if role in allowed:
            assert result["__typename"] != "MutationError", result
            after = await table_rows()
            assert len(after["audit_entry"]) == len(before["audit_entry"]) + 1
            return
        expected = "UNAUTHENTICATED" if role == "anonymous" else "FORBIDDEN"
        assert result["__typename"] == "MutationError"
        assert result["code"] == expected
        assert result["field"] == "authorization"
    assert await table_rows() == before  # nothing written, no audit entry
