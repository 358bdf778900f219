"""The licences sheet and the agencies sheet's credit and abnormal-list columns: checked by the
mutations' services, all or nothing, and an export imports back changing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from directory.agencies.models import Agency, AgencyLicence, CreditGrade
from directory.transfer.exporting import export, write_template
from directory.transfer.sheets import SHEETS
from directory.verification import Verification
from tests.conftest import table_rows
from tests.factories import make_agency, make_licence
from tests.test_import_export import problems, run, write_xlsx

LICENCE_HEADERS = [
    "统一社会信用代码",
    "执照类型",
    "执照编号",
    "发证日期",
    "有效期至",
    "终止日期",
    "终止原因",
]


async def _graded_directory() -> tuple[Agency, Agency]:
    graded = await make_agency(
        name="巴中甲代理所",
        kinds=("patent_agency", "trademark_agency"),
        credit_grade=CreditGrade.A_PLUS,
        credit_score=Decimal("96.5"),
        credit_graded_on=date(2026, 6, 30),
    )
    listed = await make_agency(
        name="巴中乙代理所",
        abnormal_since=date(2026, 4, 1),
        abnormal_reason="未按时报送年度报告",
        abnormal_removed_on=date(2026, 5, 10),
    )
    await make_licence(graded, number="51001")
    await make_licence(
        graded, "trademark_agency_filing", number="TM-1", expires_on=date(2028, 1, 1)
    )
    await make_licence(listed, number="51002", ended_on=date(2026, 3, 1), end_reason="主动注销")
    return graded, listed


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_exported_agencies_and_licences_import_back_changing_nothing(server, tmp_path, fmt):
    # given agencies with grades, listings and licences, exported as the bureau would
    await _graded_directory()
    agencies, licences = tmp_path / f"agencies.{fmt}", tmp_path / f"licences.{fmt}"
    assert await export(SHEETS["agencies"], agencies, fmt, private=False) == 2
    assert await export(SHEETS["licences"], licences, fmt, private=False) == 3
    before = await table_rows()
    # when both are imported into the same directory
    first = await run(server, "agencies", agencies)
    second = await run(server, "licences", licences)
    # then nothing changes
    assert (first.unchanged, first.problems) == (2, [])
    assert (second.unchanged, second.problems) == (3, [])
    assert await table_rows() == before
    if fmt == "xlsx":
        book = openpyxl.load_workbook(agencies)
        rows = {
            r[0].value: {h.value: c.value for h, c in zip(book.active[1], r, strict=True)}
            for r in book.active.iter_rows(min_row=2)
        }
        book.close()
        assert rows["巴中甲代理所"]["信用等级"] == "A+"
        assert rows["巴中甲代理所"]["信用分"] == 96.5
        assert rows["巴中乙代理所"]["列入经营异常名录原因"] == "未按时报送年度报告"


async def test_a_licences_sheet_loads_verified_licences_all_or_nothing(server, tmp_path):
    # given two agencies and a sheet with three good rows and four bad ones
    one = await make_agency()
    two = await make_agency()
    good = [
        [one.credit_code, "专利代理机构执业许可", "51100", "2020-03-01", None, None, None],
        [one.credit_code, "trademark_agency_filing", "TM-9", "2025-02-01", None, None, None],
        [
            two.credit_code,
            "律师事务所执业许可证",
            "31510000",
            "2018-01-01",
            None,
            "2026-01-01",
            "注销",
        ],
    ]
    bad = [
        [two.credit_code, "专利代理师执业备案", "X-1", "2020-01-01", None, None, None],
        ["91511902MA00000000", "专利代理机构执业许可", "51101", None, None, None, None],
        [two.credit_code, "专利代理机构执业许可", "51102", "2020-01-01", "2019-01-01", None, None],
        [two.credit_code, "资产评估机构备案", "PG-1", "2020-01-01", None, "2021-01-01", None],
    ]
    path = write_xlsx(tmp_path / "licences.xlsx", LICENCE_HEADERS, good + bad)
    before = await table_rows()
    # when it is imported
    report = await run(server, "licences", path)
    # then every bad row is reported against its column and nothing is written
    assert problems(report) == [
        (5, "执照类型", "UNKNOWN_CODE"),
        (6, "统一社会信用代码", "NOT_FOUND"),
        (7, "有效期至", "INVALID_DATE"),
        (8, "终止原因", "REQUIRED"),
    ]
    assert await table_rows() == before
    # when the good rows alone are imported
    report = await run(
        server, "licences", write_xlsx(tmp_path / "good.xlsx", LICENCE_HEADERS, good)
    )
    # then they are recorded, verified by the bureau's import, the filing's expiry worked out
    assert (report.created, report.problems) == (3, [])
    filing = await AgencyLicence.get(number="TM-9")
    assert (filing.verification, filing.expires_on) == (Verification.VERIFIED, date(2028, 2, 1))
    ended = await AgencyLicence.get(number="31510000")
    assert (ended.ended_on, ended.end_reason, ended.version) == (date(2026, 1, 1), "注销", 2)
    # and a second run changes nothing
    again = await run(
        server, "licences", write_xlsx(tmp_path / "again.xlsx", LICENCE_HEADERS, good)
    )
    assert (again.unchanged, again.problems) == (3, [])


async def test_the_agencies_sheet_records_a_grade_and_a_listing_like_the_mutations(
    server, tmp_path
):
    agency = await make_agency()
    headers = [
        "统一社会信用代码",
        "信用等级",
        "信用分",
        "信用评价日期",
        "列入经营异常名录日期",
        "列入经营异常名录原因",
    ]
    bad = [[agency.credit_code, "E", 80, "2026-06-30", "2026-04-01", None]]
    before = await table_rows()
    report = await run(server, "agencies", write_xlsx(tmp_path / "bad.xlsx", headers, bad))
    assert problems(report) == [
        (2, "信用等级", "INVALID_INPUT"),
        (2, "列入经营异常名录原因", "REQUIRED"),
    ]
    assert await table_rows() == before
    good = [[agency.credit_code, "b", 78.5, "2026-06-30", "2026-04-01", "通过登记的住所无法联系"]]
    report = await run(server, "agencies", write_xlsx(tmp_path / "good.xlsx", headers, good))
    assert (report.updated, report.problems) == (1, [])
    stored = await Agency.get(id=agency.id)
    assert (stored.credit_grade, stored.credit_score) == (CreditGrade.B, Decimal("78.5"))
    assert (stored.abnormal_since, stored.version) == (date(2026, 4, 1), 3)


async def test_the_licences_template_explains_its_columns(server, tmp_path: Path):
    path = tmp_path / "licences.xlsx"
    await write_template(SHEETS["licences"], path)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["机构执照与备案"][1]][:3] == [
        "统一社会信用代码",
        "机构名称",
        "执照类型",
    ]
    kinds = {row[1].value for row in book["代码表"].iter_rows(min_row=2)}
    book.close()
    assert {"patent_agency_licence", "trademark_agency_filing", "law_firm_licence"} <= kinds
    assert "patent_practice_filing" not in kinds
