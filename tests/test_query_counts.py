"""Statement counts: a nested page does not grow with its size; a write sends what it needs."""

from __future__ import annotations

from datetime import date

from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.statements import collect_sql
from directory.talent.models import Practitioner, Qualification
from tests.factories import make_agency, make_practitioner, make_token

NESTED = """
query ($first: Int!) {
  agencies(first: $first) {
    totalCount
    edges { node {
      name officeRegion { nameZh parent { nameZh } } kinds { code } services { code }
      rating { count shrunkAverage satisfactionRatio }
      fields { code } regionsServed { code } licences { number kind { code } }
      practitioners {
        name phone fields { code } trainingHours(year: 2026) agency { name }
        qualifications { number isValid kind { code nameZh } }
      }
    } }
  }
}
"""


async def _directory(agencies: int) -> None:
    for a in range(agencies):
        agency = await make_agency(
            services=("invention_patent", "patent_search"),
            fields=("food_beverage",),
            regions_served=("511921",),
        )
        await Practitioner.bulk_create(
            [Practitioner(agency=agency, name=f"代理人{a:03d}{p}") for p in range(3)]
        )
        people = await Practitioner.filter(agency=agency)
        await Qualification.bulk_create(
            [
                Qualification(
                    practitioner=person,
                    kind_id=kind,
                    number=f"{kind[:3]}{person.id}",
                    issued_on=date(2020, 1, 1),
                )
                for person in people
                for kind in ("patent_attorney_qualification", "patent_practice_filing")
            ]
        )


async def test_nested_page_statements_do_not_grow_with_page_size(gql):
    await _directory(60)
    # a connection's first request sets up the response cache's change marker once (SQLite)
    await gql(NESTED, {"first": 1})
    with collect_sql() as small:
        data5 = await gql(NESTED, {"first": 5})
    with collect_sql() as large:
        data50 = await gql(NESTED, {"first": 50})
    assert len(data5["agencies"]["edges"]) == 5
    assert len(data50["agencies"]["edges"]) == 50
    people = [p for e in data50["agencies"]["edges"] for p in e["node"]["practitioners"]]
    assert len(people) == 150
    assert all(len(p["qualifications"]) == 2 for p in people)
    assert len(small) == len(large), (small, large)
    # one statement per table reached, whatever the page size
    assert len(large) <= 20, large


UPDATE_AGENCY = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) {
    ... on AgencyPayload { agency { version contactPhone services { code } } }
    ... on MutationError { code field message }
  }
}"""
UPDATE_PRACTITIONER = """
mutation ($i: UpdatePractitionerInput!) {
  updatePractitioner(input: $i) {
    ... on PractitionerPayload { practitioner { version name } }
    ... on MutationError { code field message }
  }
}"""


async def test_update_agency_sends_only_the_statements_it_needs(gql):
    agency = await make_agency(services=("invention_patent", "trademark_registration"))
    token = await make_token(Role.AGENCY_ADMIN, agency)
    changes = {
        "id": relay.to_base64("Agency", agency.id),
        "version": 1,
        "services": ["invention_patent", "patent_search"],
        "contactPhone": "0827-5261234",
    }
    with collect_sql() as statements:
        result = (await gql(UPDATE_AGENCY, {"i": changes}, token=token))["updateAgency"]
    assert result["agency"] == {
        "version": 2,
        "contactPhone": "+868275261234",
        "services": [{"code": "invention_patent"}, {"code": "patent_search"}],
    }
    # the token; the agency; the service codes checked; the compare-and-set UPDATE; the
    # services it had, the one dropped, the one added; the audit entry; the answer's services
    assert len(statements) == 9, statements
    entry = await AuditEntry.get(entity_type="agency")
    assert entry.changes == {
        "contact_phone": ["", "+868275261234"],
        "services": [
            ["invention_patent", "trademark_registration"],
            ["invention_patent", "patent_search"],
        ],
    }


async def test_update_practitioner_sends_only_the_statements_it_needs(gql):
    agency = await make_agency()
    person = await make_practitioner(agency, name="王芳")
    token = await make_token(Role.AGENCY_ADMIN, agency)
    changes = {
        "id": relay.to_base64("Practitioner", person.id),
        "version": 1,
        "name": "曾芳",
        "fields": ["food_beverage"],
    }
    with collect_sql() as statements:
        result = await gql(UPDATE_PRACTITIONER, {"i": changes}, token=token)
    assert result["updatePractitioner"]["practitioner"] == {"version": 2, "name": "曾芳"}
    # the token; the person's agency, for the permission (an administrator's only); the
    # person; the field codes checked; the UPDATE (with the new name's readings); the fields
    # held, the one added; the audit entry; the agency's match facts recomputed, a field of a
    # person being one (its description, its people, their qualifications and fields, the
    # facts deleted and written)
    assert len(statements) == 14, statements
    assert (await Practitioner.get(id=person.id)).search_pinyin.startswith("zengfang")
