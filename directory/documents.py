"""The checks every operation passes before it runs, in one schema extension.

A document is parsed (within the token limit) and validated (with the depth, alias and
introspection rules) once per text and kept; what depends on the variables, the arguments'
lengths and the operation's cost, is measured per request. One extension rather than one per
check: Strawberry builds and enters a context manager for each hook of each extension on
every request, which cost more than the checks themselves for a small query.

The kept documents are keyed by their text (whose hash Python keeps), not by the parsed
document: a document node hashes by walking its whole tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

from directory.arguments import refuse_long_arguments
from directory.cost import refuse_costly
from directory.settings import Settings

DOCUMENTS = 256  # distinct documents kept parsed and validated


def document_checks(settings: Settings) -> type[SchemaExtension]:
    """The extension for `settings`' limits, its rule classes and cache built once."""
    max_tokens = settings.max_query_tokens
    max_cost = settings.max_query_cost
    limits: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    if not settings.introspection_enabled:
        limits.append(NoSchemaIntrospectionCustomRule)
    extra = tuple(limits)

    @lru_cache(maxsize=DOCUMENTS)
    def checked(
        schema: GraphQLSchema, query: str, rules: tuple[type[ASTValidationRule], ...]
    ) -> tuple[DocumentNode, list[GraphQLError]]:
        """The parsed document and its validation errors; a GraphQLError if it does not parse
        (not kept: Strawberry parses it again and answers the error its own way)."""
        document = parse(query, max_tokens=max_tokens)
        return document, validate_document(schema, document, rules + extra)

    class DocumentChecks(SchemaExtension):
        errors: list[GraphQLError] | None = None

        def on_parse(self) -> Iterator[None]:
            ctx = self.execution_context
            ctx.parse_options["max_tokens"] = max_tokens
            if ctx.query and ctx.graphql_document is None:
                try:
                    found = checked(ctx.schema._schema, ctx.query, ctx.validation_rules)
                except GraphQLError:
                    pass
                else:
                    ctx.graphql_document, self.errors = found
            yield

        def on_validate(self) -> Iterator[None]:
            ctx = self.execution_context
            if ctx.pre_execution_errors is None and self.errors is not None:
                ctx.pre_execution_errors = self.errors
            yield

        def on_execute(self) -> Iterator[None]:
            refuse_long_arguments(self.execution_context)
            refuse_costly(self.execution_context, max_cost)
            yield

    return DocumentChecks
