from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

from directory.matching.narrowing import AGENCY_COVER_INDEX


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
