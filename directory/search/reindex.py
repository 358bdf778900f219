"""Recomputing the stored readings of every name, for a migration that changes how they read.

A migration that changes `readings` (a new column, a new folding rule) ends with
`RunPython(reindex_names)`, so that `ipdir migrate` gives rows stored before it the readings
that new writes compute.
"""

from __future__ import annotations

from typing import Any

from directory.search.readings import Readings, agency_readings, person_readings

_BATCH = 500  # rows per UPDATE
_COLUMNS = ("search_name", "search_pinyin", "search_initials")


async def reindex_names(apps: Any, schema_editor: Any) -> None:
    """Every agency's and practitioner's readings, recomputed from its names."""
    client = schema_editor.client
    await _reindex(
        apps.get_model("directory", "Agency"),
        client,
        ("name", "name_en"),
        lambda row: agency_readings(row.name, row.name_en),
    )
    await _reindex(
        apps.get_model("directory", "Practitioner"),
        client,
        ("name",),
        lambda row: person_readings(row.name),
    )


async def _reindex(model: Any, client: Any, names: tuple[str, ...], read: Any) -> None:
    rows = await model.all().using_db(client).only("id", *names)
    for row in rows:
        found: Readings = read(row)
        row.search_name, row.search_pinyin, row.search_initials = (
            found.name,
            found.pinyin,
            found.initials,
        )
    if rows:
        await model.bulk_update(rows, list(_COLUMNS), batch_size=_BATCH, using_db=client)
