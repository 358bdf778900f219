"""The legal hard rules of the services parse from the reference data, and bad rule data is
refused with the service and the key named."""

from __future__ import annotations

from typing import Any

import pytest

from directory.jsonfields import DataError
from directory.reference import data
from directory.reference.service_rules import Allowance, parse_rule, parse_rules, service_rules

HOLDERS = {code: holder for code, _, _, holder, _, _ in data.QUALIFICATION_KINDS}


def test_the_shipped_rules_say_what_the_law_asks():
    rules = service_rules()
    assert set(rules) == {code for code, *_ in data.SERVICE_TYPES}
    patent = Allowance(("patent_agency_licence",), ("patent_practice_filing",))
    for service in ("invention_patent", "utility_model", "patent_drafting", "patent_invalidation"):
        assert rules[service].ways == (patent,)
    trademark = Allowance(agency_holds=("trademark_agency_filing",))
    assert rules["trademark_registration"].ways == (trademark,)
    assert rules["patent_search"].ways == ()  # anyone may search
    assert rules["ip_litigation"].needs_staff


def test_every_required_qualification_shown_is_asked_by_its_rule():
    for code, *_, shown in data.SERVICE_TYPES:
        if shown is not None:
            assert shown in service_rules()[code].staff_kinds, code


@pytest.mark.parametrize(
    ("ways", "message"),
    [
        ([{"agency_has": ["patent_agency_licence"]}], "'agency_has' is not a known key"),
        ([{"staff_holds": "lawyer_licence"}], "'staff_holds' must be a list"),
        ([{}], "names neither 'agency_holds' nor 'staff_holds'"),
        ([{"agency_holds": ["x"], "staff_count": 2}], "'staff_count' must be 1 or more"),
        ([{"staff_holds": ["lawyer_licence"], "staff_count": 0}], "'staff_count' must be 1"),
        ([], "expected a non-empty list of ways"),
        ({"agency_holds": ["patent_agency_licence"]}, "expected a non-empty list"),
        ([{"agency_holds": ["lawyer_licence"]}], "not a qualification kind an agency holds"),
        ([{"staff_holds": ["patent_agency_licence"]}], "a practitioner holds"),
        ([{"staff_holds": ["alchemy_licence"]}], "'alchemy_licence'"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_service(ways: Any, message: str):
    with pytest.raises(DataError, match="service 'x', rule") as raised:
        parse_rule("x", ways, HOLDERS)
    assert message in str(raised.value)


def test_a_rule_for_a_service_that_does_not_exist_is_refused():
    with pytest.raises(DataError, match="'patent_magic' is not a service type"):
        parse_rules({"patent_magic": [{"staff_holds": ["lawyer_licence"]}]}, ["ip_litigation"])
