"""Time the daily reminder scan on the database named by DATABASE_URL, and its peak memory.

    python -m bench.reminder_scan                     # on today (Asia/Shanghai)
    python -m bench.reminder_scan --on 2026-11-30 --on 2027-03-20

Peak memory is the process's maximum resident set size; --tracemalloc adds Python's traced
allocations (which slows the scan down, so the recorded seconds are then not comparable).
Fill the database first (`python -m bench.generate`, or `bench/run`). Each day is scanned
twice: the first run writes the outbox, the second finds everything there already, as a
rerun or a second worker would. The reminder rows written are deleted at the end unless
--keep. Prints one line per run and a JSON summary (also written to bench/out/), and records
the first day's figures (bench/goals.py): the first run's seconds (goal ≤3 s), the rerun's
(reference) and the peak resident memory (goal ≤150 MiB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
import tracemalloc
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from bench.goals import Figure, record
from directory.clock import local_today, system_clock
from directory.db import tortoise_config
from directory.migrate import migrate
from directory.reminders.models import Reminder
from directory.reminders.scan import scan
from directory.settings import get_settings
from directory.talent.models import Practitioner

OUT_DIR = Path(__file__).resolve().parent / "out"


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _run(day: date) -> dict[str, Any]:
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = await scan(day, get_settings())
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    return {
        "day": day.isoformat(),
        "seconds": round(seconds, 3),
        "due": result.due_count,
        "created": result.created,
        "peak_traced_mib": round(peak / 2**20, 1),
        "maxrss_mib": round(_maxrss_mib(), 1),
        "by_rule": result.by_rule(),
    }


async def main_async(days: Sequence[date], keep: bool, trace: bool) -> dict[str, Any]:
    settings = get_settings()
    await migrate(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        people = await Practitioner.filter(removed_at=None).count()
        before = await Reminder.all().count()
        last = await Reminder.all().order_by("-id").first()
        first_id = last.id if last else 0
        print(f"{people} practitioners; outbox holds {before} rows")
        if trace:  # exact peaks, but allocation-heavy code runs a few times slower
            tracemalloc.start()
        runs = []
        for day in days:
            for attempt in ("first", "rerun"):
                found = await _run(day)
                found["run"] = attempt
                runs.append(found)
                print(
                    f"{found['day']} {attempt:5}: {found['seconds']:.2f} s, {found['due']} due, "
                    f"{found['created']} new, peak {found['peak_traced_mib']} MiB traced, "
                    f"maxrss {found['maxrss_mib']} MiB"
                )
        if trace:
            tracemalloc.stop()
        if not keep:
            await Reminder.filter(id__gt=first_id).delete()
    finally:
        await Tortoise.close_connections()
    return {"practitioners": people, "runs": runs}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--on",
        action="append",
        type=date.fromisoformat,
        default=[],
        help="a day to scan (repeatable); default: today",
    )
    parser.add_argument("--keep", action="store_true", help="keep the reminder rows written")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python's allocations (slower)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    days = args.on or [local_today(system_clock())]
    summary = asyncio.run(main_async(days, args.keep, trace=args.tracemalloc))
    first, rerun = summary["runs"][0], summary["runs"][1]
    people = f"{summary['practitioners']:,} practitioners, {first['day']}"
    record(Figure("reminder scan, first run", first["seconds"], 3.0, "s", note=people))
    record(Figure("reminder scan, rerun", rerun["seconds"], None, "s"))
    peak = max(run["maxrss_mib"] for run in summary["runs"])
    record(Figure("reminder scan, peak RSS", peak, 150.0, "MiB"))
    OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = OUT_DIR / f"reminder-scan-{stamp}.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False))
    print(f"written to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
