"""One schema from the features' queries, with the safety limits every request passes."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from directory.agencies.queries import AgencyQuery
from directory.errors import should_mask_error
from directory.reference.queries import ReferenceQuery
from directory.settings import Settings, get_settings
from directory.talent.queries import PractitionerQuery

_CACHE_SIZE = 256  # distinct documents kept parsed and validated


@strawberry.type
class Query(AgencyQuery, PractitionerQuery, ReferenceQuery):
    node: relay.Node | None = relay.node(description="Any object by its global id.")


def build_schema(settings: Settings) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        extensions=[
            MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            ParserCache(maxsize=_CACHE_SIZE),
            QueryDepthLimiter(max_depth=settings.max_query_depth),
            MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            ValidationCache(maxsize=_CACHE_SIZE),
            MaskErrors(should_mask_error=should_mask_error),
        ],
    )


schema = build_schema(get_settings())
