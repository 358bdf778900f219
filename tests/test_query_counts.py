"""No N+1: the statements of a nested page do not grow with the page size."""

from __future__ import annotations

from datetime import date

from directory.statements import collect_sql
from directory.talent.models import Practitioner, Qualification
from tests.factories import make_agency

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
