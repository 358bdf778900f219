"""How many statements an agencies import sends: a fixed number a chunk of rows, however many
rows the chunk holds; the dry run makes the checks and look-ups of the import, not its writes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from directory import chunking
from directory.statements import collect_sql
from tests.test_import_export import AGENCY_HEADERS, agency_row, run, write_xlsx

GRADE_HEADERS = [
    "信用等级",
    "信用分",
    "信用评价日期",
    "列入经营异常名录日期",
    "列入经营异常名录原因",
    "移出经营异常名录日期",
]
# A chunk of new agencies, written by create_agencies: the agencies (INSERT), their ids
# (SELECT), their kinds, services, fields and regions served (one INSERT each, every list
# given by some row of `agency_row`), the audit entries (INSERT), their match facts (INSERT).
# A blank grade or listing costs nothing.
WRITES_A_CHUNK = Counter({"INSERT": 7, "SELECT": 1})
# ... and what the dry run sends too: the look-up of the rows' credit codes when they are
# checked, and create_agencies' own check of the codes taken.
CHECKS_A_CHUNK = Counter({"SELECT": 2})


def _sheet(path: Path, first: int, count: int) -> Path:
    rows = [agency_row(n) + [""] * len(GRADE_HEADERS) for n in range(first, first + count)]
    return write_xlsx(path, AGENCY_HEADERS + GRADE_HEADERS, rows)


async def _statements(server, path: Path, dry_run: bool) -> Counter[str]:
    with collect_sql() as statements:
        report = await run(server, "agencies", path, dry_run=dry_run)
    assert report.problems == [] and report.created > 0 and report.committed is not dry_run
    return Counter(s.sql.split()[0].upper() for s in statements)


async def test_an_import_sends_as_many_statements_for_10_rows_as_for_40(server, tmp_path):
    found = {}
    for dry_run in (True, False):
        small = await _statements(server, _sheet(tmp_path / "small.xlsx", 0, 10), dry_run)
        large = await _statements(server, _sheet(tmp_path / "large.xlsx", 100, 40), dry_run)
        assert small == large
        assert set(large) == ({"SELECT"} if dry_run else {"SELECT", "INSERT"})
        found[dry_run] = large
    writes = found[False].copy()
    writes.subtract(found[True])
    assert writes == WRITES_A_CHUNK


async def test_each_chunk_of_rows_adds_its_checks_and_writes(server, tmp_path, monkeypatch):
    for dry_run in (True, False):
        one = await _statements(server, _sheet(tmp_path / "one.xlsx", 0, 40), dry_run)
        monkeypatch.setattr(chunking, "CHUNK", 20)
        two = await _statements(server, _sheet(tmp_path / "two.xlsx", 100, 40), dry_run)
        monkeypatch.undo()
        more = two.copy()
        more.subtract(one)
        assert more == CHECKS_A_CHUNK + (Counter() if dry_run else WRITES_A_CHUNK)
