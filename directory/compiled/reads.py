"""Compiled reads: the `agencies` and `practitioners` connections (and `agency`,
`practitioner` by id and `regions`) answered by a few SQL statements that build their JSON in
PostgreSQL, instead of one resolver call per field; and `matchAgencies`, whose match runs as
the resolver runs it and whose objects come from one such statement (`matches`).

The page itself (filter, keyset cursor, `first`) is read by the same code the resolvers use,
so order, cursors, `totalCount` and `pageInfo` cannot differ; the nodes of the page come from
one statement per connection (`objects.Builder`). An operation with any field, argument,
fragment or directive the builders do not know, and any error (a bad cursor, an unknown
code), runs the normal way instead, so the answers and errors are those of the schema."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, OperationDefinitionNode, OperationType
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.types import ExecutionResult
from strawberry.types.arguments import convert_arguments
from strawberry.types.graphql import OperationType as StrawberryOperation
from tortoise import connections
from tortoise.queryset import QuerySet

from directory.agencies.queries import filtered_agencies
from directory.compiled.matches import MatchShape
from directory.compiled.objects import Builder
from directory.compiled.selection import Selected, Unsupported, selected
from directory.context import Context
from directory.documents import DocumentLimits
from directory.errors import RateLimited, Rejected, unavailable_error
from directory.ids import local_id
from directory.matching.queries import answer_match
from directory.outages import database_unavailable, log_outage
from directory.pagination import Page, keyset_page
from directory.reference.codes import require_code
from directory.reference.models import Region
from directory.talent.queries import filtered_practitioners


@dataclass(frozen=True, slots=True)
class _Root:
    node_type: str
    table: str
    query: Callable[[Any, Context], Awaitable[QuerySet[Any]]]


async def _agencies(flt: Any, context: Context) -> QuerySet[Any]:
    return await filtered_agencies(flt)


async def _practitioners(flt: Any, context: Context) -> QuerySet[Any]:
    return await filtered_practitioners(flt, context.today)


@dataclass(frozen=True, slots=True)
class _Single:
    node_type: str
    table: str
    where: str  # what the resolver's loader asks of the row beside its id


# One object by id, null when there is none: as the loaders of `agency` and `practitioner` read.
_SINGLES = {
    "agency": _Single("Agency", "agency", "TRUE"),
    "practitioner": _Single("Practitioner", "practitioner", "{t}.removed_at IS NULL"),
}

_CONNECTION_FIELDS = ("__typename", "totalCount", "pageInfo", "edges")
_PAGE_INFO = ("__typename", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor")

_ROOTS = {
    "agencies": _Root("Agency", "agency", _agencies),
    "practitioners": _Root("Practitioner", "practitioner", _practitioners),
}


class _Compiled:
    def __init__(self, schema: Any, operation: OperationDefinitionNode, context: Context) -> None:
        self.strawberry = schema
        self.schema = schema._schema
        self.operation = operation
        self.context = context
        self.variables: Any = None
        self.statements = 0

    async def run(self, raw_variables: dict[str, Any] | None) -> dict[str, Any]:
        coerced = get_variable_values(
            self.schema, self.operation.variable_definitions or (), raw_variables or {}
        )
        if isinstance(coerced, list):
            raise Unsupported("variables")
        self.variables = coerced
        root = self.schema.query_type
        assert root is not None
        fields = selected(root, self.operation.selection_set, self.variables)
        for field in fields:  # everything is checked before anything is read
            if field.name not in ("__typename", "regions", "matchAgencies", *_ROOTS, *_SINGLES):
                raise Unsupported(field.name)
        if any(f.name == "matchAgencies" for f in fields) and len(fields) > 1 + any(
            f.name == "__typename" for f in fields
        ):
            # A match counts the request and may record the need: nothing may fall back to
            # the normal way, and so run it again, after it has run.
            raise Unsupported("matchAgencies beside other fields")
        data: dict[str, Any] = {}
        for field in fields:
            if field.name == "__typename":
                data[field.key] = root.name
            elif field.name in _SINGLES:
                data[field.key] = await self.single(field)
            elif field.name == "regions":
                data[field.key] = await self.regions(field)
            elif field.name == "matchAgencies":
                data[field.key] = await self.matches(field)
            else:
                data[field.key] = await self.connection(field)
        return data

    def arguments(self, field: Selected) -> dict[str, Any]:
        definition = self.strawberry.get_field_for_type(field.name, "Query")
        converter = self.strawberry.schema_converter
        converted: dict[str, Any] = convert_arguments(
            field.arguments,
            definition.arguments,
            scalar_registry=converter.scalar_registry,
            config=self.strawberry.config,
        )
        return converted

    async def connection(self, field: Selected) -> dict[str, Any]:
        spec = _ROOTS[field.name]
        connection_type = field.returns.name
        parts = self.fields(connection_type, field)
        if any(p.name not in _CONNECTION_FIELDS for p in parts):
            raise Unsupported("connection field")
        for part in parts:
            if part.name == "pageInfo":
                self.page_info(part, None)
        edges = [p for p in parts if p.name == "edges"]
        if len(edges) > 1:
            raise Unsupported("edges twice")
        statement = self.nodes_statement(spec, edges[0]) if edges else None
        arguments = self.arguments(field)
        # Nothing is read before the whole shape is known to be supported.
        query = await spec.query(arguments.get("filter"), self.context)
        page = await keyset_page(query, "name", arguments["first"], arguments.get("after"))
        self.statements += 1
        nodes = await self.nodes(statement, page) if statement else []
        answer: dict[str, Any] = {}
        for part in parts:
            if part.name == "__typename":
                answer[part.key] = connection_type
            elif part.name == "totalCount":
                answer[part.key] = await query.count()
                self.statements += 1
            elif part.name == "pageInfo":
                answer[part.key] = self.page_info(part, page)
            else:
                answer[part.key] = self.edges(part, page, nodes)
        return answer

    def builder(self, parameter: str) -> tuple[Builder, str]:
        """A builder whose first parameter ($1, of SQL type `parameter`) is set later."""
        builder = Builder(self.schema, self.variables, self.context.viewer, self.context.today)
        return builder, builder.param(None, parameter)

    async def read(self, sql: str, params: list[Any]) -> Any:
        """The decoded JSON of the one row and column `j` the statement answers, or None."""
        _, rows = await connections.get("default").execute_query(sql, params)
        self.statements += 1
        return json.loads(rows[0]["j"]) if rows else None

    async def regions(self, field: Selected) -> list[Any]:
        """Every region by code, or the children of one (as `Query.regions` reads them)."""
        builder, parent_code = self.builder("text")
        t = builder.alias()
        body = builder.build("Region", t, field.node.selection_set)
        parent = field.arguments.get("parent")
        sql = (
            f"SELECT coalesce(json_agg({body} ORDER BY {t}.code), '[]'::json)::text AS j"
            f" FROM region {t} WHERE {parent_code} IS NULL OR {t}.parent_id = {parent_code}"
        )
        if parent is not None:
            builder.params[0] = await require_code(Region, parent, "parent")
        found: list[Any] = await self.read(sql, builder.params)
        return found

    async def matches(self, field: Selected) -> list[dict[str, Any]]:
        """The match made as the resolver makes it; its objects from one statement."""
        builder = Builder(self.schema, self.variables, self.context.viewer, self.context.today)
        shape = MatchShape(builder, self.fields("AgencyMatch", field))
        arguments = self.arguments(field)
        found, _ = await answer_match(self.context, arguments["need"], arguments["first"])
        objects: dict[str, Any] = {}
        if shape.sql is not None and found:
            objects = await self.read(shape.sql, shape.params(found))
        return shape.answer(found, objects)

    async def single(self, field: Selected) -> Any:
        spec = _SINGLES[field.name]
        builder, wanted = self.builder("int")
        t = builder.alias()
        body = builder.build(spec.node_type, t, field.node.selection_set)
        sql = (
            f"SELECT ({body})::text AS j FROM {spec.table} {t}"
            f" WHERE {t}.id = {wanted} AND {spec.where.format(t=t)}"
        )
        builder.params[0] = local_id(field.arguments["id"], spec.node_type)
        return await self.read(sql, builder.params)

    def fields(self, type_name: str, field: Selected) -> list[Selected]:
        found = self.schema.get_type(type_name)
        return selected(found, field.node.selection_set, self.variables)

    def page_info(self, field: Selected, page: Page[Any] | None) -> dict[str, Any]:
        parts = self.fields("PageInfo", field)
        if any(p.name not in _PAGE_INFO for p in parts):
            raise Unsupported("pageInfo")
        if page is None:
            return {}
        values = {
            "__typename": "PageInfo",
            "hasNextPage": page.has_next,
            "hasPreviousPage": page.has_previous,
            "startCursor": page.cursors[0] if page.cursors else None,
            "endCursor": page.cursors[-1] if page.cursors else None,
        }
        return {p.key: values[p.name] for p in parts}

    def edge_parts(self, edges: Selected) -> tuple[list[Selected], Selected | None]:
        parts = self.fields(edges.returns.name, edges)
        nodes = [p for p in parts if p.name == "node"]
        if len(nodes) > 1 or any(p.name not in ("node", "cursor", "__typename") for p in parts):
            raise Unsupported("edges")
        return parts, (nodes[0] if nodes else None)

    def nodes_statement(self, spec: _Root, edges: Selected) -> tuple[str, Builder] | None:
        """The statement building the nodes of a page; its first parameter is the page's ids."""
        _, node = self.edge_parts(edges)
        if node is None:
            return None
        builder, ids = self.builder("int[]")
        t = builder.alias()
        body = builder.build(spec.node_type, t, node.node.selection_set)
        sql = (
            f"SELECT coalesce(json_agg({body} ORDER BY ids.n), '[]'::json)::text AS j"
            f" FROM unnest({ids}) WITH ORDINALITY AS ids(id, n)"
            f" JOIN {spec.table} {t} ON {t}.id = ids.id"
        )
        return sql, builder

    async def nodes(self, statement: tuple[str, Builder], page: Page[Any]) -> list[Any]:
        if not page.rows:
            return []
        sql, builder = statement
        params = [[row.pk for row in page.rows], *builder.params[1:]]
        found: list[Any] = await self.read(sql, params)
        if len(found) != len(page.rows):  # a row went away between the two statements
            raise Unsupported("page changed")
        return found

    def edges(self, edges: Selected, page: Page[Any], nodes: list[Any]) -> list[dict[str, Any]]:
        parts, _ = self.edge_parts(edges)
        name = edges.returns.name
        answer = []
        for i, cursor in enumerate(page.cursors):
            edge: dict[str, Any] = {}
            for part in parts:
                if part.name == "__typename":
                    edge[part.key] = name
                elif part.name == "cursor":
                    edge[part.key] = cursor
                else:
                    edge[part.key] = nodes[i]
            answer.append(edge)
        return answer


async def compiled_data(
    schema: Any,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    context: Context,
) -> dict[str, Any] | None:
    """The `data` of a supported query read from SQL, or None: run it the normal way."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    try:
        return await _Compiled(schema, operation, context).run(variables)
    except (Unsupported, Rejected, RateLimited):
        return None  # the pipeline answers it, or its error


QUERY = StrawberryOperation.QUERY


async def compiled_result(
    schema: Any,
    limits: DocumentLimits,
    query: str | None,
    variables: dict[str, Any] | None,
    context: Any,
    operation_name: str | None,
    allowed: Iterable[StrawberryOperation] | None,  # None: every type
) -> ExecutionResult | None:
    """The result of a supported query, read from SQL before Strawberry's pipeline would
    start, or None: run it the normal way. Only a query Strawberry would run without an
    error (it parses, validates and passes every limit) is answered here; everything else,
    errors included, is left to the pipeline."""
    if not isinstance(query, str) or not isinstance(context, Context):
        return None
    if allowed is not None and QUERY not in allowed:
        return None
    document = limits.valid(schema._schema, query)
    if document is None:
        return None
    if limits.refusal(schema._schema, query, document, operation_name, variables) is not None:
        return None
    try:
        data = await compiled_data(schema, document, operation_name, variables, context)
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        # Answered as the pipeline answers an outage, without trying the database again.
        log_outage(exc)
        return ExecutionResult(data=None, errors=[unavailable_error()])
    return None if data is None else ExecutionResult(data=data, errors=None)
