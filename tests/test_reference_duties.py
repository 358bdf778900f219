"""A qualification kind's rule data parses into typed duties, and the sync refuses a bad rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from directory.jsonfields import DataError
from directory.reference import data
from directory.reference.duties import (
    AnnualReportDuty,
    AssessmentDuty,
    ExpiryReminders,
    FilingDuty,
    TrainingDuty,
    parse_duties,
    parse_enterprise_report,
)
from directory.reference.models import QualificationKind
from directory.reference.sync import sync_reference_data
from directory.talent.models import AssessmentResult

DUTIES = {code: parse_duties(code, rule) for code, *_, rule in data.QUALIFICATION_KINDS}


def test_every_kind_of_the_reference_data_parses_into_its_duties():
    filing = DUTIES["patent_practice_filing"]
    assert filing.training == TrainingDuty(Decimal(90), ("09-30", "10-31", "11-30"))
    assert filing.requires == ("patent_attorney_qualification",)
    assert (filing.internship_months, filing.filing) == (12, FilingDuty(30, (30, 7)))
    lawyer = DUTIES["lawyer_licence"]
    assert lawyer.assessment == AssessmentDuty(
        ("03-01", "05-31"), ("competent", "basically_competent")
    )
    assert DUTIES["patent_agency_licence"].annual_report == AnnualReportDuty(
        window=("03-01", "03-31"),
        remind_on=("02-15", "03-01", "03-20", "03-28"),
        bureau_alert_on="04-01",
        removal_grace_months=1,
    )
    assert DUTIES["trademark_agency_filing"].expiry == ExpiryReminders(before_months=(7, 6, 3, 1))
    assert DUTIES["ip_professional_title"].levels == (
        "assistant",
        "intermediate",
        "senior",
        "principal",
    )
    assert not DUTIES["patent_attorney_qualification"].expiry


def test_the_training_days_and_the_report_days_are_separate_keys():
    # one kind with both duties: each keeps its own days
    both = parse_duties(
        "both",
        {
            "annual_hours": 20,
            "training_remind_on": ["10-01"],
            "annual_report_window": ["03-01", "03-31"],
            "report_remind_on": ["02-20"],
        },
    )
    assert both.training is not None and both.training.remind_on == ("10-01",)
    assert both.annual_report is not None and both.annual_report.remind_on == ("02-20",)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"remind_on": ["09-30"]}, "'remind_on' is not a known key"),
        ({"annual_hours": "many"}, "'annual_hours' must be a number"),
        ({"annual_hours": 40, "training_remind_on": ["13-01"]}, "'training_remind_on' must be"),
        ({"training_remind_on": ["09-30"]}, "'training_remind_on' needs 'annual_hours'"),
        ({"bureau_alert_on": "04-01"}, "'bureau_alert_on' needs 'annual_report_window'"),
        ({"annual_report_window": ["03-01"]}, "must be two MM-DD days"),
        ({"remind_before_months": [2, "1"]}, "'remind_before_months' must be a list of integers"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_kind_and_the_key(rule, message):
    with pytest.raises(DataError, match="qualification kind 'some_kind'") as refused:
        parse_duties("some_kind", rule)
    assert message in str(refused.value)


async def test_the_sync_refuses_an_unknown_rule_key_and_writes_nothing(server, monkeypatch):
    # given the reference data with a kind whose rule misspells a key
    bad: Any = (
        "typo_kind",
        "拼错的资格",
        "Misspelt kind",
        "practitioner",
        None,
        {"remind_before_month": [1]},
    )
    monkeypatch.setattr(data, "QUALIFICATION_KINDS", [*data.QUALIFICATION_KINDS, bad])
    # when the sync runs, then it stops, naming the kind and the key
    with pytest.raises(DataError) as refused:
        await sync_reference_data()
    assert "qualification kind 'typo_kind'" in str(refused.value)
    assert "'remind_before_month' is not a known key" in str(refused.value)
    # and nothing was written
    assert not await QualificationKind.exists(code="typo_kind")


def _other_value(value: Any) -> Any:
    """A different value of the same shape: every key the parser reads must change its result."""
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return "01-15" if value[:2].isdigit() else value + "x"
    if all(isinstance(v, int) for v in value):
        return [v + 1 for v in value]
    if all(v[:2].isdigit() for v in value):
        return ["01-15", "01-20"][: len(value)] if len(value) <= 2 else ["01-15"]
    return [*value, "extra"]


@pytest.mark.parametrize(
    ("kind", "key"),
    [(code, key) for code, *_, rule in data.QUALIFICATION_KINDS for key in rule],
)
def test_every_key_of_the_rule_data_is_read(kind, key):
    # given a kind's rule with one key's value changed, then the parsed duties change
    rule = next(r for code, *_, r in data.QUALIFICATION_KINDS if code == kind)
    changed = {**rule, key: _other_value(rule[key])}
    assert parse_duties(kind, changed) != parse_duties(kind, rule)


@pytest.mark.parametrize("key", sorted(data.ENTERPRISE_ANNUAL_REPORT))
def test_every_key_of_the_enterprise_report_is_read(key):
    rule = data.ENTERPRISE_ANNUAL_REPORT
    changed = {**rule, key: _other_value(rule[key])}
    assert parse_enterprise_report(changed) != parse_enterprise_report(rule)
    with pytest.raises(DataError, match="'typo' is not a known key"):
        parse_enterprise_report({**rule, "typo": 1})


def test_levels_and_assessment_results_name_known_codes():
    known_levels = set(data.LEVELS)
    for code, *_, rule in data.QUALIFICATION_KINDS:
        assert set(parse_duties(code, rule).levels) <= known_levels, code
        if (assessment := parse_duties(code, rule).assessment) is not None:
            assert set(assessment.passes) <= set(data.ASSESSMENT_RESULTS), code
    assert set(data.ASSESSMENT_RESULTS) == {r.value for r in AssessmentResult}
