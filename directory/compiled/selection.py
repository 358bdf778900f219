"""The fields a selection set asks for, flattened, or `Unsupported` for what the compiler skips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    SelectionSetNode,
    get_named_type,
    print_ast,
)
from graphql.execution.values import get_argument_values


class Unsupported(Exception):
    """A shape the compiled reads do not handle: the operation runs the normal way."""


@dataclass(frozen=True, slots=True)
class Selected:
    key: str  # the response key: alias or name
    name: str
    node: FieldNode
    definition: GraphQLField | None  # None for __typename
    arguments: dict[str, Any]

    @property
    def returns(self) -> GraphQLNamedType:
        assert self.definition is not None
        return get_named_type(self.definition.type)


def selected(
    parent: GraphQLObjectType,
    selection_set: SelectionSetNode | None,
    variables: Any,  # graphql-core's coerced VariableValues
) -> list[Selected]:
    """The fields of `selection_set` in response order; fragments and directives are not ours."""
    if selection_set is None:
        raise Unsupported("no selection")
    chosen: dict[str, Selected] = {}
    for node in selection_set.selections:
        if not isinstance(node, FieldNode) or node.directives:
            raise Unsupported("fragment or directive")
        key = node.alias.value if node.alias else node.name.value
        name = node.name.value
        if key in chosen:
            earlier = chosen[key].node
            same = earlier.name.value == name and earlier.selection_set is None
            same = same and node.selection_set is None
            if not same or _arguments(earlier) != _arguments(node):
                raise Unsupported("selections to merge")
            continue
        if name == "__typename":
            chosen[key] = Selected(key, name, node, None, {})
            continue
        definition = parent.fields.get(name)
        if definition is None:
            raise Unsupported(name)
        arguments = get_argument_values(definition, node, variables)
        chosen[key] = Selected(key, name, node, definition, arguments)
    return list(chosen.values())


def _arguments(node: FieldNode) -> list[str]:
    return [print_ast(a) for a in node.arguments or ()]
