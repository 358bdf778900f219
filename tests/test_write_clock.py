"""Every write reads one injected instant and the Asia/Shanghai calendar day it falls on."""

from __future__ import annotations

from datetime import UTC, datetime

from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.agencies.models import Agency
from tests.conftest import Server
from tests.factories import make_agency, make_token

# 17:00 UTC on 26 November is 01:00 on 27 November in Shanghai.
EVENING_UTC = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
SHANGHAI_TODAY = "2026-11-27"

UPDATE_AGENCY = """
mutation ($i: UpdateAgencyInput!) {
  updateAgency(input: $i) {
    __typename
    ... on AgencyPayload { agency { foundedOn version } }
    ... on MutationError { code field message }
  }
}"""
ADD_PERSON = """
mutation ($i: AddPractitionerInput!) {
  addPractitioner(input: $i) {
    __typename
    ... on PractitionerPayload { practitioner { practisingSince } }
    ... on MutationError { code field message }
  }
}"""


async def test_founded_today_in_shanghai_is_accepted_in_the_utc_evening(server: Server, gql):
    # given an agency and the bureau, at 17:00 UTC (already the next day in Shanghai)
    agency = await make_agency()
    token = await make_token(Role.BUREAU)
    server.clock.at = EVENING_UTC
    # when the bureau sets foundedOn to today's Shanghai date
    change = {"id": relay.to_base64("Agency", agency.id), "version": 1}
    change["foundedOn"] = SHANGHAI_TODAY
    result = (await gql(UPDATE_AGENCY, {"i": change}, token=token))["updateAgency"]
    # then it is accepted, and the row and its audit entry carry the injected instant
    assert result == {
        "__typename": "AgencyPayload",
        "agency": {"foundedOn": SHANGHAI_TODAY, "version": 2},
    }
    fresh = await Agency.get(id=agency.id)
    assert fresh.updated_at == EVENING_UTC
    entry = await AuditEntry.filter(entity_type="agency").order_by("-id").first()
    assert entry is not None
    assert (entry.action, entry.at) == ("update", EVENING_UTC)
    assert entry.changes["founded_on"] == [None, SHANGHAI_TODAY]


async def test_agencies_and_people_share_one_calendar_for_the_future(server: Server, gql):
    # given the same evening instant
    agency = await make_agency()
    token = await make_token(Role.BUREAU)
    server.clock.at = EVENING_UTC
    agency_id = relay.to_base64("Agency", agency.id)
    # when both a founding date and a practising date are the day after Shanghai's today
    tomorrow = "2026-11-28"
    founded = {"id": agency_id, "version": 1, "foundedOn": tomorrow}
    person = {"agencyId": agency_id, "name": "李明", "practisingSince": tomorrow}
    refused_agency = (await gql(UPDATE_AGENCY, {"i": founded}, token=token))["updateAgency"]
    refused_person = (await gql(ADD_PERSON, {"i": person}, token=token))["addPractitioner"]
    # then both are refused the same way, and Shanghai's today is accepted for both
    assert (refused_agency["code"], refused_agency["field"]) == ("INVALID_DATE", "foundedOn")
    assert (refused_person["code"], refused_person["field"]) == ("INVALID_DATE", "practisingSince")
    person["practisingSince"] = SHANGHAI_TODAY
    added = (await gql(ADD_PERSON, {"i": person}, token=token))["addPractitioner"]
    assert added == {
        "__typename": "PractitionerPayload",
        "practitioner": {"practisingSince": SHANGHAI_TODAY},
    }
