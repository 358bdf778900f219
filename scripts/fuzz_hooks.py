"""Schemathesis hooks of scripts/fuzz: a strategy for the Decimal scalar and the check.

The check is ours rather than schemathesis' `not_a_server_error`, which counts every
UNAUTHENTICATED and FORBIDDEN as a server failure (it deliberately leaves authentication codes
out of the client ones), so an anonymous pass could never pass. Ours fails on what is a server
failure here: an HTTP 5xx, the masked "Unexpected error." of an unhandled exception, and a
GraphQL error without a typed `extensions.code` or with INTERNAL_SERVER_ERROR.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

MASKED = "Unexpected error."  # directory.errors.MASKED

# Training hours and the like: mostly plain decimals, some of them huge, negative or with many
# places; strings, as the API sends them (Strawberry reads a Decimal from a string literal).
schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(allow_nan=False, allow_infinity=False).map(str).map(nodes.String),
)

# Ids: mostly small database ids, which the demo data set has, so that queries and mutations
# reach real agencies, people and targets; sometimes any text, which must be INVALID_ID.
schemathesis.graphql.scalar(
    "ID",
    st.one_of(st.integers(min_value=1, max_value=80).map(str), st.text(max_size=30)).map(
        nodes.String
    ),
)


@schemathesis.check
def typed_errors_only(ctx: Any, response: Any, case: Any) -> None:
    """Data or typed errors, never a server failure."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    if MASKED in response.text:
        raise AssertionError(f"the response says {MASKED!r}: {response.text[:500]}")
    try:
        payload = response.json()
    except ValueError as exc:
        raise AssertionError(f"not JSON: {response.text[:500]}") from exc
    for error in (payload.get("errors") or []) if isinstance(payload, dict) else []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        if not isinstance(code, str) or code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"an error without a typed code: {error}")
