from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# The facts are derived data: the table is made anew, and the migrate that runs this fills
# every agency's row at its end (`store.fill_missing`).
_TABLE = """
DROP TABLE IF EXISTS agency_match_facts;
CREATE TABLE agency_match_facts (
    agency_id INTEGER NOT NULL PRIMARY KEY REFERENCES agency (id) ON DELETE CASCADE,
    staff INTEGER NOT NULL,
    layout INTEGER NOT NULL,
    holders {ints} NOT NULL,
    experts {ints} NOT NULL,
    listed {ints} NOT NULL,
    counts {json} NOT NULL
);
"""


async def facts_as_arrays(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    script = _TABLE.format(
        ints="INTEGER[]" if postgres else "TEXT", json="JSONB" if postgres else "TEXT"
    )
    await client.execute_script(script)


class Migration(migrations.Migration):
    dependencies = [("directory", "0016_match_agency_cover")]

    initial = False

    # The counts of qualification kinds and fields as integer arrays by position (the layout
    # named in each row), read by the match's bound at a fraction of a JSON key's cost.
    operations = [
        ops.RunPython(facts_as_arrays, ops.RunPython.noop),
    ]
