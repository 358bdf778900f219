from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# The table as it first stood, one row per (agency, key); 0015 replaces it.
_SETUP = """
CREATE TABLE IF NOT EXISTS agency_match_fact (
    agency_id INTEGER NOT NULL REFERENCES agency (id) ON DELETE CASCADE,
    key VARCHAR(120) NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (agency_id, key)
);
"""


async def install_match_facts(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(_SETUP)


class Migration(migrations.Migration):
    dependencies = [('directory', '0011_response_generation')]

    initial = False

    # The per-agency facts that bound a match score, filled for the agencies already there.
    operations = [
        ops.RunPython(install_match_facts, ops.RunPython.noop),
    ]
