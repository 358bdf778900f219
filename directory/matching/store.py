"""The per-agency facts that bound a match score, in `agency_match_fact`, refreshed on write.

What an agency's people and profile could at most contribute to a score, counted ahead so
that a match need not load tens of thousands of people to find out: its active staff, how
many of them hold a verified qualification of each kind (valid or not on any day: the bound
holds whatever the date), how many have a background in each field, speak each language, and
the words of its profile. One row per (agency, key); an agency without rows is bounded by
the largest values the score allows, so a missing row can only cost time, never an answer.
The services that change an agency, its people or their qualifications call `refresh` in the
same transaction; a migration and `refresh_all` fill the table for data written in bulk.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery

from directory.agencies.models import Agency
from directory.matching.words import FIELD_WORDS, major_in_field, terms
from directory.reference.data import TECHNICAL_FIELDS
from directory.talent.models import (
    Practitioner,
    PractitionerFieldLink,
    PractitionerStatus,
    Qualification,
)
from directory.verification import Verification

TABLE = "agency_match_fact"
STAFF = "staff"  # active practitioners, not removed


def holders_key(kind: str) -> str:
    return f"kind:{kind}"  # active staff holding a verified qualification of the kind


def experts_key(field: str) -> str:
    return f"field:{field}"  # active staff linked to the field or with a major in it


def speakers_key(language: str) -> str:
    return f"lang:{language}"


def word_key(word: str) -> str:
    return f"word:{word}"  # a word of the description (1)


SETUP = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    agency_id INTEGER NOT NULL REFERENCES agency (id) ON DELETE CASCADE,
    key VARCHAR(120) NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (agency_id, key)
);
"""
_CHUNK = 500  # agencies refreshed per round of statements


def facts_of(
    description: str,
    staff: Sequence[tuple[str, Sequence[str]]],  # (major, languages) of each active person
    kinds: Iterable[Collection[str]],  # verified qualification kinds, one set a person
    fields: Iterable[Collection[str]],  # field links, one set a person (same order as staff)
    field_names: dict[str, str],
) -> dict[str, int]:
    """One agency's facts, from its description and its active people. Pure."""
    found: Counter[str] = Counter({STAFF: len(staff)})
    codes = set(field_names) | set(FIELD_WORDS)
    for (major, languages), held, linked in zip(staff, kinds, fields, strict=True):
        found.update(holders_key(k) for k in set(held))
        found.update(speakers_key(lang) for lang in set(languages))
        found.update(
            experts_key(f)
            for f in codes
            if f in linked or major_in_field(major, f, field_names.get(f, ""))
        )
    found.update(word_key(w) for w in terms(description))
    return dict(found)


async def refresh(
    agency_ids: Iterable[int | None], client: BaseDBAsyncClient | None = None
) -> None:
    """Recompute the facts of these agencies (ids of None are skipped), in the caller's
    transaction when there is one."""
    ids = sorted({pk for pk in agency_ids if pk is not None})
    client = client or connections.get("default")
    names = {code: name for code, name, *_ in TECHNICAL_FIELDS}  # the sync writes these
    for start in range(0, len(ids), _CHUNK):
        await _refresh_chunk(ids[start : start + _CHUNK], names, client)


async def write_new(agencies: Sequence[tuple[int, str]]) -> None:
    """The facts of agencies just created (id, description): nobody works there yet, so
    their description alone decides them; one INSERT."""
    client = connections.get("default")
    names = {code: name for code, name, *_ in TECHNICAL_FIELDS}
    rows = [
        (pk, key, n)
        for pk, description in agencies
        for key, n in sorted(facts_of(description or "", [], [], [], names).items())
    ]
    await _insert(client, rows)


async def refresh_all(client: BaseDBAsyncClient | None = None) -> int:
    """Recompute every agency's facts; the number of agencies."""
    client = client or connections.get("default")
    ids = [int(pk) for (pk,) in await Agency.all().using_db(client).values_list("id")]
    await refresh(ids, client)
    return len(ids)


async def _refresh_chunk(ids: list[int], names: dict[str, str], client: BaseDBAsyncClient) -> None:
    agencies = await Agency.filter(id__in=ids).using_db(client).values_list("id", "description")
    people = Practitioner.filter(
        agency_id__in=ids, removed_at=None, status=PractitionerStatus.ACTIVE
    ).using_db(client)
    staff = await people.values_list("id", "agency_id", "major", "languages")
    in_staff = Subquery(people.values("id"))
    held: dict[int, set[str]] = defaultdict(set)
    quals = Qualification.filter(practitioner_id__in=in_staff, verification=Verification.VERIFIED)
    for pid, kind in await quals.using_db(client).values_list("practitioner_id", "kind_id"):
        held[pid].add(kind)
    linked: dict[int, set[str]] = defaultdict(set)
    links = PractitionerFieldLink.filter(practitioner_id__in=in_staff).using_db(client)
    for pid, field in await links.values_list("practitioner_id", "field_id"):
        linked[pid].add(field)
    staff_of: dict[int, list[Any]] = defaultdict(list)
    for pid, agency_id, major, languages in staff:
        staff_of[agency_id].append((pid, major or "", tuple(languages or ())))
    rows: list[tuple[int, str, int]] = []
    for agency_id, description in agencies:
        mine = staff_of[agency_id]
        facts = facts_of(
            description or "",
            [(major, languages) for _, major, languages in mine],
            [held[pid] for pid, _, _ in mine],
            [linked[pid] for pid, _, _ in mine],
            names,
        )
        rows.extend((agency_id, key, n) for key, n in sorted(facts.items()))
    await _replace(client, ids, rows)


async def _replace(
    client: BaseDBAsyncClient, ids: list[int], rows: list[tuple[int, str, int]]
) -> None:
    if client.capabilities.dialect == "postgres":
        await client.execute_query(f"DELETE FROM {TABLE} WHERE agency_id = ANY($1::int[])", [ids])
    else:
        marks = ", ".join("?" for _ in ids)
        await client.execute_query(f"DELETE FROM {TABLE} WHERE agency_id IN ({marks})", ids)
    await _insert(client, rows)


async def _insert(client: BaseDBAsyncClient, rows: list[tuple[int, str, int]]) -> None:
    if not rows:
        return
    if client.capabilities.dialect == "postgres":
        await client.execute_query(
            f"INSERT INTO {TABLE} (agency_id, key, n) "
            "SELECT * FROM unnest($1::int[], $2::varchar[], $3::int[])",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
        )
        return
    for start in range(0, len(rows), 300):
        part = rows[start : start + 300]
        values = ", ".join("(?, ?, ?)" for _ in part)
        flat = [v for row in part for v in row]
        await client.execute_query(f"INSERT INTO {TABLE} (agency_id, key, n) VALUES {values}", flat)


async def install(client: BaseDBAsyncClient) -> None:
    """The table (migration 0012); `fill_missing` fills it when the models are ready."""
    await client.execute_script(SETUP)


async def fill_missing(client: BaseDBAsyncClient | None = None) -> int:
    """Compute the facts of every agency that has none (written in bulk, or before the table
    existed); run at every migrate. The number of agencies filled."""
    client = client or connections.get("default")
    sql = (
        f"SELECT a.id FROM agency a WHERE NOT EXISTS (SELECT 1 FROM {TABLE} f"
        f" WHERE f.agency_id = a.id AND f.key = '{STAFF}')"
    )
    ids = [int(row["id"]) for row in await client.execute_query_dict(sql)]
    await refresh(ids, client)
    return len(ids)


__all__ = [
    "STAFF",
    "TABLE",
    "facts_of",
    "fill_missing",
    "install",
    "refresh",
    "refresh_all",
    "write_new",
]
