from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

from directory.matching.store import install


async def install_match_facts(apps: Any, schema_editor: Any) -> None:
    await install(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('directory', '0011_response_generation')]

    initial = False

    # The per-agency facts that bound a match score, filled for the agencies already there.
    operations = [
        ops.RunPython(install_match_facts, ops.RunPython.noop),
    ]
