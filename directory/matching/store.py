"""The per-agency facts that bound a match score, in `agency_match_facts`, refreshed on write.

What an agency's people and profile could at most contribute to a score, counted ahead so that
a match need not load tens of thousands of people to find out: its active staff, how many of
them hold a verified qualification of each kind (valid or not on any day: the bound holds
whatever the date), how many have a background in each field, speak each language, and the
words of its profile. One row per agency, read by a match with one join instead of a look-up
per fact: the staff as a column; the holders of each qualification kind, the experts in each
field, the fields listed and, for each kind a service rule asks of staff, its holders among
each field's experts, as integer arrays by position in `LAYOUT_KINDS`, `LAYOUT_FIELDS` and
`STAFF_KINDS` (int[] on PostgreSQL, a JSON list on SQLite), since a typed element costs a
fraction of a JSON key to read, and a narrow row less to scan; every other count
(languages, words, a kind or field the layout lacks) in one JSON object keyed as below. The row
says which layout it was written with: a row of another layout is read as missing. An agency
without a row is bounded by the largest values the score allows, so a missing row can only cost
time, never an answer. The services that change an agency, its people or their qualifications
call `refresh` in the same transaction; every migrate fills the rows missing after bulk writes
or of another layout.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from directory.db import ids_in, json_strings
from directory.matching.words import FIELD_WORDS, major_in_field, terms
from directory.reference.data import QUALIFICATION_KINDS, TECHNICAL_FIELDS
from directory.reference.service_rules import service_rules
from directory.talent.models import PractitionerStatus
from directory.verification import Verification

TABLE = "agency_match_facts"
STAFF = "staff"  # active practitioners, not removed: a column of its own


def holders_key(kind: str) -> str:
    return f"kind:{kind}"  # active staff holding a verified qualification of the kind


def experts_key(field: str) -> str:
    return f"field:{field}"  # active staff linked to the field or with a major in it


def speakers_key(language: str) -> str:
    return f"lang:{language}"


def word_key(word: str) -> str:
    return f"word:{word}"  # a word of the description (1)


def listed_key(field: str) -> str:
    return f"lists:{field}"  # the agency lists the field among its own (1)


def qualified_experts_key(kind: str, field: str) -> str:
    # the holders of the kind among the field's experts, counted for `STAFF_KINDS` only
    return f"kind:{kind}:field:{field}"


# The positions of the arrays: the reference data's kinds and fields, in the order it lists
# them. A code added there changes LAYOUT, and the next migrate rewrites every row.
LAYOUT_KINDS: tuple[str, ...] = tuple(k[0] for k in QUALIFICATION_KINDS)
LAYOUT_FIELDS: tuple[str, ...] = tuple(f[0] for f in TECHNICAL_FIELDS)
# The holders of a kind among a field's experts, for the kinds a service rule asks of staff
# (the only kinds a bound counts them for): kind by kind, each kind's fields in order.
STAFF_KINDS: tuple[str, ...] = tuple(
    k for k in LAYOUT_KINDS if any(k in r.staff_kinds for r in service_rules().values())
)
LAYOUT_KIND_FIELDS: tuple[str, ...] = tuple(f"{k} {f}" for k in STAFF_KINDS for f in LAYOUT_FIELDS)
# The counts a row holds: a count added (as the holders among experts were, in version 2)
# makes every row written before it another layout's, since it would read as a zero.
_COUNTS_VERSION = 2
LAYOUT = (
    zlib.crc32(
        f"{','.join(LAYOUT_KINDS)};{','.join(LAYOUT_FIELDS)};{','.join(STAFF_KINDS)};"
        f"{_COUNTS_VERSION}".encode()
    )
    & 0x7FFFFFFF
)


_PAIRED = frozenset(STAFF_KINDS)


def _pair_key(kind_field: str) -> str:
    return qualified_experts_key(*kind_field.split(" "))


# Each array column: the codes at its positions, and the key of the count it holds for a code.
_ARRAYS: tuple[tuple[str, tuple[str, ...], Callable[[str], str]], ...] = (
    ("holders", LAYOUT_KINDS, holders_key),
    ("experts", LAYOUT_FIELDS, experts_key),
    ("listed", LAYOUT_FIELDS, listed_key),
    ("holder_experts", LAYOUT_KIND_FIELDS, _pair_key),
)
_SLOTS: dict[str, tuple[int, int]] = {
    key(code): (column, n)
    for column, (_, codes, key) in enumerate(_ARRAYS)
    for n, code in enumerate(codes)
}


def slot(key: str) -> tuple[str, int] | None:
    """The array column and the position (from 0) that hold the count `key`, None when the
    count is kept in the JSON object."""
    place = _SLOTS.get(key)
    return None if place is None else (_ARRAYS[place[0]][0], place[1])


_CHUNK = 2000  # agencies refreshed per round of statements


def _names() -> dict[str, str]:
    return {code: name for code, name, *_ in TECHNICAL_FIELDS}  # the sync writes these


@lru_cache(maxsize=4096)  # majors repeat across thousands of people
def _fields_of_major(major: str, names: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(f for f, name in names if major_in_field(major, f, name))


def facts_of(
    description: str,
    staff: Sequence[tuple[str, Sequence[str]]],  # (major, languages) of each active person
    kinds: Iterable[Collection[str]],  # verified qualification kinds, one set a person
    fields: Iterable[Collection[str]],  # field links, one set a person (same order as staff)
    field_names: Mapping[str, str],
    listed: Collection[str] = (),  # the agency's own fields
) -> dict[str, int]:
    """One agency's facts, from its description, its fields and its active people. Pure."""
    found: Counter[str] = Counter({STAFF: len(staff)})
    codes = tuple(sorted((f, field_names.get(f, "")) for f in set(field_names) | set(FIELD_WORDS)))
    for (major, languages), held, linked in zip(staff, kinds, fields, strict=True):
        found.update(holders_key(k) for k in set(held))
        found.update(speakers_key(lang) for lang in set(languages))
        background = set(_fields_of_major(major, codes)) | {f for f, _ in codes if f in linked}
        found.update(experts_key(f) for f in background)
        found.update(qualified_experts_key(k, f) for k in set(held) & _PAIRED for f in background)
    found.update(word_key(w) for w in terms(description))
    found.update(listed_key(f) for f in set(listed))
    return dict(found)


# agency id, staff, layout, each array (the counts by position), the other counts as JSON
_Row = tuple[int, int, int, list[int], list[int], list[int], list[int], str]


def _row(agency_id: int, facts: Mapping[str, int]) -> _Row:
    arrays = [[0] * len(codes) for _, codes, _ in _ARRAYS]
    counts = {}
    for key, n in sorted(facts.items()):
        place = _SLOTS.get(key)
        if place is not None:
            arrays[place[0]][place[1]] = n
        elif key != STAFF:
            counts[key] = n
    holders, experts, listed, holder_experts = arrays
    staff = facts.get(STAFF, 0)
    return (
        agency_id,
        staff,
        LAYOUT,
        holders,
        experts,
        listed,
        holder_experts,
        json.dumps(counts, ensure_ascii=False),
    )


def _facts_of_row(row: Mapping[str, object]) -> dict[str, int]:
    """`facts_of`'s counts from a stored row of this layout (the zeros left out)."""
    counts = row["counts"]
    found = {
        STAFF: int(str(row["staff"])),
        **(counts if isinstance(counts, dict) else json.loads(str(counts))),
    }
    for name, codes, key in _ARRAYS:
        values = row[name]
        ns = values if isinstance(values, list) else json.loads(str(values))
        found.update((key(code), int(n)) for code, n in zip(codes, ns, strict=True) if n)
    return found


async def stored(agency_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The facts kept for these agencies, as `facts_of` gives them (for checks and tests)."""
    ids = sorted(set(agency_ids))
    client = connections.get("default")
    where, values = ids_in(client, "agency_id", ids)
    rows = await client.execute_query_dict(f"SELECT * FROM {TABLE} WHERE {where}", values)
    return {int(r["agency_id"]): _facts_of_row(r) for r in rows if r["layout"] == LAYOUT}


async def refresh(
    agency_ids: Iterable[int | None], client: BaseDBAsyncClient | None = None
) -> None:
    """Recompute the facts of these agencies (ids of None are skipped), in the caller's
    transaction when there is one."""
    ids = sorted({pk for pk in agency_ids if pk is not None})
    client = client or connections.get("default")
    for start in range(0, len(ids), _CHUNK):
        await _refresh_chunk(ids[start : start + _CHUNK], _names(), client)


async def write_new(agencies: Sequence[tuple[int, str, Collection[str]]]) -> None:
    """The facts of agencies just created (id, description, fields): nobody works there yet,
    so their profile alone decides them; one INSERT."""
    names = _names()
    rows = [
        _row(pk, facts_of(text or "", [], [], [], names, listed)) for pk, text, listed in agencies
    ]
    await _insert(connections.get("default"), rows)


async def refresh_all(client: BaseDBAsyncClient | None = None) -> int:
    """Recompute every agency's facts; the number of agencies."""
    client = client or connections.get("default")
    ids = [int(r["id"]) for r in await client.execute_query_dict("SELECT id FROM agency")]
    await refresh(ids, client)
    return len(ids)


async def _refresh_chunk(ids: list[int], names: dict[str, str], client: BaseDBAsyncClient) -> None:
    """Four statements for the whole chunk: the agencies, their fields, their active people
    with their majors and languages, and each person's verified kinds and field links."""
    where, values = ids_in(client, "id", ids)
    agencies = await client.execute_query_dict(
        f"SELECT id, description FROM agency WHERE {where}", values
    )
    where, values = ids_in(client, "agency_id", ids)
    listed: dict[int, list[str]] = defaultdict(list)
    for r in await client.execute_query_dict(
        f"SELECT agency_id, field_id FROM agency_field_link WHERE {where}", values
    ):
        listed[int(r["agency_id"])].append(r["field_id"])
    where, values = ids_in(client, "p.agency_id", ids)
    active = PractitionerStatus.ACTIVE.value
    staff = (
        "SELECT p.id, p.agency_id, p.major, p.languages FROM practitioner p"
        f" WHERE {where} AND p.removed_at IS NULL AND p.status = '{active}'"
    )
    people = await client.execute_query_dict(staff + " ORDER BY p.id", values)
    linked = await client.execute_query_dict(
        f"SELECT q.practitioner_id AS pid, 'kind' AS what, q.kind_id AS code"
        f" FROM qualification q JOIN ({staff}) p ON p.id = q.practitioner_id"
        f" WHERE q.verification = '{Verification.VERIFIED.value}'"
        f" UNION ALL SELECT l.practitioner_id, 'field', l.field_id"
        f" FROM practitioner_field_link l JOIN ({staff}) p ON p.id = l.practitioner_id",
        values if client.capabilities.dialect == "postgres" else values + values,  # ? twice
    )
    held: dict[int, set[str]] = defaultdict(set)
    fields: dict[int, set[str]] = defaultdict(set)
    for r in linked:
        (held if r["what"] == "kind" else fields)[int(r["pid"])].add(r["code"])
    staff_of: dict[int, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
    for r in people:
        person = (int(r["id"]), r["major"] or "", json_strings(r["languages"]))
        staff_of[int(r["agency_id"])].append(person)
    rows = []
    for a in agencies:
        mine = staff_of[int(a["id"])]
        facts = facts_of(
            a["description"] or "",
            [(major, languages) for _, major, languages in mine],
            [held[pid] for pid, _, _ in mine],
            [fields[pid] for pid, _, _ in mine],
            names,
            listed[int(a["id"])],
        )
        rows.append(_row(int(a["id"]), facts))
    await _replace(client, ids, rows)


async def _replace(client: BaseDBAsyncClient, ids: list[int], rows: list[_Row]) -> None:
    where, values = ids_in(client, "agency_id", ids)
    await client.execute_query(f"DELETE FROM {TABLE} WHERE {where}", values)
    await _insert(client, rows)


_COLUMNS = f"agency_id, staff, layout, {', '.join(name for name, _, _ in _ARRAYS)}, counts"
_SQLITE_ROWS = 110  # rows an INSERT carries: 8 parameters each, within SQLite's oldest limit


async def _insert(client: BaseDBAsyncClient, rows: list[_Row]) -> None:
    if not rows:
        return
    if client.capabilities.dialect == "postgres":
        # One array parameter a column; an array column goes as the text of each array
        # (unnest would flatten an array of arrays).
        columns = list(zip(*rows, strict=True))
        arrays: list[list[Any]] = [list(c) for c in columns[:3]]
        arrays += [["{" + ",".join(map(str, a)) + "}" for a in c] for c in columns[3:-1]]
        arrays.append(list(columns[-1]))
        await client.execute_query(
            f"INSERT INTO {TABLE} ({_COLUMNS})"
            " SELECT a, s, l, h::int[], e::int[], d::int[], x::int[], c"
            " FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[],"
            " $7::text[], $8::jsonb[]) AS u (a, s, l, h, e, d, x, c)",
            arrays,
        )
        return
    for start in range(0, len(rows), _SQLITE_ROWS):
        part = rows[start : start + _SQLITE_ROWS]
        values = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?)" for _ in part)
        flat = [v if not isinstance(v, list) else json.dumps(v) for row in part for v in row]
        await client.execute_query(f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES {values}", flat)


async def fill_missing(client: BaseDBAsyncClient | None = None) -> int:
    """Compute the facts of every agency that has none of this layout (written in bulk,
    before the table existed, or by a version whose reference data differed); run at every
    migrate. The number of agencies filled."""
    client = client or connections.get("default")
    sql = (
        f"SELECT a.id FROM agency a WHERE NOT EXISTS"
        f" (SELECT 1 FROM {TABLE} f WHERE f.agency_id = a.id AND f.layout = {LAYOUT})"
    )
    ids = [int(row["id"]) for row in await client.execute_query_dict(sql)]
    await refresh(ids, client)
    return len(ids)


__all__ = [
    "STAFF",
    "TABLE",
    "facts_of",
    "fill_missing",
    "refresh",
    "refresh_all",
    "stored",
    "write_new",
]
