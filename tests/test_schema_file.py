"""schema.graphql at the repository root is the exported schema of the code."""

from __future__ import annotations

from pathlib import Path

from directory.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_schema_file_matches_the_code():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed.strip() == schema.as_str().strip(), (
        "schema.graphql is stale: run `strawberry export-schema directory.schema:schema "
        "--output schema.graphql`"
    )
