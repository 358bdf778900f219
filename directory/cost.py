"""The static cost of an operation, computed before it runs, and the limit that refuses it.

Like GitHub's node limit and Shopify's query cost: every field that returns an object counts
1 for each object it may return, so `first`/`last` multiplies the cost of what is under it,
and a list with no such argument counts as a full page (`MAX_PAGE_SIZE`). Scalars and the
schema's own introspection fields are free. The count is an upper bound of the rows one
operation may read, known before any resolver runs; it is computed when the variables are
known (a validation rule cannot see them, so it would have to count every `first: $n` as a
full page), and after validation, so a document that fails validation is never costed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from graphql.utilities import get_operation_ast
from strawberry.types.execution import PreExecutionError

from directory.errors import ErrorCode, error_extensions
from directory.matching.scoring import WEIGHTS
from directory.pagination import MAX_PAGE_SIZE
from directory.reference import data

_PAGE_ARGUMENTS = ("first", "last")
# A list of reference items holds each item once: at most as many as the reference has.
_REFERENCE_LISTS = {
    "ServiceType": len(data.SERVICE_TYPES),
    "TechnicalField": len(data.TECHNICAL_FIELDS),
    "AgencyKind": len(data.AGENCY_KINDS),
    "QualificationKind": len(data.QUALIFICATION_KINDS),
    "MatchReason": len(WEIGHTS),  # one reason per score component
}
# Lists of their own size: every region of the country (GB/T 2260 has about 3,600 codes).
_FIELD_SIZES = {("Query", "regions"): 4000}


class _Costing:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            default = definition.default_value
            if name not in self.variables and isinstance(default, IntValueNode):
                self.variables[name] = int(default.value)
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.fragment_costs: dict[str, int] = {}

    def selection(self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(parent, node)
            elif isinstance(node, InlineFragmentNode):
                on = node.type_condition
                inner = self.schema.get_type(on.name.value) if on else parent
                total += self.selection(inner or parent, node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value)
        return total

    def fragment(self, name: str) -> int:
        # A fragment costs the same wherever it is spread: counted once, reused.
        if name not in self.fragment_costs:
            self.fragment_costs[name] = 0  # a cycle (refused by validation) counts nothing
            fragment = self.fragments.get(name)
            on = self.schema.get_type(fragment.type_condition.name.value) if fragment else None
            if fragment is not None and on is not None:
                self.fragment_costs[name] = self.selection(on, fragment.selection_set)
        return self.fragment_costs[name]

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, (GraphQLObjectType, GraphQLInterfaceType)
        ):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        returns = get_named_type(definition.type)
        if is_leaf_type(returns):
            return 0
        under = self.selection(returns, node.selection_set)
        return self.size(parent, node, definition) * (1 + under)

    def size(self, parent: GraphQLNamedType, node: FieldNode, definition: GraphQLField) -> int:
        """How many objects the field may return."""
        for argument in _PAGE_ARGUMENTS:
            if argument in definition.args:
                given = self.argument(node, argument, definition)
                if isinstance(given, int) and not isinstance(given, bool):
                    # A resolver refuses more than a full page before it reads a row.
                    return max(0, min(given, MAX_PAGE_SIZE))
                return MAX_PAGE_SIZE
        of = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else None
        if not (isinstance(definition.type, GraphQLList) or isinstance(of, GraphQLList)):
            return 1
        if parent.name.endswith("Connection"):
            return 1  # a connection's edges are the page its field's `first` counted already
        if (parent.name, node.name.value) in _FIELD_SIZES:
            return _FIELD_SIZES[parent.name, node.name.value]
        return _REFERENCE_LISTS.get(get_named_type(definition.type).name, MAX_PAGE_SIZE)

    def argument(self, node: FieldNode, name: str, definition: GraphQLField) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                return None
        default = definition.args[name].default_value
        return None if default is Undefined else default


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The cost of the operation of `document` that would run (0 if there is none)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    costing = _Costing(schema, document, operation, variables or {})
    return costing.selection(root, operation.selection_set)


def cost_limit_error(cost: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"查询代价 {cost} 超过上限 {limit}：请减少 first、别名或嵌套的列表"
        f"（the query costs {cost}, more than the limit of {limit}: ask for fewer rows, "
        "aliases or nested lists）",
        extensions=error_extensions(ErrorCode.COST_LIMIT_EXCEEDED, cost=cost, limit=limit),
    )


def refuse_costly(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    limit: int,
) -> PreExecutionError | None:
    """The answer, before execution, to an operation that costs more than `limit`."""
    cost = operation_cost(schema, document, operation_name, variables)
    return (
        PreExecutionError(data=None, errors=[cost_limit_error(cost, limit)])
        if cost > limit
        else None
    )
