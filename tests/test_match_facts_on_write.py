"""The match facts kept on write are those a recompute from scratch gives, after every write.

Each step writes through the API as a client would (agency, practitioner and qualification
mutations, a review); after each, the facts the writes left are compared with the facts
`store.refresh` computes again from the tables. A write that forgot to refresh would leave
facts that bound a match too low, and a match would miss an agency.
"""

from __future__ import annotations

from typing import Any

from strawberry import relay

from directory.accounts.models import Role
from directory.matching import store
from tests.factories import credit_code, make_token

RESULT = "... on MutationError { code field message }"
CREATE = f"""mutation ($i: CreateAgencyInput!) {{ createAgency(input: $i) {{
  ... on AgencyPayload {{ agency {{ id version }} }} {RESULT} }} }}"""
UPDATE = f"""mutation ($i: UpdateAgencyInput!) {{ updateAgency(input: $i) {{
  ... on AgencyPayload {{ agency {{ version }} }} {RESULT} }} }}"""
ADD_PERSON = f"""mutation ($i: AddPractitionerInput!) {{ addPractitioner(input: $i) {{
  ... on PractitionerPayload {{ practitioner {{ id version }} }} {RESULT} }} }}"""
UPDATE_PERSON = f"""mutation ($i: UpdatePractitionerInput!) {{ updatePractitioner(input: $i) {{
  ... on PractitionerPayload {{ practitioner {{ version }} }} {RESULT} }} }}"""
REMOVE_PERSON = f"""mutation ($id: ID!, $v: Int!) {{ removePractitioner(id: $id, version: $v) {{
  __typename {RESULT} }} }}"""
ADD_QUALIFICATION = f"""mutation ($i: AddQualificationInput!) {{ addQualification(input: $i) {{
  ... on QualificationPayload {{ qualification {{ id }} }} {RESULT} }} }}"""
UPDATE_QUALIFICATION = f"""mutation ($i: UpdateQualificationInput!) {{
  updateQualification(input: $i) {{ __typename {RESULT} }} }}"""
VERIFY_QUALIFICATION = f"""mutation ($id: ID!, $ok: Boolean!) {{
  verifyQualification(id: $id, approve: $ok) {{ __typename {RESULT} }} }}"""
REVIEW = f"""mutation ($i: SubmitReviewInput!) {{ submitReview(input: $i) {{
  __typename {RESULT} }} }}"""


async def _kept_equals_recomputed(agency_id: int) -> dict[str, int]:
    kept = await store.stored([agency_id])
    await store.refresh([agency_id])
    assert kept == await store.stored([agency_id])
    return kept[agency_id]


def _ok(answer: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = answer[name]
    assert "code" not in result, result
    return result


async def test_every_write_leaves_the_facts_a_recompute_gives(gql):
    token = await make_token(Role.BUREAU)

    async def run(document: str, name: str, **variables: Any) -> dict[str, Any]:
        return _ok(await gql(document, variables, token=token), name)

    created = await run(
        CREATE,
        "createAgency",
        i={
            "name": "巴中市秦巴知识产权代理有限公司",
            "creditCode": credit_code("511902"),
            "officeRegion": "511902",
            "kinds": ["patent_agency"],
            "services": ["invention_patent", "patent_search"],
            "fields": ["food_beverage"],
            "description": "银耳饮料与青花椒加工的专利",
        },
    )
    agency = created["agency"]
    pk = int(relay.from_base64(agency["id"])[1])
    facts = await _kept_equals_recomputed(pk)
    assert facts["staff"] == 0 and facts["word:银耳"] == 1 and facts["lists:food_beverage"] == 1

    await run(
        UPDATE,
        "updateAgency",
        i={
            "id": agency["id"],
            "version": agency["version"],
            "description": "中药提取物制剂",
            "fields": ["biomedicine", "chinese_medicine"],
        },
    )
    facts = await _kept_equals_recomputed(pk)
    assert "word:银耳" not in facts and "lists:food_beverage" not in facts

    added = await run(
        ADD_PERSON,
        "addPractitioner",
        i={
            "agencyId": agency["id"],
            "name": "李明",
            "major": "食品工程",
            "languages": ["zh", "en"],
            "fields": ["agriculture"],
        },
    )
    person = added["practitioner"]
    facts = await _kept_equals_recomputed(pk)
    assert facts["staff"] == 1 and facts["lang:en"] == 1 and facts["field:food_beverage"] == 1

    updated = await run(
        UPDATE_PERSON,
        "updatePractitioner",
        i={
            "id": person["id"],
            "version": person["version"],
            "major": "药学",
            "languages": ["zh", "ja"],
            "fields": ["mechanical"],
        },
    )
    facts = await _kept_equals_recomputed(pk)
    assert "lang:en" not in facts and facts["field:mechanical"] == 1

    qualification = await run(
        ADD_QUALIFICATION,
        "addQualification",
        i={
            "practitionerId": person["id"],
            "kind": "ip_professional_title",
            "number": "ZSCQ-001",
            "level": "intermediate",
            "issuedOn": "2024-05-01",
        },
    )
    qid = qualification["qualification"]["id"]
    facts = await _kept_equals_recomputed(pk)
    assert "kind:ip_professional_title" not in facts  # pending: not counted
    await run(VERIFY_QUALIFICATION, "verifyQualification", id=qid, ok=True)
    facts = await _kept_equals_recomputed(pk)
    assert facts["kind:ip_professional_title"] == 1
    await run(UPDATE_QUALIFICATION, "updateQualification", i={"id": qid, "issuer": "人社厅"})
    await _kept_equals_recomputed(pk)

    await run(
        REVIEW,
        "submitReview",
        i={
            "agencyId": agency["id"],
            "firmCreditCode": credit_code("511921"),
            "engagementRef": "HT-2026-001",
            "rating": 5,
            "satisfied": True,
        },
    )
    await _kept_equals_recomputed(pk)

    version = updated["practitioner"]["version"]
    await run(REMOVE_PERSON, "removePractitioner", id=person["id"], v=version)
    facts = await _kept_equals_recomputed(pk)
    assert facts["staff"] == 0 and "kind:ip_professional_title" not in facts
