"""Every GraphQL document the pages send is valid against schema.graphql, and used."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from directory.web.client import QUERIES

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted(QUERIES.glob("*.graphql"))


def test_the_pages_have_documents() -> None:
    assert DOCUMENTS, f"no documents in {QUERIES}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_is_valid_against_the_schema_file(path: Path) -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    errors = validate(schema, parse(path.read_text(encoding="utf-8")))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_document_is_sent_by_a_page(path: Path) -> None:
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "directory" / "web").rglob("*.py")
    )
    assert f'"{path.stem}"' in code, f"no page sends {path.name}"
