"""How the pages present licence validity, shares and review dates."""

from __future__ import annotations

from datetime import date

import pytest

from directory.web.present import licence_state, local_date, percent

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("expires_on", "css", "key", "valid"),
    [
        (None, "ok", "licence.forever", True),
        ("2027-06-01", "ok", "licence.valid_until", True),
        ("2027-03-02", "warn", "licence.expiring", True),  # 90 days ahead
        ("2026-12-02", "warn", "licence.expiring", True),  # its last day
        ("2026-12-01", "bad", "licence.expired", False),
    ],
)
def test_licence_state(expires_on, css, key, valid):
    state = licence_state(expires_on, TODAY)
    assert (state.css, state.key, state.valid) == (css, key, valid)
    assert state.date == (expires_on or "")


def test_shares_become_whole_percentages_within_0_and_100():
    assert [percent(v) for v in (0.0, 0.8621, 1.0, 1.2, -0.1)] == [0, 86, 100, 100, 0]


def test_a_review_is_dated_by_its_day_in_shanghai():
    assert local_date("2026-12-01T16:30:00+00:00") == "2026-12-02"
    assert local_date("2026-12-01T15:59:59+00:00") == "2026-12-01"
