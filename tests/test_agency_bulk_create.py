"""create_agencies: many new agencies in a few statements, each as create_agency writes it,
and each row refused on its own (a taken credit code, a unique key lost to another writer)."""

from __future__ import annotations

from directory.accounts.models import AuditEntry, Role
from directory.agencies import services
from directory.agencies.changes import AgencyChanges
from directory.agencies.models import Agency
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import RECORD_EXISTS, ErrorCode, Rejected
from directory.search.readings import agency_readings
from directory.transfer.agency_rows import links_of
from tests.conftest import table_rows
from tests.factories import credit_code, make_agency

BUREAU = Viewer(role=Role.BUREAU)


def _changes(name: str, code: str, **more: object) -> AgencyChanges:
    values: dict[str, object] = {
        "name": name,
        "name_en": f"{name} IP",
        "credit_code": code,
        "office_region": "511902",
        "kinds": ("patent_agency",),
        "services": ("invention_patent", "patent_search"),
    }
    return AgencyChanges(**(values | more))  # type: ignore[arg-type]


async def _new(at: Moment, *changes: AgencyChanges) -> list[services.NewAgency]:
    return [await services.check_new(c, at) for c in changes]


def _codes(results: list[Agency | Rejected | None]) -> list[str]:
    """What became of each row; "created" for a row a dry run would create too."""
    return [r.problems[0].code.value if isinstance(r, Rejected) else "created" for r in results]


async def test_new_agencies_are_written_as_create_agency_writes_one(server):
    # given one agency created alone, and four more to create together
    at = Moment.at(server.clock())
    alone = await services.create_agency(BUREAU, _changes("巴中单独代理所", credit_code()), at)
    new = await _new(
        at,
        _changes("巴中甲代理所", credit_code(), fields=("biomedicine",)),
        _changes("巴中乙代理所", credit_code(), regions_served=("511900", "510100")),
        _changes("重慶丙代理所", credit_code(), kinds=("patent_agency", "trademark_agency")),
        _changes("巴中丁代理所", credit_code()),
    )

    # when they are created
    results = await services.create_agencies(BUREAU, new, at)

    # then each is listed with its links, search columns and audit entry, like the one alone
    assert _codes(results) == ["created"] * 4
    created = [r for r in results if isinstance(r, Agency)]
    listed = {a.id: a for a in await Agency.filter(id__in=[a.id for a in created])}
    links = await links_of([alone.id, *listed])
    for agency, n in zip(created, new, strict=True):
        row = listed[agency.id]
        assert (row.name, row.credit_code, row.version) == (n.fields["name"], agency.credit_code, 1)
        readings = agency_readings(row.name, row.name_en)
        assert (row.search_name, row.search_pinyin, row.search_initials) == (
            readings.name,
            readings.pinyin,
            readings.initials,
        )
        assert {k: v for k, v in links[agency.id].items() if v} == {
            k: sorted(v) for k, v in n.links.items() if v
        }
    entries = {e.entity_id: e for e in await AuditEntry.filter(action="create")}
    assert set(entries) == {str(a.id) for a in [alone, *created]}
    first = entries[str(created[3].id)].changes
    only = entries[str(alone.id)].changes
    assert set(first) == set(only)
    assert first["kinds"] == only["kinds"] == [None, ["patent_agency"]]
    assert first["name"] == [None, "巴中丁代理所"]
    assert entries[str(created[3].id)].agency_id == created[3].id


async def test_a_taken_or_repeated_credit_code_refuses_that_row_alone(server):
    # given a listed agency
    at = Moment.at(server.clock())
    listed = await make_agency()
    code = credit_code()
    new = await _new(
        at,
        _changes("巴中甲代理所", code),
        _changes("巴中乙代理所", listed.credit_code),
        _changes("巴中丙代理所", credit_code()),
        _changes("巴中丁代理所", code),
    )
    before = await table_rows()

    # when a dry run and then the creation are made
    dry = await services.create_agencies(BUREAU, new, at, dry_run=True)
    assert await table_rows() == before
    assert [r for r in dry if not isinstance(r, Rejected)] == [None, None]
    results = await services.create_agencies(BUREAU, new, at)

    # then both refuse the second and fourth rows, by their credit code, and write the others
    for found in (dry, results):
        assert _codes(found) == ["created", "DUPLICATE", "created", "DUPLICATE"]
        assert [r.problems[0].field for r in found if isinstance(r, Rejected)] == [
            "creditCode",
            "creditCode",
        ]
    names = await Agency.filter(name__startswith="巴中").values_list("name", flat=True)
    assert sorted(names) == sorted(["巴中甲代理所", "巴中丙代理所", listed.name])


async def test_a_unique_key_lost_to_another_writer_refuses_that_row_alone(server, monkeypatch):
    # given a listed agency, and a look-up that misses its credit code (as when another writer
    # commits it just after the look-up)
    at = Moment.at(server.clock())
    listed = await make_agency()
    new = await _new(
        at,
        _changes("巴中甲代理所", credit_code(), fields=("biomedicine",)),
        _changes("巴中乙代理所", listed.credit_code, fields=("biomedicine",)),
        _changes("巴中丙代理所", credit_code()),
    )
    audited = await AuditEntry.all().count()

    async def nothing_taken(codes: object) -> set[str]:
        return set()

    monkeypatch.setattr(services, "_codes_taken", nothing_taken)

    # when they are created
    results = await services.create_agencies(BUREAU, new, at)

    # then the row at fault is refused and nothing of it is written; the others are listed
    assert _codes(results) == ["created", "DUPLICATE", "created"]
    refused = results[1]
    assert isinstance(refused, Rejected)
    assert (refused.problems[0].code, refused.problems[0].message) == (
        ErrorCode.DUPLICATE,
        RECORD_EXISTS,
    )
    created = [r for r in results if isinstance(r, Agency)]
    links = await links_of([a.id for a in created])
    assert [links[a.id]["fields"] for a in created] == [["biomedicine"], []]
    assert await Agency.filter(credit_code=listed.credit_code).count() == 1
    assert await AuditEntry.all().count() == audited + 2
