"""The figures of the benchmarks, each next to its goal, collected over one `bench/run`.

Every benchmark module calls `record(Figure(...))` for each figure it measures. The figure is
printed at once and, when BENCH_FIGURES names a file, appended to it as one JSON line;
`python -m bench.goals FILE` prints all of them as one table (bench/run does, at the end).

    record(Figure("nested page, server CPU, 1 connection", 231.0, 40.0, "ms"))
    record(Figure("{__typename} / bare Strawberry app", 0.12, 0.8, "×", higher_is_better=True))

A figure with no goal (goal None) is a reference: printed, never judged.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    name: str
    now: float
    goal: float | None
    unit: str
    higher_is_better: bool = False
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        return self.now >= self.goal if self.higher_is_better else self.now <= self.goal

    def line(self, width: int = 58) -> str:
        now = _number(self.now)
        if self.goal is None:
            verdict, ratio = "reference", now
        else:
            verdict = "met" if self.met else "MISSED"
            sign = "≥" if self.higher_is_better else "≤"
            ratio = f"{now}/{sign}{_number(self.goal)}"
        note = f"  ({self.note})" if self.note else ""
        return f"{self.name:<{width}} {ratio:>18} {self.unit:<6} {verdict}{note}"


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def record(figure: Figure) -> None:
    """Print `figure` and append it to the file BENCH_FIGURES names, if any."""
    print(figure.line(), flush=True)
    path = os.environ.get("BENCH_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")


def read(path: Path) -> list[Figure]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Figure(**json.loads(line)) for line in lines if line.strip()]


def table(figures: Sequence[Figure]) -> str:
    width = max([len(f.name) for f in figures] + [20])
    head = f"{'figure':<{width}} {'now/goal':>18} {'unit':<6} verdict"
    rows = [head, "-" * len(head)] + [f.line(width) for f in figures]
    missed = [f for f in figures if f.met is False]
    rows.append("")
    judged = len([f for f in figures if f.goal is not None])
    rows.append(f"{judged - len(missed)} of {judged} goals met")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m bench.goals FIGURES_FILE", file=sys.stderr)
        return 2
    figures = read(Path(args[0]))
    if not figures:
        print("no figures were recorded", file=sys.stderr)
        return 1
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
