"""From a posted HTML form to the variables of a GraphQL input, field by field.

Form fields carry the API's input names. Values the API's scalars would refuse before any
rule runs (a date that is no date, hours that are no number) are caught here and reported
next to their field like the API's own problems, so a typo never reaches the user as an
error of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from starlette.datastructures import FormData

from directory.web.field_errors import FormErrors

Kind = Literal["text", "list", "words", "date", "decimal", "int", "enum", "bool"]
_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind = "text"
    # Leave the field out of the input when left empty, instead of sending "" or null.
    omit_empty: bool = False
    choices: tuple[str, ...] = ()  # an enum's values


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_form(
    form: FormData, fields: tuple[Field, ...], lang: str = "zh"
) -> tuple[dict[str, Any], FormErrors]:
    """The input's values and the problems found in them (empty when all could be read)."""
    values: dict[str, Any] = {}
    errors = FormErrors()
    for f in fields:
        if f.kind == "list":
            values[f.name] = [v for v in form.getlist(f.name) if isinstance(v, str) and v]
            continue
        if f.kind == "words":  # a list typed into one box: "en, ja"
            values[f.name] = [w for w in _SEPARATORS.split(_text(form, f.name)) if w]
            continue
        if f.kind == "bool":
            values[f.name] = _text(form, f.name) in ("on", "true", "1")
            continue
        raw = _text(form, f.name)
        if not raw:
            if f.omit_empty:
                continue
            values[f.name] = "" if f.kind == "text" else None
            continue
        if f.kind == "text":
            values[f.name] = raw
        elif f.kind == "enum":
            if raw in f.choices:
                values[f.name] = raw
            else:
                errors.add("UNKNOWN_CODE", f.name, lang)
        elif f.kind == "date":
            try:
                values[f.name] = date.fromisoformat(raw).isoformat()
            except ValueError:
                errors.add("INVALID_DATE", f.name, lang)
        elif f.kind == "decimal":
            try:
                number = Decimal(raw)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                errors.add("INVALID_INPUT", f.name, lang)
            else:
                values[f.name] = str(number)
        elif f.kind == "int":
            try:
                values[f.name] = int(raw)
            except ValueError:
                errors.add("INVALID_INPUT", f.name, lang)
    return values, errors


def version(form: FormData) -> int:
    """The version the form was rendered with; anything else loses to the stored one."""
    try:
        return int(_text(form, "version"))
    except ValueError:
        return -1


def typed(form: FormData, fields: tuple[Field, ...]) -> dict[str, Any]:
    """What the user typed, as typed, to show again in the form after a refusal."""
    return {
        f.name: [v for v in form.getlist(f.name) if isinstance(v, str)]
        if f.kind == "list"
        else _text(form, f.name)
        for f in fields
    }
