from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops



# Every column of `agency` the match's bound statement reads (`matching.narrowing`, a.*); a
# test holds the statement to them. Reading another needs a migration that rebuilds the index.
AGENCY_COVER_INDEX = (
    "CREATE INDEX IF NOT EXISTS agency_match_cover ON agency (status, id) INCLUDE"
    " (office_region_id, verified, credit_grade, abnormal_since, abnormal_removed_on);"
)


async def cover_the_bound(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(AGENCY_COVER_INDEX)


class Migration(migrations.Migration):
    dependencies = [("directory", "0015_match_facts_one_row")]

    initial = False

    # The columns of `agency` the match's bound statement reads, in one index (PostgreSQL), so
    # that it reads them from the index instead of the whole rows of every candidate.
    operations = [
        ops.RunPython(cover_the_bound, ops.RunPython.noop),
    ]
