"""Bounded arguments: every string and list a request sends is measured before anything runs.

A 60,000-character search text or a list of 100,000 codes would otherwise reach the database
(SQLite refuses a LIKE pattern past 50 KB) or build a statement too large to send. Each string
argument, in the document or in a variable, at any depth of an input object, is at most
`MAX_CHARS` characters (tighter for the fields in `_TIGHTER`) and each list at most
`MAX_ITEMS` items, and none holds a character no database can store (NUL, a lone
surrogate); the services' own checks (validation.py) say more about what fits a field.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)

from directory.errors import ErrorCode, Problem, Rejected, graphql_errors

MAX_CHARS = 4000  # characters of any string argument (an agency's description is 2,000)
MAX_ID_CHARS = 100  # characters of an ID (ours are below 40)
MAX_ITEMS = 100  # items of any list argument
MAX_PROBLEMS = 20  # problems named in one answer
# (input type, field) -> characters: fields that reach a LIKE or a word split
_TIGHTER = {
    ("AgencyFilter", "text"): 100,
    ("PractitionerFilter", "text"): 100,
    ("MatchNeedInput", "text"): 2000,  # matching answers its own, clearer error past 500
}
_CACHE_SIZE = 256  # documents whose argument positions are kept


@dataclass(frozen=True, slots=True)
class _Position:
    """One argument of the document: where it is, its type, its literal value."""

    path: str
    type: GraphQLInputType
    node: ValueNode


def _named(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


class _Arguments(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: list[_Position] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is not None:
            self.found.append(_Position(node.name.value, argument.type, node.value))


_positions: OrderedDict[tuple[int, str], list[_Position]] = OrderedDict()


def _argument_positions(schema: GraphQLSchema, key: str, document: DocumentNode) -> list[_Position]:
    """Every argument of `document` with its type, worked out once per document."""
    cache_key = (id(schema), key)
    found = _positions.get(cache_key)
    if found is None:
        type_info = TypeInfo(schema)
        visitor = _Arguments(type_info)
        visit(document, TypeInfoVisitor(type_info, visitor))
        found = _positions[cache_key] = visitor.found
        if len(_positions) > _CACHE_SIZE:
            _positions.popitem(last=False)
    else:
        _positions.move_to_end(cache_key)
    return found


def _char_limit(type_: GraphQLInputType, owner: str | None, field: str | None) -> int:
    """The most characters a string may have at this position (any scalar sent as text)."""
    if type_ is GraphQLID:
        return MAX_ID_CHARS
    return _TIGHTER.get((owner or "", field or ""), MAX_CHARS)


def _too_long(path: str, limit: int) -> Problem:
    message = f"{path} 不能超过 {limit} 个字符（{path} is longer than {limit} characters）"
    return Problem(ErrorCode.TOO_LONG, path, message)


def _too_many(path: str) -> Problem:
    message = f"{path} 最多 {MAX_ITEMS} 项（{path} has more than {MAX_ITEMS} items）"
    return Problem(ErrorCode.TOO_LONG, path, message)


# A NUL (PostgreSQL's text cannot hold one) or a lone UTF-16 surrogate (not encodable as UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(path: str) -> Problem:
    message = (
        f"{path} 含有无法保存的字符（NUL 或单独的代理项）"
        f"（{path} contains a character that cannot be stored: NUL or a lone surrogate）"
    )
    return Problem(ErrorCode.INVALID_INPUT, path, message)


def _string(
    text: str, type_: GraphQLInputType, path: str, owner: str | None, field: str | None
) -> Iterator[Problem]:
    limit = _char_limit(type_, owner, field)
    if len(text) > limit:
        yield _too_long(path, limit)
    elif _UNSTORABLE.search(text):
        yield _unstorable(path)


class _Walk:
    """Measures one argument's value, literal or from the variables, against its type."""

    def __init__(self, variables: Mapping[str, Any]) -> None:
        self.variables = variables

    def node(
        self,
        node: ValueNode,
        type_: GraphQLInputType,
        path: str,
        owner: str | None = None,
        field: str | None = None,
    ) -> Iterator[Problem]:
        if isinstance(node, VariableNode):
            if node.name.value in self.variables:
                yield from self.value(self.variables[node.name.value], type_, path, owner, field)
            return
        type_ = _named(type_)
        if isinstance(type_, GraphQLList):
            items = node.values if isinstance(node, ListValueNode) else (node,)
            if len(items) > MAX_ITEMS:
                yield _too_many(path)
                return
            for item in items:
                yield from self.node(item, type_.of_type, path, owner, field)
        elif isinstance(type_, GraphQLInputObjectType):
            if isinstance(node, ObjectValueNode):
                for part in node.fields:
                    inner = type_.fields.get(part.name.value)
                    if inner is not None:
                        name = part.name.value
                        yield from self.node(
                            part.value, inner.type, f"{path}.{name}", type_.name, name
                        )
        elif isinstance(node, StringValueNode):
            yield from _string(node.value, type_, path, owner, field)

    def value(
        self,
        value: Any,
        type_: GraphQLInputType,
        path: str,
        owner: str | None = None,
        field: str | None = None,
    ) -> Iterator[Problem]:
        type_ = _named(type_)
        if isinstance(type_, GraphQLList):
            items = value if isinstance(value, list) else [value]
            if len(items) > MAX_ITEMS:
                yield _too_many(path)
                return
            for item in items:
                yield from self.value(item, type_.of_type, path, owner, field)
        elif isinstance(type_, GraphQLInputObjectType):
            if isinstance(value, dict):
                for name, inner in type_.fields.items():
                    if name in value:
                        yield from self.value(
                            value[name], inner.type, f"{path}.{name}", type_.name, name
                        )
        elif isinstance(value, str):
            yield from _string(value, type_, path, owner, field)


def problems(
    schema: GraphQLSchema, key: str, document: DocumentNode, variables: Mapping[str, Any]
) -> list[Problem]:
    """What is too long or too many in the request's arguments; empty when all fits."""
    walk = _Walk(variables)
    found: list[Problem] = []
    for position in _argument_positions(schema, key, document):
        found += walk.node(position.node, position.type, position.path)
        if len(found) >= MAX_PROBLEMS:
            break
    return found[:MAX_PROBLEMS]


def refuse_long_arguments(
    schema: GraphQLSchema, key: str, document: DocumentNode, variables: Any
) -> ExecutionResult | None:
    """The answer to the whole request, before it runs, when an argument is too long."""
    found = problems(schema, key, document, variables if isinstance(variables, dict) else {})
    return ExecutionResult(data=None, errors=graphql_errors(Rejected(found))) if found else None
