"""The bureau's sheets: every row checked like a mutation, all or nothing, idempotent, round trip."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from directory.accounts.models import AuditEntry, Role
from directory.agencies.models import Agency
from directory.clock import Moment
from directory.talent.models import Degree, Practitioner, Qualification
from directory.transfer.commands import IMPORTER, IMPORTERS
from directory.transfer.exporting import export
from directory.transfer.files import read_table
from directory.transfer.importing import import_table
from directory.transfer.report import ImportReport
from directory.transfer.sheets import SHEETS
from tests.conftest import Server, table_rows
from tests.factories import (
    credit_code,
    id_number,
    make_agency,
    make_practitioner,
    make_qualification,
)

AGENCY_HEADERS = [
    "机构名称",
    "统一社会信用代码",
    "办公地区代码",
    "机构类型",
    "服务项目",
    "技术领域",
    "服务地区代码",
    "成立日期",
    "联系电话",
    "电子邮箱",
]
COUNTIES = ["511902", "511903", "511921", "南江县", "平昌县"]


def write_xlsx(path: Path, headers: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def agency_row(n: int) -> list[Any]:
    return [
        f"巴中导入测试知识产权代理有限公司{n:04d}",
        credit_code(),
        COUNTIES[n % len(COUNTIES)],
        "patent_agency、商标代理机构" if n % 2 else "patent_agency",
        "invention_patent, 商标注册代理; patent_search",
        "食品饮料、biomedicine" if n % 3 else "",
        "511900；510100" if n % 5 == 0 else "",
        date(2010 + n % 10, 1 + n % 12, 1 + n % 28) if n % 2 else f"2015-0{1 + n % 9}-15",
        f"139{n:08d}",
        f"office{n}@example.com",
    ]


async def run(server: Server, what: str, path: Path, dry_run: bool = False) -> ImportReport:
    importer = IMPORTERS[what](IMPORTER, Moment.at(server.clock()))
    return await import_table(read_table(path), importer, dry_run)


def problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code.value) for p in report.problems]


async def test_a_2000_row_sheet_with_3_bad_rows_loads_nothing_and_fixed_loads_once(
    server, tmp_path
):
    # given a listed agency and a sheet of 2,000 new ones, three of them bad
    await make_agency(name="早已在册的代理所")
    rows = [agency_row(n) for n in range(2000)]
    good = {100: rows[100][1], 1000: rows[1000][2], 1998: rows[1998][8]}
    rows[100][1] = rows[100][1][:-1] + ("0" if rows[100][1][-1] != "0" else "1")
    rows[1000][2] = "999999"
    rows[1998][8] = "12345"
    sheet = write_xlsx(tmp_path / "agencies.xlsx", AGENCY_HEADERS, rows)
    before = await table_rows()

    # when it is imported
    report = await run(server, "agencies", sheet)

    # then exactly the three rows are reported, as the spreadsheet numbers them, and nothing
    # was written
    assert problems(report) == [
        (102, "统一社会信用代码", "INVALID_CREDIT_CODE"),
        (1002, "办公地区代码", "UNKNOWN_CODE"),
        (2000, "联系电话", "INVALID_PHONE"),
    ]
    assert not report.committed
    assert await table_rows() == before

    # when the rows are fixed and the sheet imported twice
    rows[100][1], rows[1000][2], rows[1998][8] = good[100], good[1000], good[1998]
    write_xlsx(sheet, AGENCY_HEADERS, rows)
    first = await run(server, "agencies", sheet)
    audited = await AuditEntry.all().count()
    second = await run(server, "agencies", sheet)

    # then it loaded once: 2,000 agencies, and the second run changed nothing
    assert (first.created, first.updated, first.unchanged, first.problems) == (2000, 0, 0, [])
    assert (second.created, second.updated, second.unchanged, second.problems) == (0, 0, 2000, [])
    assert await Agency.filter(name__startswith="巴中导入测试").count() == 2000
    assert await AuditEntry.all().count() == audited == 2000
    entry = await AuditEntry.filter(action="create").first()
    assert entry is not None and (entry.role, entry.token_id) == (Role.BUREAU, None)


async def test_a_changed_row_updates_the_agency_at_its_current_version(server, tmp_path):
    # given two listed agencies, one edited twice since it was registered
    edited = await make_agency(name="巴中甲代理所", version=3, description="旧简介")
    same = await make_agency(name="巴中乙代理所", kinds=("trademark_agency",), services=())
    audited = await AuditEntry.all().count()
    services = "发明专利申请代理、专利检索与分析"
    sheet = write_xlsx(
        tmp_path / "agencies.xlsx",
        ["统一社会信用代码", "机构名称", "机构类型", "服务项目", "简介"],
        [
            [edited.credit_code, "巴中甲代理所", "专利代理机构", services, "擅长食品专利"],
            [same.credit_code.lower(), "巴中乙代理所", "trademark_agency", "", ""],
        ],
    )

    # when the sheet is imported
    report = await run(server, "agencies", sheet)

    # then the changed agency is updated from its current version, with an audit entry, and the
    # other is left alone
    assert (report.created, report.updated, report.unchanged, report.problems) == (0, 1, 1, [])
    fresh = await Agency.get(id=edited.id)
    assert (fresh.version, fresh.description) == (4, "擅长食品专利")
    assert (await Agency.get(id=same.id)).version == 1
    entries = await AuditEntry.all()
    assert len(entries) == audited + 1
    assert (entries[0].entity_id, entries[0].action) == (str(edited.id), "update")
    assert entries[0].changes["services"] == [
        ["invention_patent"],
        ["invention_patent", "patent_search"],
    ]


async def test_every_problem_of_every_row_is_reported_against_its_column(server, tmp_path):
    # given a sheet with a repeated credit code, a row without kinds, and a row with a bad date
    # and a bad e-mail address
    code = credit_code()
    bad_date, bad_email = "2015-13-01", "not-an-address"
    sheet = write_xlsx(
        tmp_path / "agencies.xlsx",
        AGENCY_HEADERS,
        [
            ["甲所", code, "511902", "patent_agency", "", "", "", None, "", ""],
            ["乙所", code, "511902", "patent_agency", "", "", "", None, "", ""],
            [None, None, None, None, None, None, None, None, None, None],  # blank rows are skipped
            ["丙所", credit_code(), "511902", "", "", "", "", None, "", ""],
            ["丁所", credit_code(), "巴州区", "律所", "", "", "", bad_date, "", bad_email],
        ],
    )
    before = await table_rows()

    report = await run(server, "agencies", sheet)

    assert problems(report) == [
        (3, "统一社会信用代码", "DUPLICATE"),
        (5, "机构类型", "REQUIRED"),
        (6, "机构类型", "UNKNOWN_CODE"),
        (6, "成立日期", "INVALID_DATE"),
        (6, "电子邮箱", "INVALID_EMAIL"),
    ]
    # each message Chinese first, naming the column by its header, the English beside
    assert report.problems[0].message == (
        "与第 2 行的统一社会信用代码相同（row 2 has the same 统一社会信用代码）"
    )
    assert report.problems[1].message == "机构类型为必填项（kinds is required）"
    assert report.problems[2].message == (
        "机构类型没有代码为 '律所' 的项目（no kinds has the code '律所'）"
    )
    assert await table_rows() == before


async def test_header_problems_are_reported_on_row_1(server, tmp_path):
    sheet = write_xlsx(
        tmp_path / "agencies.xlsx", ["机构名称", "传真", "机构名称"], [["甲所", "", ""]]
    )

    report = await run(server, "agencies", sheet)

    assert problems(report) == [
        (1, "传真", "INVALID_INPUT"),
        (1, "机构名称", "DUPLICATE"),
        (1, "统一社会信用代码", "REQUIRED"),
    ]
    assert await Agency.all().count() == 0


async def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(server, tmp_path):
    listed = await make_agency(name="巴中甲代理所")
    sheet = write_xlsx(tmp_path / "agencies.xlsx", AGENCY_HEADERS, [agency_row(1), agency_row(2)])
    write_xlsx(
        sheet,
        ["统一社会信用代码", "机构名称"],
        [[listed.credit_code, "巴中甲代理所（新名）"], [credit_code(), "新所"]],
    )
    before = await table_rows()

    report = await run(server, "agencies", sheet, dry_run=True)

    # the new row lacks its office region and kinds: a dry run finds what the services refuse
    assert problems(report) == [(3, "办公地区代码", "REQUIRED"), (3, "机构类型", "REQUIRED")]
    write_xlsx(
        sheet, ["统一社会信用代码", "机构名称"], [[listed.credit_code, "巴中甲代理所（新名）"]]
    )
    report = await run(server, "agencies", sheet, dry_run=True)
    assert (report.created, report.updated, report.unchanged, report.problems) == (0, 1, 0, [])
    assert report.lines()[-1] == (
        "agencies: 试导入 1 行：新增 0，更新 1，未变 0；未写入任何数据"
        "（dry run of 1 row: 0 created, 1 updated, 0 unchanged; nothing was written）"
    )
    assert await table_rows() == before


PRACTITIONER_HEADERS = [
    "姓名",
    "身份证号",
    "所属机构统一社会信用代码",
    "学历",
    "语言",
    "技术领域",
    "执业起始日期",
    "手机号码",
    "个人邮箱",
]


async def test_practitioners_load_once_by_id_number_after_a_bad_one_is_fixed(server, tmp_path):
    # given a listed agency and a sheet of its five people, one with a mistyped ID number
    # and one with a degree the directory does not know
    agency = await make_agency(name="巴中甲代理所")
    numbers = [id_number() for _ in range(5)]
    good = numbers[2]
    numbers[2] = good[:-1] + ("1" if good[-1] != "1" else "2")
    rows = [
        [
            f"测试人{i}",
            numbers[i],
            agency.credit_code,
            "硕士" if i else "bachelor",
            "中文、en",
            "食品饮料",
            date(2015, 3, 1),
            f"1390000000{i}",
            f"p{i}@example.com",
        ]
        for i in range(5)
    ]
    rows[3][3] = "高中"
    sheet = write_xlsx(tmp_path / "people.xlsx", PRACTITIONER_HEADERS, rows)
    before = await table_rows()

    report = await run(server, "practitioners", sheet)

    assert problems(report) == [(4, "身份证号", "INVALID_ID_NUMBER"), (5, "学历", "INVALID_INPUT")]
    assert await table_rows() == before

    # when the ID number and the degree are fixed, the sheet loads, once
    rows[2][1], rows[3][3] = good, "博士"
    write_xlsx(sheet, PRACTITIONER_HEADERS, rows)
    first = await run(server, "practitioners", sheet)
    second = await run(server, "practitioners", sheet)
    assert (first.created, first.problems) == (5, [])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    person = await Practitioner.get(id_number=rows[1][1])
    assert (person.agency_id, person.name, person.degree) == (agency.id, "测试人1", Degree.MASTER)
    assert (person.languages, person.phone, person.practising_since) == (
        ["zh", "en"],
        "+8613900000001",
        date(2015, 3, 1),
    )


async def test_a_person_entered_without_an_id_number_is_matched_by_name(server, tmp_path):
    # given a person an agency entered without an ID number
    agency = await make_agency(name="巴中甲代理所")
    entered = await make_practitioner(agency, name="王芳", id_number="")
    sheet = write_xlsx(
        tmp_path / "people.xlsx",
        ["姓名", "身份证号", "所属机构统一社会信用代码"],
        [["王芳", id_number(), agency.credit_code]],
    )

    report = await run(server, "practitioners", sheet)

    # then the bureau's row completes that person rather than listing her twice
    assert (report.created, report.updated) == (0, 1)
    assert await Practitioner.all().count() == 1
    assert (await Practitioner.get(id=entered.id)).id_number == sheet_cell(sheet, 2, 2)


def sheet_cell(path: Path, row: int, column: int) -> Any:
    book = openpyxl.load_workbook(path)
    try:
        return book.active.cell(row, column).value
    finally:
        book.close()


QUALIFICATION_HEADERS = ["身份证号", "姓名", "资格类型", "证书编号", "发证日期", "有效期至"]


async def test_qualifications_report_a_repeated_certificate_and_load_once(server, tmp_path):
    # given three listed people, one holding a certificate already
    agency = await make_agency(name="巴中甲代理所")
    a, b, c = [await make_practitioner(agency) for _ in range(3)]
    a.internship_started_on, a.internship_ended_on = date(2018, 9, 1), date(2019, 9, 30)
    await a.save()  # the year of internship a practice filing needs
    await make_qualification(c, "patent_attorney_qualification", number="ZG-0009")
    rows: list[list[Any]] = [
        [a.id_number, a.name, "专利代理师资格证", "ZG-0001", date(2019, 5, 1), None],
        [a.id_number, a.name, "patent_practice_filing", "BA-0001", "2020-01-15", None],
        [b.id_number, b.name, "专利代理师资格证", "ZG-0001", date(2019, 5, 1), None],
        [b.id_number, b.name, "专利代理师资格证", "ZG-0009", date(2019, 5, 1), None],
        [id_number(), "无此人", "知识产权师", "ZS-0100", "2021-06-01", "2020-06-01"],
        [b.id_number, b.name, "知识产权师", "ZS-0001", "2022-02-01", None],
    ]
    sheet = write_xlsx(tmp_path / "qualifications.xlsx", QUALIFICATION_HEADERS, rows)
    before = await table_rows()

    report = await run(server, "qualifications", sheet)

    assert problems(report) == [
        (4, "证书编号", "DUPLICATE"),
        (5, "证书编号", "DUPLICATE"),
        (6, "身份证号", "NOT_FOUND"),
        (6, "有效期至", "INVALID_DATE"),
    ]
    assert report.problems[0].message == (
        "与第 2 行的资格类型和证书编号相同（row 2 has the same 资格类型 and 证书编号）"
    )
    assert report.problems[3].message.startswith("有效期至")
    assert await table_rows() == before

    # when the bad rows are taken out, the rest loads, once
    del rows[2:5]
    write_xlsx(sheet, QUALIFICATION_HEADERS, rows)
    first = await run(server, "qualifications", sheet)
    second = await run(server, "qualifications", sheet)
    assert (first.created, first.problems) == (3, [])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    held = await Qualification.filter(practitioner_id=a.id).order_by("kind_id")
    assert [(q.kind_id, q.number, q.issued_on) for q in held] == [
        ("patent_attorney_qualification", "ZG-0001", date(2019, 5, 1)),
        ("patent_practice_filing", "BA-0001", date(2020, 1, 15)),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
async def test_a_csv_sheet_imports_with_or_without_a_bom(server, tmp_path, encoding):
    # given a .csv as Excel saves it: UTF-8 with a BOM, plain UTF-8, or the Chinese code page
    rows = [agency_row(1), agency_row(2)]
    lines = [",".join(AGENCY_HEADERS)]
    lines += [",".join(f'"{c.isoformat() if isinstance(c, date) else c}"' for c in r) for r in rows]
    sheet = tmp_path / "agencies.csv"
    sheet.write_bytes("\r\n".join(lines).encode(encoding))

    report = await run(server, "agencies", sheet)

    assert (report.created, report.problems) == (2, [])
    assert sorted(await Agency.all().values_list("name", flat=True)) == [rows[0][0], rows[1][0]]


async def _listed_directory() -> None:
    agency = await make_agency(
        name="巴中甲代理所",
        name_en="Bazhong A IP",
        fields=("food_beverage", "biomedicine"),
        regions_served=("511900", "510100"),
        services=("invention_patent", "patent_search"),
        founded_on=date(2012, 8, 8),
        contact_phone="+868275212345",
        website="https://a.example",
        description='=HYPERLINK("https://evil.example")',  # text, never a formula
    )
    await make_agency(name="巴中乙代理所", kinds=("trademark_agency", "ip_law_firm"))
    await make_practitioner(
        agency,
        name="张三",
        phone="+8613900000001",
        fields=("biomedicine",),
        degree=Degree.DOCTOR,
        languages=["zh", "en"],
    )
    await make_practitioner(agency, name="李四", phone="")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_exported_agencies_import_back_changing_nothing(server, tmp_path, fmt):
    # given a directory exported as the bureau would
    await _listed_directory()
    path = tmp_path / f"agencies.{fmt}"
    assert await export(SHEETS["agencies"], path, fmt, private=False) == 2
    before = await table_rows()

    # when the export is imported into the same directory
    report = await run(server, "agencies", path)

    # then nothing changes
    assert (report.created, report.updated, report.unchanged, report.problems) == (0, 0, 2, [])
    assert await table_rows() == before
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        first = {h.value: c for h, c in zip(book.active[1], book.active[3], strict=True)}
        book.close()
        assert first["机构名称"].value == "巴中甲代理所"
        assert first["办公地区代码"].value == "511902"
        assert first["服务项目"].value == "发明专利申请代理、专利检索与分析"
        assert first["成立日期"].value.date() == date(2012, 8, 8)
        description = first["简介"]
        assert (description.value, description.data_type) == (
            '=HYPERLINK("https://evil.example")',
            "s",
        )
    else:
        assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")


async def test_only_a_private_export_has_phone_and_id_columns_and_it_imports_back(server, tmp_path):
    await _listed_directory()
    public, private = tmp_path / "public.xlsx", tmp_path / "private.xlsx"

    assert await export(SHEETS["practitioners"], public, "xlsx", private=False) == 2
    assert await export(SHEETS["practitioners"], private, "xlsx", private=True) == 2

    public_headers = read_table(public).headers
    private_headers = read_table(private).headers
    assert public_headers == [
        "姓名",
        "所属机构统一社会信用代码",
        "所属机构",
        "工作单位",
        "学历",
        "专业",
        "语言",
        "技术领域",
        "执业起始日期",
        "入职日期",
    ]
    assert set(private_headers) - set(public_headers) == {"身份证号", "手机号码", "个人邮箱"}
    before = await table_rows()
    report = await run(server, "practitioners", private)
    assert (report.created, report.updated, report.unchanged, report.problems) == (0, 0, 2, [])
    assert await table_rows() == before


def _ipdir(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "directory.cli", *args],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_ipdir_import_loads_a_filled_in_template_all_or_nothing(server, tmp_path):
    # given the template the command writes, filled in with two agencies, one with a bad code
    url = server.settings.database_url
    done = _ipdir(
        "export", "--template", "agencies", "--output", "t.xlsx", database_url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    headers = [c.value for c in book.active[1]]
    assert headers[:4] == ["机构名称", "英文名称", "统一社会信用代码", "办公地区代码"]
    assert book.sheetnames == ["机构", "填写说明", "代码表"]
    rows = [
        ["巴中甲代理所", "", credit_code(), "511902", "专利代理机构"],
        ["巴中乙代理所", "", "91511900MA00000000", "511902", "专利代理机构"],
    ]
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    book.close()

    # when it is imported, it is refused with a report and exit status 1
    done = _ipdir("import", "agencies", "t.xlsx", database_url=url, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "row\tcolumn\tcode\tmessage",
        "3\t统一社会信用代码\tINVALID_CREDIT_CODE\t不是有效的统一社会信用代码：须为 18 位，"
        "末位为校验码（not a valid unified social credit code (18 characters with a check "
        "character)）",
    ]
    assert lines[2:] == [
        "agencies: 2 行中 1 行有问题，未导入任何数据（problems in 1 of 2 rows; nothing was imported）"
    ]
    assert await Agency.all().count() == 0

    # when the bad row is taken out, it loads
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    book.active.delete_rows(3)
    book.save(tmp_path / "t.xlsx")
    book.close()
    done = _ipdir("import", "agencies", "t.xlsx", database_url=url, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (
        0,
        "agencies: 1 行：新增 1，更新 0，未变 0（1 row: 1 created, 0 updated, 0 unchanged）\n",
    )
    assert await Agency.all().values_list("name", flat=True) == ["巴中甲代理所"]
