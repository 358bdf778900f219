"""Import a sheet all or nothing, in one transaction, with the services' own rules.

First every row is checked, with nothing written: its cells read, the services' `clean`
functions run on it, and its record looked up to decide whether it is new, changed or
unchanged. Only when no row has a problem are the new and changed rows written through their
services (which check again, write and audit): the new records of a sheet together, a chunk
of rows at a time, the changed ones each in a savepoint; a refusal found only then is
reported against its row and the other rows are still written. A dry run makes the same
calls, but the service of the new records only checks them; any problem, or a dry run, rolls
the whole transaction back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from directory.errors import RECORD_EXISTS, ErrorCode, Problem, Rejected, says
from directory.transfer.cells import Row, values_of
from directory.transfer.files import Table
from directory.transfer.labels import Labels
from directory.transfer.report import ImportReport, Outcome, RowProblem, locate
from directory.transfer.sheets import Sheet
from directory.validation import Checker, known_codes

T = TypeVar("T")


async def checked(check: Checker, step: Awaitable[T]) -> T | None:
    """The step's result; None, with its problems added to `check`, when it was refused.

    A cell that could not be read is reported once: the step saw it empty, and its problem
    with that field (say REQUIRED) is left out."""
    try:
        return await step
    except Rejected as exc:
        unreadable = {p.field for p in check.problems}
        check.problems.extend(p for p in exc.problems if p.field not in unreadable)
        return None


@dataclass(frozen=True, slots=True)
class Bulk:
    """A new record that one call of `create` writes with the others of the sheet."""

    # (values, dry run) -> each record, or its Rejected; a dry run writes none (None each)
    create: Callable[[Sequence[Any], bool], Awaitable[Sequence[object]]]
    value: Any  # the record's checked values, as `create` takes them
    then: Callable[[Any], Awaitable[object]] | None = None  # more writes, given the record


@dataclass(frozen=True, slots=True)
class Plan:
    """What a checked row comes to, and the service call that writes it (none if unchanged):
    on its own (`write`), or with the other new records (`bulk`)."""

    outcome: Outcome
    write: Callable[[], Awaitable[object]] | None = None
    bulk: Bulk | None = None


class RowImporter(Protocol):
    sheet: Sheet

    async def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        """Fetch, in a few queries, the records and agencies that the rows' values name."""

    def key(self, values: dict[str, Any]) -> tuple[str, ...] | None:
        """What identifies the row's record; None when the row does not say."""

    async def plan(self, values: dict[str, Any], check: Checker) -> Plan | None:
        """The row checked by the services' rules: a plan, or None with problems in `check`."""


def rows_of(table: Table, sheet: Sheet) -> tuple[list[Row], list[RowProblem]]:
    """The rows, cells keyed by header; problems of the header row (row 1)."""
    problems: list[RowProblem] = []
    known: dict[int, str] = {}
    seen: set[str] = set()
    for index, header in enumerate(table.headers):
        if not header:
            continue
        column = sheet.column(header)
        if column is None:
            expected = "、".join(c.header for c in sheet.columns)
            message = says(
                f"没有这一列；此表的列为 {expected}",
                f"unknown column; the {sheet.name} sheet has {expected}",
            )
            problems.append(RowProblem(1, header, ErrorCode.INVALID_INPUT, message))
        elif header in seen:
            message = says("这一列出现了两次", "the column is there twice")
            problems.append(RowProblem(1, header, ErrorCode.DUPLICATE, message))
        elif column.key:
            known[index] = header
        seen.add(header)
    for header in sheet.required:
        if header not in seen:
            message = says("缺少这一必需的列", "this column is required")
            problems.append(RowProblem(1, header, ErrorCode.REQUIRED, message))
    rows = [
        Row(number, {h: cells[i] if i < len(cells) else None for i, h in known.items()})
        for number, cells in table.rows
    ]
    return rows, problems


async def import_table(table: Table, importer: RowImporter, dry_run: bool) -> ImportReport:
    sheet = importer.sheet
    rows, header_problems = rows_of(table, sheet)
    report = ImportReport(sheet=sheet, dry_run=dry_run, rows=len(rows))
    report.problems.extend(header_problems)
    if header_problems:
        return report
    async with in_transaction() as transaction:
        labels = await Labels.load()
        with known_codes(labels.known()):
            plans = await _check(rows, importer, labels, report)
            if not report.problems:
                await _write(plans, sheet, report, dry_run)
        report.problems.sort(key=lambda p: (p.row, sheet.position(p.column)))
        if report.problems or dry_run:
            await transaction.rollback()
        else:
            report.committed = True
    return report


async def _check(
    rows: list[Row], importer: RowImporter, labels: Labels, report: ImportReport
) -> list[tuple[int, Plan]]:
    sheet = importer.sheet
    checks = [Checker() for _ in rows]
    values = [values_of(row, sheet, labels, check) for row, check in zip(rows, checks, strict=True)]
    await importer.prepare(values)
    plans: list[tuple[int, Plan]] = []
    first_seen: dict[tuple[str, ...], int] = {}
    for row, check, row_values in zip(rows, checks, values, strict=True):
        key = importer.key(row_values)
        if key is not None and key in first_seen:
            message = says(
                f"与第 {first_seen[key]} 行的{'和'.join(sheet.identity)}相同",
                f"row {first_seen[key]} has the same {' and '.join(sheet.identity)}",
            )
            column = sheet.identity[-1]
            report.problems.append(RowProblem(row.number, column, ErrorCode.DUPLICATE, message))
            continue
        if key is not None:
            first_seen[key] = row.number
        plan = await checked(check, importer.plan(row_values, check))
        report.problems.extend(locate(sheet, row.number, p) for p in check.problems)
        if plan is not None and not check.problems:
            plans.append((row.number, plan))
    return plans


async def _write(
    plans: list[tuple[int, Plan]], sheet: Sheet, report: ImportReport, dry_run: bool
) -> None:
    """The new records of each kind in one call, which a dry run makes too but writes nothing
    in; then each other row, written and (in a dry run) rolled back with the rest."""
    batches: dict[object, list[tuple[int, Outcome, Bulk]]] = defaultdict(list)
    for number, plan in plans:
        if plan.bulk is not None:
            batches[plan.bulk.create].append((number, plan.outcome, plan.bulk))
    for batch in batches.values():
        records = await batch[0][2].create([bulk.value for _, _, bulk in batch], dry_run)
        for (number, outcome, bulk), record in zip(batch, records, strict=True):
            if isinstance(record, Rejected):
                problems = record.problems
            elif bulk.then is not None and not dry_run:
                problems = await _in_savepoint(partial(bulk.then, record))
            else:
                problems = []
            _tally(report, sheet, number, outcome, problems)
    for number, plan in plans:
        if plan.bulk is None:
            problems = await _in_savepoint(plan.write) if plan.write is not None else []
            _tally(report, sheet, number, plan.outcome, problems)


def _tally(
    report: ImportReport, sheet: Sheet, number: int, outcome: Outcome, problems: list[Problem]
) -> None:
    report.problems.extend(locate(sheet, number, p) for p in problems)
    if not problems:
        report.counts[outcome] += 1


async def _in_savepoint(write: Callable[[], Awaitable[object]]) -> list[Problem]:
    """Write one row; a refusal undoes that row alone and comes back as its problems."""
    try:
        async with in_transaction():
            await write()
    except Rejected as exc:
        return exc.problems
    except IntegrityError:  # a unique key taken by a concurrent writer since the check
        return [Problem(ErrorCode.DUPLICATE, "", RECORD_EXISTS)]
    return []
