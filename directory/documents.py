"""The checks every operation passes before it runs: `DocumentLimits`, and its schema extension.

A document is parsed (within the token limit) and validated (with the depth, alias and
introspection rules) once per text and kept; what depends on the variables, the arguments'
lengths and the operation's cost, is measured per request. One extension rather than one per
check: Strawberry builds and enters a context manager for each hook of each extension on
every request, which cost more than the checks themselves for a small query. The reads
answered from SQL (directory/compiled/) pass the same checks, through the same object,
before Strawberry's pipeline starts.

The kept documents are keyed by their text (whose hash Python keeps), not by the parsed
document: a document node hashes by walking its whole tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult

from directory.arguments import refuse_long_arguments
from directory.cost import refuse_costly
from directory.settings import Settings

DOCUMENTS = 256  # distinct documents kept parsed and validated
# The rules Strawberry validates with when no extension changes them (ExecutionContext's).
STANDARD_RULES: tuple[type[ASTValidationRule], ...] = tuple(specified_rules)


class DocumentLimits:
    """`settings`' limits on documents, their rule classes and kept documents built once."""

    def __init__(self, settings: Settings) -> None:
        self.max_tokens = settings.max_query_tokens
        self.max_cost = settings.max_query_cost
        limits: list[type[ASTValidationRule]] = [
            *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        ]
        if not settings.introspection_enabled:
            limits.append(NoSchemaIntrospectionCustomRule)
        self.extra = tuple(limits)
        self.checked = lru_cache(maxsize=DOCUMENTS)(self._check)

    def _check(
        self, schema: GraphQLSchema, query: str, rules: tuple[type[ASTValidationRule], ...]
    ) -> tuple[DocumentNode, list[GraphQLError]]:
        """The parsed document and its validation errors; a GraphQLError if it does not parse
        (not kept: Strawberry parses it again and answers the error its own way)."""
        document = parse(query, max_tokens=self.max_tokens)
        return document, validate_document(schema, document, rules + self.extra)

    def valid(self, schema: GraphQLSchema, query: str) -> DocumentNode | None:
        """The document of `query` if it parses and passes the standard rules and ours."""
        try:
            document, errors = self.checked(schema, query, STANDARD_RULES)
        except GraphQLError:
            return None
        return None if errors else document

    def refusal(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: Any,
    ) -> GraphQLExecutionResult | ExecutionResult | None:
        """The answer to an operation whose arguments are too long or that costs too much."""
        return refuse_long_arguments(schema, query, document, variables) or refuse_costly(
            schema, document, operation_name, variables, self.max_cost
        )

    def extension(self) -> type[SchemaExtension]:
        """The schema extension applying these limits to every operation Strawberry runs."""
        limits = self

        class DocumentChecks(SchemaExtension):
            errors: list[GraphQLError] | None = None

            def on_parse(self) -> Iterator[None]:
                ctx = self.execution_context
                ctx.parse_options["max_tokens"] = limits.max_tokens
                if ctx.query and ctx.graphql_document is None:
                    try:
                        found = limits.checked(ctx.schema._schema, ctx.query, ctx.validation_rules)
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
                ctx = self.execution_context
                document = ctx.graphql_document
                if document is not None and ctx.result is None:
                    ctx.result = limits.refusal(
                        ctx.schema._schema,
                        ctx.query or "",
                        document,
                        ctx.operation_name,
                        ctx.variables,
                    )
                yield

        return DocumentChecks
