"""`ipdir import` and `ipdir export`: the database opened for one run, the bureau acting."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from tortoise import Tortoise

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.clock import Moment
from directory.db import tortoise_config
from directory.migrate import migrate
from directory.settings import Settings
from directory.transfer.agency_rows import AgencyRows
from directory.transfer.exporting import export, write_template
from directory.transfer.files import read_table
from directory.transfer.importing import RowImporter, import_table
from directory.transfer.licence_rows import LicenceRows
from directory.transfer.report import ImportReport
from directory.transfer.sheets import (
    AGENCIES,
    LICENCES,
    PRACTITIONERS,
    QUALIFICATIONS,
    SHEETS,
    STATISTICS,
)
from directory.transfer.statistic_rows import StatisticRows
from directory.transfer.talent_rows import PractitionerRows, QualificationRows

# The import acts as the bureau; with no token, its audit entries show it came from here.
IMPORTER = Viewer(role=Role.BUREAU)

IMPORTERS: dict[str, Callable[[Viewer, Moment], RowImporter]] = {
    AGENCIES.name: AgencyRows,
    PRACTITIONERS.name: PractitionerRows,
    QUALIFICATIONS.name: QualificationRows,
    LICENCES.name: LicenceRows,
    STATISTICS.name: StatisticRows,
}


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[None]:
    await migrate(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        yield
    finally:
        await Tortoise.close_connections()


@contextmanager
def _few_collections() -> Iterator[None]:
    """A sheet's rows, their checked values and their models are many objects that live until
    the end: the collector's default, a pass every 700 new objects, spends some 15 % of a
    10,000-row import on them. The objects of start-up are frozen out of its passes, and
    the youngest generation made larger, for the import only; the peak memory is the same."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_YOUNG_OBJECTS, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_YOUNG_OBJECTS = 50_000  # new objects between two passes of the collector, during an import


async def import_file(
    settings: Settings, what: str, path: Path, dry_run: bool, at: Moment
) -> ImportReport:
    """SheetError when the file cannot be read; otherwise the report."""
    with _few_collections():
        table = read_table(path)  # before touching the database: a typo'd path changes nothing
        async with _database(settings):
            return await import_table(table, IMPORTERS[what](IMPORTER, at), dry_run)


async def export_file(
    settings: Settings, what: str, path: Path, fmt: str, private: bool, template: bool
) -> int:
    """The number of records written (0 for a template)."""
    async with _database(settings):
        if template:
            await write_template(SHEETS[what], path)
            return 0
        return await export(SHEETS[what], path, fmt, private)
