"""One definition per figure: the target check, sectorGrowth, the bureau's dashboard and the
directory's list say the same number of agencies and practitioners, at the same moment."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import httpx

from directory.accounts.models import Role
from directory.agencies.models import Agency, AgencyStatus
from directory.clock import local_today
from directory.demo.load import seed_demo
from directory.talent.models import Practitioner, PractitionerStatus
from directory.targets.check import check_targets
from directory.targets.plan import ensure_plan_targets
from tests.factories import make_agency, make_practitioner, make_token
from tests.webforms import sign_in

FIGURES = """query ($today: Date!) {
  agencies: sectorGrowth(metric: AGENCIES, from: $today, to: $today, region: "511900") {
    points { value } }
  people: sectorGrowth(metric: PRACTITIONERS, from: $today, to: $today, region: "511900") {
    points { value } }
  active: agencies(filter: {region: "511900", status: ACTIVE}) { totalCount }
  listed: agencies(filter: {region: "511900"}) { totalCount }
  present: agencies(filter: {servesRegion: "511900"}) { totalCount }
  targets { key latest { value } }
}"""


async def _everywhere(server, gql, client: httpx.AsyncClient) -> dict[str, Any]:
    """Each place's figures after one saved check, at the same moment."""
    today = local_today(server.clock())
    standings = await check_targets(server.clock(), server.settings)
    checked = {s.target.key: s.assessment.value for s in standings}
    data = await gql(FIGURES, {"today": today.isoformat()})
    latest = {t["key"]: t["latest"]["value"] for t in data["targets"] if t["latest"]}
    await sign_in(client, await make_token(Role.BUREAU))
    html = (await client.get("/bureau", params={"region": "511900"})).text
    shown = {
        key: int(m.group(1))
        for key in ("agencies", "practitioners")
        if (m := re.search(rf'id="target-{key}">.*?<strong>(\d+)</strong>', html, re.S))
    }
    year = str(today.year)
    table = re.findall(rf"<tr><td>{year}</td><td>(\d+)</td></tr>", html)  # growth, this year
    return {
        "check": (checked["agencies"], checked["practitioners"]),
        "growth": (
            data["agencies"][0]["points"][-1]["value"],
            data["people"][0]["points"][-1]["value"],
        ),
        "dashboard": (shown["agencies"], shown["practitioners"]),
        "dashboard_growth": tuple(int(v) for v in table[:2]),
        "snapshots": (latest["agencies"], latest["practitioners"]),
        "list_active": data["active"]["totalCount"],
        "list_default": data["listed"]["totalCount"],
        "list_present": data["present"]["totalCount"],
    }


async def test_on_the_demo_data_every_place_says_the_same_figures(server, gql, client):
    await seed_demo(server.clock())
    seen = await _everywhere(server, gql, client)
    agencies, people = seen["check"]
    assert (agencies, people) == (9, 58)
    assert seen["growth"] == seen["dashboard"] == seen["dashboard_growth"] == (agencies, people)
    assert seen["snapshots"] == (agencies, people)
    assert seen["list_active"] == agencies
    # the list by default also shows the suspended agency (labelled), and "serves my county"
    # the agencies from elsewhere that serve it: listings, not the figure
    assert seen["list_default"] == agencies + 1
    assert seen["list_present"] > seen["list_default"]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


async def test_the_edge_cases_count_the_same_everywhere(server, gql, client):
    # given, in Bazhong: an active verified agency with one person staying, one removed and
    # one who left; an unverified active one with one person; a suspended one with a person;
    # one deregistered; one in Chengdu that only serves Bazhong; and an independent
    await ensure_plan_targets()
    founded = date(2020, 5, 1)
    kept = await make_agency(office_region_id="511902", founded_on=founded)
    await make_practitioner(kept, joined_agency_on=date(2021, 1, 4))
    removed = await make_practitioner(kept, joined_agency_on=date(2021, 1, 4))
    left = await make_practitioner(kept, joined_agency_on=date(2021, 1, 4))
    await Practitioner.filter(id=removed.id).update(removed_at=_at(date(2026, 3, 1)))
    await Practitioner.filter(id=left.id).update(
        status=PractitionerStatus.LEFT, updated_at=_at(date(2026, 4, 1))
    )
    unverified = await make_agency(office_region_id="511921", founded_on=founded, verified=False)
    await make_practitioner(unverified, joined_agency_on=date(2022, 2, 1))
    suspended = await make_agency(office_region_id="511922", founded_on=founded)
    await make_practitioner(suspended, joined_agency_on=date(2022, 2, 1))
    gone = await make_agency(office_region_id="511923", founded_on=founded)
    for agency, status in ((suspended, AgencyStatus.SUSPENDED), (gone, AgencyStatus.DEREGISTERED)):
        await Agency.filter(id=agency.id).update(status=status, updated_at=_at(date(2026, 6, 1)))
    served = await make_agency(
        office_region_id="510104", founded_on=founded, regions_served=("511900",)
    )
    await make_practitioner(served, joined_agency_on=date(2022, 2, 1))
    await make_practitioner(None, joined_agency_on=None)
    # when every place is asked
    seen = await _everywhere(server, gql, client)
    # then the two active local agencies count, verified or not, with their two people
    assert seen["check"] == seen["growth"] == seen["dashboard"] == (2, 2)
    assert seen["dashboard_growth"] == seen["snapshots"] == (2, 2)
    assert seen["list_active"] == 2
    assert (seen["list_default"], seen["list_present"]) == (3, 4)
