"""Reading and writing sheets as .xlsx (read by calamine, written by openpyxl) or .csv (UTF-8
with a BOM, as Excel writes it)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from directory.errors import says

_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_COLUMN_WIDTH = 18  # characters
BOLD = Font(bold=True)
# Text a spreadsheet would run as a formula when it opens a .csv (CSV injection): written with a
# leading apostrophe, which reading takes off again. E.164 phone numbers (+86...) are safe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+\d+")


class SheetError(Exception):
    """The file cannot be read as a sheet at all (missing, wrong format, damaged)."""


@dataclass(frozen=True, slots=True)
class Table:
    headers: list[str]  # the first row, trimmed
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_table(path: Path) -> Table:
    """The first worksheet of an .xlsx, or a .csv; rows with no value at all are left out."""
    if not path.is_file():
        raise SheetError(says(f"找不到文件：{path}", f"no such file: {path}"))
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        lines = _xlsx_lines(path)
    elif suffix == ".csv":
        lines = _csv_lines(path)
    elif suffix == ".xls":
        raise SheetError(
            says(
                f"{path.name}：请先另存为 .xlsx 格式（Excel 2007 或更新版本）",
                f"{path.name}: save the workbook as .xlsx (Excel 2007 or later) first",
            )
        )
    else:
        raise SheetError(
            says(
                f"{path.name}：须为 .xlsx 或 .csv 文件",
                f"{path.name}: expected an .xlsx or .csv file",
            )
        )
    if not lines:
        raise SheetError(
            says(
                f"{path.name} 是空的：第一行须为列名",
                f"{path.name} is empty: the first row must hold the column headers",
            )
        )
    headers = ["" if h is None else str(h).strip() for h in lines[0][1]]
    rows = [(n, cells) for n, cells in lines[1:] if any(_filled(c) for c in cells)]
    return Table(headers=headers, rows=rows)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _xlsx_lines(path: Path) -> list[tuple[int, list[Any]]]:
    """The cells from A1 on, an empty one as None, with cached values of formulas. Read by
    calamine, a tenth of the time openpyxl takes over a 10,000-row sheet."""
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        lines = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError) as exc:
        message = says(
            f"{path.name} 不是可读取的 .xlsx 工作簿",
            f"{path.name} is not a readable .xlsx workbook: {exc}",
        )
        raise SheetError(message) from None
    return [
        (number, [None if cell == "" else cell for cell in cells])
        for number, cells in enumerate(lines, start=1)
    ]


def _csv_lines(path: Path) -> list[tuple[int, list[Any]]]:
    records = csv.reader(io.StringIO(_decode(path.read_bytes())))
    try:
        return [(n, [_csv_text(c) for c in cells]) for n, cells in enumerate(records, start=1)]
    except csv.Error as exc:
        message = says(
            f"{path.name} 不是可读取的 .csv 文件", f"{path.name} is not a readable .csv file: {exc}"
        )
        raise SheetError(message) from None


def _decode(data: bytes) -> str:
    """UTF-8 with or without a BOM; else GB18030, which Excel on Chinese Windows writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        message = says(
            ".csv 文件的编码须为 UTF-8 或 GB18030",
            "the .csv file is neither UTF-8 nor GB18030 text",
        )
        raise SheetError(message) from None


def write_table(
    path: Path, fmt: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows([_csv_cell(c) for c in row] for row in rows)
        return
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = _COLUMN_WIDTH
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c) for c in row])
    book.save(path)


def _header_cell(sheet: Any, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font = BOLD
    return cell


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PHONE.fullmatch(value):
        return "'" + value
    return "" if value is None else value


def _csv_text(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value
