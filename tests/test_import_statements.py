"""How many statements an agencies import sends: a fixed number a sheet, plus the writes of
each new row through the services; checking and the dry run's look-ups add none per row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from directory.statements import collect_sql
from tests.test_import_export import AGENCY_HEADERS, agency_row, run, write_xlsx

# A new agency, written by create_agency in its own savepoint: SAVEPOINT, the credit-code
# check, the agency, its kinds, services, fields and regions served (one INSERT each, those
# given), the audit entry, RELEASE. A blank grade or listing costs nothing.
GRADE_HEADERS = [
    "信用等级",
    "信用分",
    "信用评价日期",
    "列入经营异常名录日期",
    "列入经营异常名录原因",
    "移出经营异常名录日期",
]


def _sheet(path: Path, first: int, count: int) -> Path:
    rows = [agency_row(n) + [""] * len(GRADE_HEADERS) for n in range(first, first + count)]
    return write_xlsx(path, AGENCY_HEADERS + GRADE_HEADERS, rows)


async def _statements(server, path: Path, dry_run: bool) -> Counter[str]:
    with collect_sql() as statements:
        report = await run(server, "agencies", path, dry_run=dry_run)
    assert report.problems == [] and report.created > 0
    return Counter(s.sql.split()[0].upper() for s in statements)


def _writes(first: int, count: int) -> Counter[str]:
    """Per new row: the credit-code check (SELECT); the agency, its kinds and services (always
    given by `agency_row`), its fields and regions served when given, the audit entry (INSERT)."""
    rows = range(first, first + count)
    inserts = sum(4 + (n % 3 != 0) + (n % 5 == 0) for n in rows)
    return Counter({"SELECT": count, "INSERT": inserts})


async def test_import_statements_grow_by_the_rows_writes_alone(server, tmp_path):
    for dry_run in (True, False):  # a dry run writes, then rolls back, as the import does
        small = await _statements(server, _sheet(tmp_path / "small.xlsx", 0, 10), dry_run)
        large = await _statements(server, _sheet(tmp_path / "large.xlsx", 100, 40), dry_run)
        fixed_small = small.copy()
        fixed_small.subtract(_writes(0, 10))
        fixed_large = large.copy()
        fixed_large.subtract(_writes(100, 40))
        assert fixed_small == fixed_large  # the checks and look-ups: the same for 10 or 40 rows
        assert set(large) == {"SELECT", "INSERT"}
