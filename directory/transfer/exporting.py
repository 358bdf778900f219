"""The directory as a sheet with the import's own headers, so that an export imports cleanly."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from directory.agencies.models import Agency, AgencyLicence
from directory.chunking import chunks
from directory.talent.models import Practitioner, PractitionerFieldLink
from directory.targets.models import Statistic
from directory.transfer.agency_rows import links_of
from directory.transfer.files import BOLD, write_table
from directory.transfer.labels import Labels
from directory.transfer.sheets import (
    AGENCIES,
    LICENCES,
    PRACTITIONERS,
    STATISTICS,
    Cell,
    Column,
    Sheet,
)

LIST_SEPARATOR = "、"


def _render(column: Column, value: Any, labels: Labels) -> Any:
    """Codes of the reference lists as their Chinese labels; regions stay codes (names repeat)."""
    if column.cell is Cell.CODES:
        codes = labels.in_order(column.table, value)
        shown = codes if column.table == "region" else [labels.name(column.table, c) for c in codes]
        return LIST_SEPARATOR.join(shown)
    if column.cell is Cell.CODE and value:
        return value if column.table == "region" else labels.name(column.table, value)
    return value


async def agency_records() -> list[dict[str, Any]]:
    """Every agency (the public directory lists all, with their status), by name."""
    agencies = await Agency.all().order_by("name", "id")
    links = await links_of([a.id for a in agencies])
    return [
        {
            "name": a.name,
            "name_en": a.name_en,
            "credit_code": a.credit_code,
            "office_region": a.office_region_id,
            "kinds": links[a.id]["kinds"],
            "services": links[a.id]["services"],
            "fields": links[a.id]["fields"],
            "regions_served": links[a.id]["regions_served"],
            "address": a.address,
            "founded_on": a.founded_on,
            "contact_name": a.contact_name,
            "contact_phone": a.contact_phone,
            "contact_email": a.contact_email,
            "website": a.website,
            "description": a.description,
            "credit_grade": a.credit_grade.value if a.credit_grade else "",
            "credit_score": float(a.credit_score) if a.credit_score is not None else None,
            "credit_graded_on": a.credit_graded_on,
            "abnormal_since": a.abnormal_since,
            "abnormal_reason": a.abnormal_reason,
            "abnormal_removed_on": a.abnormal_removed_on,
        }
        for a in agencies
    ]


_VERIFICATION = {"pending": "待核验", "verified": "已核验", "rejected": "未通过"}


async def licence_records() -> list[dict[str, Any]]:
    """Every licence of every agency, by the agency's name, then kind and number."""
    rows = await AgencyLicence.all().select_related("agency")
    rows.sort(key=lambda m: (m.agency.name, m.agency_id, m.kind_id, m.number))
    return [
        {
            "credit_code": m.agency.credit_code,
            "机构名称": m.agency.name,
            "licence_kind": m.kind_id,
            "licence_number": m.number,
            "issuer": m.issuer,
            "issued_on": m.issued_on,
            "expires_on": m.expires_on,
            "ended_on": m.ended_on,
            "end_reason": m.end_reason,
            "核验状态": _VERIFICATION[m.verification.value],
        }
        for m in rows
    ]


async def practitioner_records() -> list[dict[str, Any]]:
    """The people the public directory lists (not removed), by name."""
    people = await Practitioner.filter(removed_at=None).order_by("name", "id")
    agency_ids = sorted({p.agency_id for p in people if p.agency_id is not None})
    agencies: dict[int, tuple[str, str]] = {}
    for part in chunks(agency_ids):
        for agency_id, code, name in await Agency.filter(id__in=part).values_list(
            "id", "credit_code", "name"
        ):
            agencies[agency_id] = (code, name)
    fields: dict[int, list[str]] = defaultdict(list)
    for part in chunks([p.id for p in people]):
        pairs = await PractitionerFieldLink.filter(practitioner_id__in=part).values_list(
            "practitioner_id", "field_id"
        )
        for person_id, code in pairs:
            fields[person_id].append(code)
    rows = []
    for p in people:
        code, agency_name = agencies.get(p.agency_id or 0, ("", ""))
        rows.append(
            {
                "name": p.name,
                "id_number": p.id_number,
                "agency_credit_code": code,
                "所属机构": agency_name,
                "employer": p.employer,
                "degree": p.degree.value if p.degree else "",
                "major": p.major,
                "languages": p.languages,
                "fields": sorted(fields[p.id]),
                "practising_since": p.practising_since,
                "joined_agency_on": p.joined_agency_on,
                "phone": p.phone,
                "personal_email": p.personal_email,
            }
        )
    return rows


async def statistic_records() -> list[dict[str, Any]]:
    """Every statistic recorded, by kind, region and day."""
    rows = await Statistic.all().order_by("key", "region_id", "as_of")
    return [
        {
            "statistic": s.key,
            "region": s.region_id,
            "as_of": s.as_of,
            "value": s.value,
            "source": s.source,
            "note": s.note,
        }
        for s in rows
    ]


_RECORDS: dict[str, Callable[[], Awaitable[list[dict[str, Any]]]]] = {
    AGENCIES.name: agency_records,
    PRACTITIONERS.name: practitioner_records,
    LICENCES.name: licence_records,
    STATISTICS.name: statistic_records,
}
EXPORTABLE = tuple(_RECORDS)


async def export(sheet: Sheet, path: Path, fmt: str, private: bool) -> int:
    """Write the sheet's records to `path`; the number of records written."""
    labels = await Labels.load()
    records = await _RECORDS[sheet.name]()
    shown = [c for c in sheet.columns if private or not c.private]
    rows = [[_render(c, record[c.key or c.header], labels) for c in shown] for record in records]
    write_table(path, fmt, sheet.title, [c.header for c in shown], rows)
    return len(rows)


async def write_template(sheet: Sheet, path: Path) -> None:
    """An empty sheet to fill in, with a page of instructions and the reference codes."""
    labels = await Labels.load()
    book = openpyxl.Workbook()
    data = book.active
    data.title = sheet.title
    data.append([c.header for c in sheet.columns])
    data.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = BOLD
        data.column_dimensions[letter].width = max(12, 2 * len(column.header) + 2)
        if column.cell is not Cell.DATE:  # typed ID and phone numbers stay text, digit for digit
            data.column_dimensions[letter].number_format = "@"
    notes = book.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for column in sheet.columns:
        notes.append([column.header, column.note])
    notes.append([])
    notes.append(
        [
            "",
            "第一行是列名，请勿修改；从第二行起每行一条。按行号报告问题；"
            "有任何一行出错时整个文件都不导入。",
        ]
    )
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 90
    tables = sorted({c.table for c in sheet.columns if c.table})
    codes = book.create_sheet("代码表")
    codes.append(["类别", "代码", "名称"])
    for table in tables:
        for code, name in labels.names[table].items():
            codes.append([_TABLE_TITLES[table], code, name])
    for letter in ("A", "B", "C"):
        codes.column_dimensions[letter].width = 30
    book.save(path)


_TABLE_TITLES = {
    "region": "行政区划",
    "agency_kind": "机构类型",
    "service": "服务项目",
    "technical_field": "技术领域",
    "qualification_kind": "资格类型",
    "degree": "学历",
    "level": "等级",
    "language": "语言",
    "statistic": "统计项",
    "licence_kind": "执照类型",
    "credit_grade": "信用等级",
}
