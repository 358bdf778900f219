from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops


async def holder_experts(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    kind, empty = ("INTEGER[]", "'{}'") if postgres else ("TEXT", "'[]'")
    # Every row is of the layout before this column (its counts read as missing), and the
    # migrate that runs this rewrites them all at its end (`store.fill_missing`).
    await client.execute_script(
        f"ALTER TABLE agency_match_facts ADD COLUMN holder_experts {kind} NOT NULL DEFAULT {empty};"
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0017_match_facts_arrays")]

    initial = False

    # The holders of each kind a service rule asks of staff among the experts of each field,
    # by position (`store.LAYOUT_KIND_FIELDS`), for a tighter bound of the field's value.
    operations = [
        ops.RunPython(holder_experts, ops.RunPython.noop),
    ]
