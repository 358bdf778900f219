"""The static cost of an operation: what multiplies, what counts as a full page, what is free."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse

from directory.cost import operation_cost
from directory.reference import data
from directory.schema import schema
from directory.settings import Settings

QUERIES = Path(__file__).resolve().parents[1] / "directory" / "web" / "queries"


def cost(document: str, variables: dict | None = None, operation: str | None = None) -> int:
    return operation_cost(schema._schema, parse(document), operation, variables)


def test_scalars_are_free_and_each_object_counts_one():
    assert cost("{ viewer { role } }") == 1
    assert cost("{ __typename }") == 0


def test_first_multiplies_what_is_under_it():
    # 7 × (connection, edge, node): the edges are the page `first` counted
    assert cost("{ agencies(first: 7) { edges { node { name } } } }") == 7 * 3
    # with no `first`, the field's default (20)
    assert cost("{ agencies { edges { node { name } } } }") == 20 * 3


def test_a_first_past_the_page_size_counts_one_page():
    # the resolver refuses it before reading a row
    assert cost("{ agencies(first: 100000) { totalCount } }") == 100


def test_a_list_without_first_counts_a_full_page():
    # 3 × (node 1 + practitioners 100 × (1 + qualifications 100 × 1))
    document = (
        "{ agencies(first: 3) { edges { node { practitioners { qualifications { number } } } } } }"
    )
    assert cost(document) == 3 * (1 + 1 * (1 + 1 * (1 + 100 * (1 + 100 * 1))))


def test_a_list_of_reference_items_counts_at_most_the_reference():
    assert cost("{ serviceTypes { code } }") == len(data.SERVICE_TYPES)
    assert cost("{ agencyKinds { code } }") == len(data.AGENCY_KINDS)


def test_variables_count_at_their_value_or_their_default():
    document = "query ($n: Int = 5) { agencies(first: $n) { totalCount } }"
    assert cost(document, {"n": 2}) == 2
    assert cost(document, {}) == 5
    # of no usable value: a full page
    assert cost("query ($n: Int) { agencies(first: $n) { totalCount } }", {}) == 100


def test_aliases_and_fragments_count_every_time_they_are_asked():
    document = """
    fragment People on Agency { practitioners { name } }
    { a: agencies(first: 2) { edges { node { ...People } } }
      b: agencies(first: 2) { edges { node { ... on Agency { ...People } } } } }
    """
    assert cost(document) == 2 * (2 * (1 + 1 * (1 + 1 * (1 + 100))))


def test_introspection_is_free():
    assert cost("{ __schema { types { fields { name type { name } } } } }") == 0


def test_only_the_operation_that_runs_is_counted():
    document = "query A { viewer { role } } query B { agencies(first: 9) { totalCount } }"
    assert cost(document, operation="A") == 1
    assert cost(document, operation="B") == 9


@pytest.mark.parametrize("page", sorted(QUERIES.glob("*.graphql")), ids=lambda p: p.stem)
def test_every_document_of_the_pages_is_within_the_default_limit(page):
    assert cost(page.read_text(encoding="utf-8")) <= Settings().max_query_cost
