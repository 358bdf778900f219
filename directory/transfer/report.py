"""What an import did, or would do, and every problem of every row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from directory.errors import ErrorCode, Problem, says
from directory.labels import label
from directory.transfer.sheets import Sheet


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # as the spreadsheet shows it: the header row is 1
    column: str  # the Chinese header; "" when the problem is not one column's
    code: ErrorCode
    message: str


def locate(sheet: Sheet, row: int, problem: Problem) -> RowProblem:
    """A service's problem restated in the sheet's terms: its Chinese part names the column
    by its header where the field's label differs (名称 is 机构名称 on the agencies sheet)."""
    header = sheet.header_for(problem.field)
    message = problem.message
    if header and (name := label(problem.field)) != header:
        message = re.sub(rf"(?<![\u4e00-\u9fff]){re.escape(name)}", header, message, count=1)
    return RowProblem(row, header, problem.code, message)


@dataclass
class ImportReport:
    sheet: Sheet
    dry_run: bool
    rows: int = 0
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    problems: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def created(self) -> int:
        return self.counts[Outcome.CREATED]

    @property
    def updated(self) -> int:
        return self.counts[Outcome.UPDATED]

    @property
    def unchanged(self) -> int:
        return self.counts[Outcome.UNCHANGED]

    def lines(self) -> list[str]:
        """The report as the command prints it: one line per problem, then a summary."""
        out = [f"{p.row}\t{p.column or '-'}\t{p.code.value}\t{p.message}" for p in self.problems]
        if out:
            out.insert(0, "row\tcolumn\tcode\tmessage")
        rows = f"{self.rows} row" + ("" if self.rows == 1 else "s")
        tally = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        counted = f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        if any(p.row == 1 for p in self.problems):
            said = says(
                "列名行有问题，未导入任何数据", "the header row has problems; nothing was imported"
            )
        elif self.problems:
            bad = len({p.row for p in self.problems})
            said = says(
                f"{self.rows} 行中 {bad} 行有问题，未导入任何数据",
                f"problems in {bad} of {rows}; nothing was imported",
            )
        elif self.dry_run:
            said = says(
                f"试导入 {self.rows} 行：{counted}；未写入任何数据",
                f"dry run of {rows}: {tally}; nothing was written",
            )
        else:
            said = says(f"{self.rows} 行：{counted}", f"{rows}: {tally}")
        out.append(f"{self.sheet.name}: {said}")
        return out
