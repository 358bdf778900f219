"""The talent directory: practitioners, their qualifications and training hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

from directory.talent.models import Verification
from tests.factories import make_agency, make_practitioner, make_qualification, make_training

PAGE = """
query ($filter: PractitionerFilter) {
  practitioners(filter: $filter, first: 100) { totalCount edges { node { name } } }
}
"""


async def names(gql, flt: dict) -> list[str]:
    data = (await gql(PAGE, {"filter": flt}))["practitioners"]
    assert data["totalCount"] == len(data["edges"])
    return [e["node"]["name"] for e in data["edges"]]


async def test_filters_by_name_region_agency_and_field(gql):
    tongjiang = await make_agency(office_region_id="511921")
    chengdu = await make_agency(office_region_id="510107")
    await make_practitioner(tongjiang, name="王芳", fields=("food_beverage",))
    await make_practitioner(chengdu, name="曾晓东", fields=("biomedicine",))
    await make_practitioner(None, name="单丽", employer="巴中某食品有限公司")
    assert await names(gql, {"text": "王芳"}) == ["王芳"]
    assert await names(gql, {"region": "511900"}) == ["王芳"]
    assert await names(gql, {"agency": str(chengdu.id)}) == ["曾晓东"]
    assert await names(gql, {"field": "biomedicine"}) == ["曾晓东"]


async def test_removed_practitioners_are_not_listed(gql):
    agency = await make_agency()
    await make_practitioner(agency, name="在职")
    await make_practitioner(agency, name="已移除", removed_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert await names(gql, {}) == ["在职"]


async def test_valid_qualification_on_a_date(gql, server):
    agency = await make_agency()
    valid = await make_practitioner(agency, name="有效")
    expiring = await make_practitioner(agency, name="将到期")
    pending = await make_practitioner(agency, name="待核")
    await make_qualification(valid, "lawyer_licence", expires_on=date(2027, 5, 31))
    await make_qualification(expiring, "lawyer_licence", expires_on=date(2026, 12, 10))
    await make_qualification(
        pending,
        "lawyer_licence",
        expires_on=date(2027, 5, 31),
        verification=Verification.PENDING,
    )
    kind = "lawyer_licence"
    assert sorted(await names(gql, {"qualificationKind": kind})) == sorted(
        ["有效", "将到期", "待核"]
    )
    today = await names(gql, {"validQualification": {"kind": kind}})
    assert sorted(today) == sorted(["有效", "将到期"])
    later = await names(gql, {"validQualification": {"kind": kind, "on": "2027-01-01"}})
    assert later == ["有效"]
    # the injected clock decides what "today" is
    server.clock.at = datetime(2026, 12, 20, tzinfo=UTC)
    assert await names(gql, {"validQualification": {"kind": kind}}) == ["有效"]


async def test_practitioner_details_qualifications_and_training_hours(gql):
    agency = await make_agency(name="巴山专利")
    person = await make_practitioner(
        agency, name="李明", practising_since=date(2016, 12, 1), languages=["zh", "en"]
    )
    await make_qualification(person, "patent_attorney_qualification", number="ZL201600123")
    await make_qualification(person, "patent_practice_filing", number="51001234")
    await make_training(person, "40", date(2026, 3, 2))
    await make_training(person, "12.5", date(2026, 10, 9))
    await make_training(person, "30", date(2025, 6, 1))
    query = """
    query ($id: ID!) {
      practitioner(id: $id) {
        name languages experienceYears agency { name }
        qualifications { number isValid kind { code nameZh } }
        h2026: trainingHours(year: 2026) h2025: trainingHours(year: 2025)
        h2024: trainingHours(year: 2024)
      }
    }"""
    data = (await gql(query, {"id": str(person.id)}))["practitioner"]
    assert data["name"] == "李明"
    assert data["languages"] == ["zh", "en"]
    assert data["experienceYears"] == 9  # 1 Dec 2016 to 26 Nov 2026
    assert data["agency"] == {"name": "巴山专利"}
    assert [q["kind"]["code"] for q in data["qualifications"]] == [
        "patent_attorney_qualification",
        "patent_practice_filing",
    ]
    assert all(q["isValid"] for q in data["qualifications"])
    assert (data["h2026"], data["h2025"], data["h2024"]) == ("52.5", "30.0", "0.0")


async def test_reference_lists_carry_both_languages(gql):
    data = await gql(
        """{ regions(parent: "511900") { code nameZh nameEn level }
             serviceTypes { code requiredQualificationCode }
             agencyKinds { code nameZh }
             qualificationKinds { code nameZh validityMonths rule }
             technicalFields { code nameZh priority } }"""
    )
    assert [r["code"] for r in data["regions"]] == [
        "511902",
        "511903",
        "511921",
        "511922",
        "511923",
    ]
    assert data["regions"][2] == {
        "code": "511921",
        "nameZh": "通江县",
        "nameEn": "Tongjiang County",
        "level": "COUNTY",
    }
    services = {s["code"]: s["requiredQualificationCode"] for s in data["serviceTypes"]}
    assert services["invention_patent"] == "patent_practice_filing"
    assert services["ip_litigation"] == "lawyer_licence"
    assert services["trademark_registration"] is None
    assert len(data["agencyKinds"]) == 10
    kinds = {k["code"]: k for k in data["qualificationKinds"]}
    assert kinds["trademark_agency_filing"]["validityMonths"] == 36
    assert kinds["patent_practice_filing"]["rule"]["annual_hours"] == 90
    priority = {f["nameZh"] for f in data["technicalFields"] if f["priority"]}
    assert priority == {"现代生物医药", "食品饮料", "新材料新能源"}
