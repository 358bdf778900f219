"""The versioned save: a write names the version it read, and loses if another write came first.

`save_versioned` is the one way a versioned row (agency, practitioner, target) changes: it
recomputes the search columns of a renamed row, checks the version with a compare-and-set
UPDATE, replaces the link rows it is given and writes the audit entry from what it wrote,
with no reload. Its statements: for each link list, one SELECT of the codes held; the UPDATE;
for each link list that changes, at most one DELETE and one INSERT; the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tortoise.models import Model

from directory import audit
from directory.auth import Viewer
from directory.bulk import insert_rows
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, says
from directory.search.indexing import NameIndexed

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Link:
    """A table of reference codes hanging off a row: an agency's services, a person's fields."""

    model: type[Model]
    owner: str  # the column naming the row, e.g. "agency_id"
    code: str  # the column holding the code, e.g. "service_id"

    async def codes(self, owner_id: int) -> list[str]:
        rows = await self.model.filter(**{self.owner: owner_id}).values_list(self.code, flat=True)
        return [str(code) for code in rows]

    async def add(self, owner_id: int, codes: Sequence[str]) -> None:
        await self.add_many([(owner_id, codes)])

    async def add_many(self, held: Sequence[tuple[int, Sequence[str]]]) -> None:
        """The codes of each (row, codes), in one statement for any number of rows."""
        await insert_rows(
            self.model,
            [{self.owner: owner_id, self.code: code} for owner_id, codes in held for code in codes],
        )

    async def replace(self, owner_id: int, codes: Sequence[str], had: Sequence[str]) -> None:
        """Make the row's codes `codes` (it holds `had`), touching only those that change."""
        gone = [code for code in had if code not in codes]
        if gone:
            await self.model.filter(**{self.owner: owner_id, f"{self.code}__in": gone}).delete()
        await self.add(owner_id, [code for code in codes if code not in had])


def _no_agency(row: Any) -> int | None:
    return None


@dataclass(frozen=True, slots=True)
class Versioned(Generic[M]):
    """What a versioned save needs to know of one table."""

    entity: str  # as the audit trail and the CONFLICT message name it
    audited: tuple[str, ...]  # the fields the audit trail follows
    private: frozenset[str] = frozenset()  # audited only as "changed", never the value
    links: Mapping[str, Link] = field(default_factory=dict)  # link lists the trail follows too
    agency_of: Callable[[M], int | None] = _no_agency  # whose audit log the entry is in

    def state(self, row: M, links: Mapping[str, Sequence[str]] = {}) -> dict[str, Any]:
        """The audited state of `row` and of the link lists given, private fields masked."""
        state = {name: getattr(row, name) for name in self.audited}
        state |= {name: sorted(codes) for name, codes in links.items()}
        for name in self.private:
            state[name] = "changed" if state[name] else ""
        return state


async def save_versioned(
    viewer: Viewer,
    kind: Versioned[M],
    row: M,
    version: int,
    fields: Mapping[str, Any],
    *,
    action: str,
    at: Moment,
    links: Mapping[str, Sequence[str]] | None = None,
) -> M:
    """Write `fields` and `links` of `row` (as loaded in this transaction) if nobody changed it
    since `version`; CONFLICT otherwise. Returns `row` as written, audited. A save that
    changes nothing writes nothing: the version stays and no audit entry is made."""
    read: int = getattr(row, "version")  # noqa: B009 (a versioned table has the column)
    held = {name: await kind.links[name].codes(row.pk) for name in links or {}}
    changed_links = {
        name: codes for name, codes in (links or {}).items() if sorted(codes) != sorted(held[name])
    }
    if (
        read == version
        and not changed_links
        and all(getattr(row, name) == value for name, value in fields.items())
    ):
        return row
    values = dict(fields)
    if isinstance(row, NameIndexed):
        values |= row.search_columns(values)
    values["version"] = version + 1
    if "updated_at" in row._meta.fields_map:
        values["updated_at"] = at.now
    # `row` was read in this transaction: when its version is not the one named, the UPDATE
    # could not match; when it is, a lost race shows as an UPDATE that matched no row.
    if read != version or not await type(row).filter(pk=row.pk, version=version).update(**values):
        message = says(
            "这条记录刚被别人修改过，请重新读取后再改",
            f"the {kind.entity} was changed by someone else: reload it",
        )
        raise Rejected.one(ErrorCode.CONFLICT, "version", message)
    before = kind.state(row)
    for name, value in values.items():
        setattr(row, name, value)
    after = kind.state(row)
    for name, codes in changed_links.items():
        await kind.links[name].replace(row.pk, codes, held[name])
        before[name], after[name] = sorted(held[name]), sorted(codes)
    diff = audit.changes(before, after)
    await audit.record(viewer, kind.entity, row.pk, action, diff, kind.agency_of(row), at=at)
    return row
