"""From spreadsheet cells to the values of the services' input fields, as the API sends them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from directory.errors import ErrorCode, api_name, says
from directory.transfer.labels import Labels
from directory.transfer.sheets import Cell, Sheet
from directory.validation import Checker

LIST_SEPARATORS = frozenset("、,，;；\n")
_OPENING = frozenset("（(【[")
_CLOSING = frozenset("）)】]")
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as the spreadsheet shows it: the header row is 1
    cells: dict[str, Any]  # header -> raw cell value, for the importable columns the sheet has


def text(value: Any) -> str:
    """A cell as text; whole numbers lose the ".0" a spreadsheet gives them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def split(value: Any) -> list[str]:
    """The parts of a list cell, split at the separators outside brackets: a label such as
    "企业知识产权合规管理咨询（贯标，GB/T 29490-2023）" stays one part. Full- and half-width
    brackets close each other, as people type them."""
    parts: list[str] = []
    start = depth = 0
    cell = text(value)
    for index, char in enumerate(cell):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif char in LIST_SEPARATORS and not depth:
            parts.append(cell[start:index])
            start = index + 1
    parts.append(cell[start:])
    return [part.strip() for part in parts if part.strip()]


def to_date(value: Any) -> date | None:
    """None for an empty cell; ValueError when the cell holds no date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value.strip())
        if match:
            return date(*(int(part) for part in match.groups()))
        if not value.strip():
            return None
    raise ValueError(value)


def to_number(value: Any) -> float | None:
    """None for an empty cell; a percentage as its share (85% is 0.85); ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    raw = str(value).strip().replace(",", "").replace("，", "")
    if not raw:
        return None
    if raw.endswith(("%", "％")):
        return float(raw[:-1]) / 100
    return float(raw)


def values_of(row: Row, sheet: Sheet, labels: Labels, check: Checker) -> dict[str, Any]:
    """{input key: value} for every column of the row; unreadable cells go to `check`."""
    values: dict[str, Any] = {}
    for header, raw in row.cells.items():
        column = sheet.column(header)
        if column is None or not column.key:
            continue
        if column.cell is Cell.TEXT:
            values[column.key] = text(raw)
        elif column.cell is Cell.CODES:
            values[column.key] = tuple(labels.code(column.table, part) for part in split(raw))
        elif column.cell is Cell.CODE:
            values[column.key] = labels.code(column.table, text(raw)) if text(raw) else None
        elif column.cell is Cell.NUMBER:
            try:
                values[column.key] = to_number(raw)
            except ValueError:
                message = says(
                    f"{column.header}须为数字", f"{api_name(column.key)} must be a number"
                )
                check.add(ErrorCode.INVALID_INPUT, column.key, message)
        else:
            try:
                values[column.key] = to_date(raw)
            except ValueError:
                message = says(
                    f"{column.header}须为日期单元格或 YYYY-MM-DD 文本",
                    f"{api_name(column.key)} must be a date cell or YYYY-MM-DD text",
                )
                check.add(ErrorCode.INVALID_DATE, column.key, message)
    return values
