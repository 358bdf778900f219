"""From a Strawberry input object to the dict of keys the client actually sent."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case


def given(data: Any, skip: tuple[str, ...] = ("id", "version")) -> dict[str, Any]:
    """{camelCaseKey: value} for every field that was sent (not UNSET), enums as values."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if value is strawberry.UNSET or f.name in skip:
            continue
        out[to_camel_case(f.name)] = value.value if isinstance(value, Enum) else value
    return out
