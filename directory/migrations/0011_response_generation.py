from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

from directory.responsecache.generation import install


async def install_generation(apps: Any, schema_editor: Any) -> None:
    await install(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('directory', '0010_internship_assessments')]

    initial = False

    # The response cache's generation: a counter every committed write moves on, by triggers.
    operations = [
        ops.RunPython(install_generation, ops.RunPython.noop),
    ]
