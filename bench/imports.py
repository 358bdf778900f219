"""Time the import of a national agencies sheet into a fresh SQLite database, dry run and real.

    python -m bench.imports                  # 10,000 agencies
    python -m bench.imports --agencies 2000 --seed 3

Builds an agencies sheet (.xlsx, as `ipdir export agencies` writes it) from the seeded
generator of bench/generate.py, in a temporary folder with a fresh SQLite database (the
embedded default); DATABASE_URL is never used. Then imports it twice through the command's
own function (`transfer.commands.import_file`), each in a process of its own so that its
peak memory is its own: first with --dry-run, then for real. Records (bench/goals.py) the
import's seconds (goal ≤10 s), the dry run's (goal: no slower than the import), their ratio
(goal ≤1.0), and for reference the CPU seconds and the peak resident memory of each (wall
seconds on a loaded machine say little; CPU seconds less so).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from bench.generate import Generator, plan_regions
from bench.goals import Figure, record
from directory.clock import Moment, local_today, system_clock
from directory.db import tortoise_config
from directory.migrate import migrate
from directory.reference.models import Region, RegionLevel
from directory.settings import Settings
from directory.transfer.exporting import _render
from directory.transfer.files import write_table
from directory.transfer.labels import Labels
from directory.transfer.sheets import AGENCIES
from directory.validation import e164_phone

_LINKS = {
    "agency_kind_link": "kinds",
    "agency_service_link": "services",
    "agency_field_link": "fields",
    "agency_region_served": "regions_served",
}


def _settings(folder: Path) -> Settings:
    return Settings(database_url=f"sqlite://{folder / 'directory.sqlite3'}")


def agency_records(count: int, seed: int) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The generator's agencies as export records, and the region rows they need."""
    now = system_clock()
    plan = plan_regions()
    gen = Generator(seed, local_today(now), now, plan)
    gen.agencies(count)
    columns = gen.tables.columns["agency"]
    links: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table, name in _LINKS.items():
        for _id, agency_id, code in gen.tables.rows[table]:
            links[agency_id][name].append(code)
    records = []
    for row in gen.tables.rows["agency"]:
        a = dict(zip(columns, row, strict=True))
        held = links[a["id"]]
        records.append(
            {
                "name": a["name"],
                "name_en": a["name_en"],
                "credit_code": a["credit_code"],
                "office_region": a["office_region_id"],
                **{name: sorted(held[name]) for name in _LINKS.values()},
                "address": a["address"],
                "founded_on": a["founded_on"],
                "contact_name": a["contact_name"],
                "contact_phone": _dialable(a["contact_phone"], a["id"]),
                "contact_email": a["contact_email"],
                "website": a["website"],
                "description": a["description"],
                "credit_grade": "",
                "credit_score": None,
                "credit_graded_on": None,
                "abnormal_since": None,
                "abnormal_reason": "",
                "abnormal_removed_on": None,
            }
        )
    return records, plan.new_rows


def _dialable(phone: str, agency_id: int) -> str:
    """The generator's number, or a mobile number when the phone library would refuse it
    (the generator writes the database directly, past the checks an import makes)."""
    return phone if e164_phone(phone) else f"139{agency_id:08d}"


async def build(folder: Path, count: int, seed: int) -> Path:
    """A fresh database holding the regions the sheet names, and the sheet itself."""
    settings = _settings(folder)
    records, regions = agency_records(count, seed)
    await migrate(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await Region.bulk_create(
            [
                Region(code=c, name_zh=zh, name_en=en, level=RegionLevel(lv), parent_id=p)
                for c, zh, en, lv, p in regions
            ]
        )
        labels = await Labels.load()
    finally:
        await Tortoise.close_connections()
    shown = [c for c in AGENCIES.columns if not c.private]
    rows = [[_render(c, r[c.key or c.header], labels) for c in shown] for r in records]
    path = folder / "agencies.xlsx"
    write_table(path, "xlsx", AGENCIES.title, [c.header for c in shown], rows)
    return path


def run_import(folder: Path, path: Path, dry_run: bool) -> dict[str, Any]:
    """One import in this process (the child's side of `timed_import`)."""
    import resource

    from directory.transfer.commands import import_file

    started, cpu_started = time.perf_counter(), time.process_time()
    report = asyncio.run(
        import_file(_settings(folder), "agencies", path, dry_run, Moment.at(system_clock()))
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),  # all threads: SQLite's work is in its own
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "problems": len(report.problems),
        "committed": report.committed,
        "counts": {str(k.value): v for k, v in report.counts.items()},
        "first_problems": [str(p) for p in report.problems[:5]],
    }


def timed_import(folder: Path, path: Path, dry_run: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.imports", "--child", str(folder), str(path)]
    if dry_run:
        command.append("--dry-run")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "SHEET"), help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        folder, sheet = (Path(p) for p in args.child)
        print(json.dumps(run_import(folder, sheet, args.dry_run), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="ipdir-imports-") as name:
        folder = Path(name)
        started = time.perf_counter()
        path = asyncio.run(build(folder, args.agencies, args.seed))
        print(f"{args.agencies:,} agencies sheet built in {time.perf_counter() - started:.1f} s")
        dry = timed_import(folder, path, dry_run=True)
        print(f"dry run: {json.dumps(dry, ensure_ascii=False)}")
        real = timed_import(folder, path, dry_run=False)
        print(f"import:  {json.dumps(real, ensure_ascii=False)}")
    for found in (dry, real):
        if found["problems"] or found["counts"].get("created") != args.agencies:
            raise SystemExit(f"the sheet did not import cleanly: {found}")
    note = f"{args.agencies:,} agencies, SQLite"
    record(Figure("agencies import", real["seconds"], 10.0, "s", note=note))
    record(Figure("agencies import, dry run", dry["seconds"], real["seconds"], "s", note=note))
    ratio = dry["seconds"] / real["seconds"]
    record(Figure("agencies import, dry run / import", ratio, 1.0, "×"))
    record(Figure("agencies import, CPU", real["cpu_seconds"], None, "s", note=note))
    record(Figure("agencies import, dry run CPU", dry["cpu_seconds"], None, "s", note=note))
    record(Figure("agencies import, peak RSS", real["maxrss_mib"], None, "MiB"))
    record(Figure("agencies import, dry run peak RSS", dry["maxrss_mib"], None, "MiB"))


if __name__ == "__main__":
    main()
