"""The statistics sheet: the bureau's figures by Chinese headers, checked like recordStatistic,
all or nothing, idempotent; its template; and the export that imports back unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from directory.accounts.models import AuditEntry
from directory.clock import Moment
from directory.targets.models import Statistic
from directory.transfer.commands import IMPORTER, IMPORTERS
from directory.transfer.exporting import export, write_template
from directory.transfer.files import read_table
from directory.transfer.importing import import_table
from directory.transfer.report import ImportReport, Outcome
from directory.transfer.sheets import SHEETS
from tests.conftest import Server, table_rows

HEADERS = ["统计项", "地区代码", "统计日期", "数值", "数据来源"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(HEADERS), *(",".join(f'"{c}"' for c in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


async def run(server: Server, path: Path, dry_run: bool = False) -> ImportReport:
    importer = IMPORTERS["statistics"](IMPORTER, Moment.at(server.clock()))
    return await import_table(read_table(path), importer, dry_run)


GOOD = [
    ["商标有效注册量", "巴中市", "2025-12-31", "3,812", "市市场监管局"],
    ["invention_patent_applications", "511900", "2024-12-31", "236", "市科知局"],
    ["发明专利申请量（年度）", "511900", "2025年12月31日", "262", "市科知局"],
    ["知识产权权利人满意度", "511900", "2025-12-31", "83.5%", "问卷调查"],
]


async def test_a_sheet_of_statistics_loads_all_or_nothing_and_again_changes_nothing(
    server, tmp_path
):
    # given a sheet with names or codes, thousands separators, a percentage and a bad row
    bad = [
        ["知识产权权利人满意度", "511900", "2025-06-30", "1.2", ""],
        ["专利数", "519999", "2027-01-01", "很多", ""],
    ]
    sheet = write_csv(tmp_path / "statistics.csv", GOOD + bad)
    before = await table_rows()
    # when it is imported
    report = await run(server, sheet)
    # then every problem is reported against its row and column, in Chinese first, and
    # nothing was written
    found = [(p.row, p.column, p.code.value) for p in report.problems]
    assert found[0] == (6, "数值", "OUT_OF_RANGE")
    assert [f for f in found if f[0] == 7] == [  # one problem per cell
        (7, "统计项", "UNKNOWN_CODE"),
        (7, "地区代码", "UNKNOWN_CODE"),
        (7, "统计日期", "INVALID_DATE"),
        (7, "数值", "INVALID_INPUT"),
    ]
    assert report.problems[0].message.startswith("比例填 0 到 1 之间的数")
    assert not report.committed and await table_rows() == before
    # when the good rows are imported, twice
    sheet = write_csv(tmp_path / "statistics.csv", GOOD)
    first = await run(server, sheet)
    again = await run(server, sheet)
    # then they are recorded once, as the mutation would, and audited once
    assert first.committed and first.counts[Outcome.CREATED] == 4
    assert again.counts[Outcome.UNCHANGED] == 4 and again.counts[Outcome.CREATED] == 0
    rows = await Statistic.all().order_by("key", "as_of").values_list("key", "as_of", "value")
    assert rows == [
        ("invention_patent_applications", date(2024, 12, 31), 236.0),
        ("invention_patent_applications", date(2025, 12, 31), 262.0),
        ("rights_holder_satisfaction", date(2025, 12, 31), 0.835),
        ("valid_trademark_registrations", date(2025, 12, 31), 3812.0),
    ]
    assert await AuditEntry.filter(entity_type="statistic").count() == 4
    # when a figure is corrected in the sheet, that row alone is updated
    fixed = [row[:] for row in GOOD]
    fixed[0][3] = "3820"
    changed = await run(server, write_csv(tmp_path / "fixed.csv", fixed))
    assert (changed.counts[Outcome.UPDATED], changed.counts[Outcome.UNCHANGED]) == (1, 3)
    assert (await Statistic.get(key="valid_trademark_registrations")).value == 3820


async def test_the_template_names_every_column_and_kind_and_the_export_imports_back(
    server, tmp_path
):
    sheet = SHEETS["statistics"]
    await write_template(sheet, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["统计数据", "填写说明", "代码表"]
    assert [c.value for c in book["统计数据"][1]] == [
        "统计项",
        "地区代码",
        "统计日期",
        "数值",
        "数据来源",
        "备注",
    ]
    codes = [(r[0].value, r[1].value, r[2].value) for r in book["代码表"].iter_rows(min_row=2)]
    assert ("统计项", "pilot_enterprises", "市级以上知识产权试点示范和优势培育企业") in codes
    book.close()
    # given recorded statistics, the export imports back with nothing to change
    await run(server, write_csv(tmp_path / "s.csv", GOOD))
    assert await export(sheet, tmp_path / "out.xlsx", "xlsx", private=False) == 4
    back = await run(server, tmp_path / "out.xlsx")
    assert back.committed and back.counts[Outcome.UNCHANGED] == 4
