"""Every reference name survives an export and its import: a list cell is split at its
separators, never inside a label's brackets ("企业知识产权合规管理咨询（贯标，GB/T 29490-2023）")."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from tortoise.models import Model

from directory.agencies.models import (
    AgencyFieldLink,
    AgencyKindLink,
    AgencyRegionServed,
    AgencyServiceLink,
)
from directory.reference.models import AgencyKind, Region, ServiceType, TechnicalField
from directory.talent.models import PractitionerFieldLink
from directory.transfer.agency_rows import links_of
from directory.transfer.cells import split
from directory.transfer.exporting import export
from directory.transfer.files import read_table
from directory.transfer.labels import Labels
from directory.transfer.sheets import SHEETS
from tests.conftest import table_rows
from tests.factories import make_agency, make_practitioner
from tests.test_import_export import run

_LIMIT = 50  # codes in one list, as the services allow


def _groups(codes: Sequence[str], count: int) -> list[tuple[str, ...]]:
    """`codes` dealt out over `count` lists, every code in one of them."""
    return [tuple(codes[i::count]) for i in range(count)]


async def _every_code(model: type[Model]) -> list[str]:
    codes = await model.all().values_list(model._meta.pk_attr, flat=True)
    return sorted(str(code) for code in codes)


def test_a_list_cell_splits_outside_brackets_only():
    cell = "企业知识产权合规管理咨询（贯标，GB/T 29490-2023）、商标代理机构; a (b, c), [d；e]\n【f、g】"
    assert split(cell) == [
        "企业知识产权合规管理咨询（贯标，GB/T 29490-2023）",
        "商标代理机构",
        "a (b, c)",
        "[d；e]",
        "【f、g】",
    ]
    assert split("发明专利（贯标, 2023)、商标") == ["发明专利（贯标, 2023)", "商标"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_every_reference_name_is_exported_whole_and_imports_back(server, tmp_path, fmt):
    # given agencies that between them hold every kind, service and field and serve every
    # region, and a person in every field
    kinds, services, fields, regions = [
        await _every_code(m) for m in (AgencyKind, ServiceType, TechnicalField, Region)
    ]
    count = max(1, *(-(-len(codes) // _LIMIT) for codes in (kinds, services, fields, regions)))
    agencies = [
        await make_agency(kinds=k, services=s, fields=f, regions_served=r)
        for k, s, f, r in zip(
            _groups(kinds, count),
            _groups(services, count),
            _groups(fields, count),
            _groups(regions, count),
            strict=True,
        )
    ]
    person = await make_practitioner(agencies[0], fields=tuple(fields), phone="+8613900000001")
    held = await links_of([a.id for a in agencies])
    labels = await Labels.load()

    # when both sheets are exported
    agency_sheet, people_sheet = tmp_path / f"agencies.{fmt}", tmp_path / f"people.{fmt}"
    assert await export(SHEETS["agencies"], agency_sheet, fmt, private=True) == len(agencies)
    assert await export(SHEETS["practitioners"], people_sheet, fmt, private=True) == 1

    # then each list cell splits into the labels (regions: the codes) of what the row holds
    table = read_table(agency_sheet)
    by_code = {row[table.headers.index("统一社会信用代码")]: row for _number, row in table.rows}
    columns = {"机构类型": "kinds", "服务项目": "services", "技术领域": "fields"}
    tables = {"kinds": "agency_kind", "services": "service", "fields": "technical_field"}
    for agency in agencies:
        row = by_code[agency.credit_code]
        for header, name in columns.items():
            shown = split(row[table.headers.index(header)])
            assert sorted(shown) == sorted(
                labels.name(tables[name], c) for c in held[agency.id][name]
            )
        served = split(row[table.headers.index("服务地区代码")])
        assert sorted(served) == held[agency.id]["regions_served"]

    # when they are imported back into the same directory
    before = await table_rows()
    report = await run(server, "agencies", agency_sheet)
    people = await run(server, "practitioners", people_sheet)

    # then every row is unchanged: each cell named exactly the codes held
    assert (report.unchanged, report.updated, report.problems) == (len(agencies), 0, [])
    assert (people.unchanged, people.updated, people.problems) == (1, 0, [])
    assert await table_rows() == before

    # and when the lists are emptied and the sheets imported again, they come back whole
    ids = [a.id for a in agencies]
    for link in (AgencyKindLink, AgencyServiceLink, AgencyFieldLink, AgencyRegionServed):
        await link.filter(agency_id__in=ids).delete()
    await PractitionerFieldLink.filter(practitioner_id=person.id).delete()
    report = await run(server, "agencies", agency_sheet)
    people = await run(server, "practitioners", people_sheet)
    assert (report.updated, report.problems) == (len(agencies), [])
    assert (people.updated, people.problems) == (1, [])
    assert await links_of(ids) == held
    assert (
        sorted(
            await PractitionerFieldLink.filter(practitioner_id=person.id).values_list(
                "field_id", flat=True
            )
        )
        == fields
    )
