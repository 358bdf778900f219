from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

from directory.matching.store import install


async def one_row_per_agency(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script("DROP TABLE IF EXISTS agency_match_fact;")
    await install(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [("directory", "0014_outbox_index")]

    initial = False

    # The match facts as one row per agency (its staff, and every other count in one JSON
    # object) so that a match joins them once instead of looking up each fact; every migrate
    # refills the rows (`store.fill_missing`).
    operations = [
        ops.RunPython(one_row_per_agency, ops.RunPython.noop),
    ]
