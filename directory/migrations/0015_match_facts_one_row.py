from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# The table as this migration made it; 0017 replaces it with the layout of arrays.
_SETUP = """
CREATE TABLE IF NOT EXISTS agency_match_facts (
    agency_id INTEGER NOT NULL PRIMARY KEY REFERENCES agency (id) ON DELETE CASCADE,
    staff INTEGER NOT NULL,
    counts {json} NOT NULL
);
"""


async def one_row_per_agency(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    await client.execute_script("DROP TABLE IF EXISTS agency_match_fact;")
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(_SETUP.format(json="JSONB" if postgres else "TEXT"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0014_outbox_index")]

    initial = False

    # The match facts as one row per agency (its staff, and every other count in one JSON
    # object) so that a match joins them once instead of looking up each fact; every migrate
    # refills the rows (`store.fill_missing`).
    operations = [
        ops.RunPython(one_row_per_agency, ops.RunPython.noop),
    ]
