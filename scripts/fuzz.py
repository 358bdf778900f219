"""scripts/fuzz: schemathesis over every GraphQL operation of `ipdir serve --demo`.

Two passes, half the time each: anonymous, then with a bureau token. Findings:
- any HTTP 5xx, "Unexpected error." or GraphQL error without a typed `extensions.code` (the
  check in fuzz_hooks.py; typed refusals such as UNAUTHENTICATED do not count);
- a write by a refused mutation: anonymous, every mutation but `submitReview` is refused, so
  the domain tables are dumped before and after the anonymous pass and must be the same except
  for reviews and their audit entries.
Exit 0 when there is none, 1 otherwise, with what was found on standard output.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from directory.db import DOMAIN_TABLES  # noqa: E402
from directory.serving import demo_process, free_port  # noqa: E402
from tests.web.accounts import bureau_secret, graphql  # noqa: E402
from tests.web.site import Site  # noqa: E402

HOOKS = Path(__file__).with_name("fuzz_hooks.py")
# Revoking tokens by generated ids would soon revoke the pass's own; anonymous, it is fuzzed.
BUREAU_EXCLUDED = ["--exclude-name", "Mutation.revokeToken"]
CHECKS = "typed_errors_only"  # fuzz_hooks.py says why not schemathesis' not_a_server_error
# What an anonymous client may write: a review (submitReview) and its audit entry.
# (Rows hold each value's repr.)
ANONYMOUS_WRITES: dict[str, Callable[[dict[str, str]], bool]] = {
    "review": lambda row: True,
    "audit_entry": lambda row: row["entity_type"] == repr("review"),
}
# The fuzz server takes thousands of requests from one address: no rate limits.
SERVER_ENV = {"REVIEW_RATE_LIMIT": "0", "MATCH_RATE_LIMIT": "0"}

Rows = dict[str, list[tuple[tuple[str, str], ...]]]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(os.environ.get("IPDIR_FUZZ_SECONDS", "300")),
        help="fuzzing time in all, both passes (default: IPDIR_FUZZ_SECONDS, else 300)",
    )
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    if args.seconds < 2:
        parser.error("--seconds is at least 2 (one a pass)")
    return args


async def _dump(database_url: str) -> Rows:
    """Every row of every domain table, as sorted (column, value) pairs."""
    from tortoise import Tortoise, connections

    from directory.db import tortoise_config
    from directory.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(database_url=database_url)))
    try:
        conn = connections.get("default")
        dump: Rows = {}
        for table in DOMAIN_TABLES:
            rows = await conn.execute_query_dict(f'SELECT * FROM "{table}"')
            dump[table] = sorted(
                tuple(sorted((k, repr(v)) for k, v in row.items())) for row in rows
            )
        return dump
    finally:
        await Tortoise.close_connections()


def _unexpected_writes(before: Rows, after: Rows) -> list[str]:
    """The rows an anonymous client should not have been able to add, change or delete."""
    found = []
    for table in DOMAIN_TABLES:
        old, new = set(before[table]), set(after[table])
        allowed = ANONYMOUS_WRITES.get(table)
        for row in sorted(old - new):
            found.append(f"{table}: row gone or changed: {dict(row)}")
        for row in sorted(new - old):
            values = dict(row)
            if allowed is None or not allowed(values):
                found.append(f"{table}: row written: {values}")
    return found


async def _still_bureau(site: Site, token: str) -> bool:
    try:
        data = await graphql(site, "{ viewer { role } }", token=token)
    except AssertionError:
        return False
    return bool(data["viewer"]["role"] == "BUREAU")


async def _schemathesis(url: str, seconds: int, options: list[str], tmp: str) -> int:
    """`st run` over every operation; its report goes to standard output; its exit code."""
    st = Path(sys.executable).with_name("st")
    process = await asyncio.create_subprocess_exec(
        str(st),
        "run",
        url,
        "--checks",
        CHECKS,
        "--max-time",
        str(seconds),
        "--no-color",
        *options,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        cwd=tmp,  # its cache of crashes stays out of the repository
    )
    return await process.wait()


async def main() -> int:
    args = _arguments()
    os.environ.update(SERVER_ENV)
    redis_url = os.environ.get("REDIS_URL") or f"redis://127.0.0.1:{free_port()}/0"
    findings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ipdir-fuzz-") as tmp:
        database_url = args.database_url or f"sqlite://{Path(tmp) / 'fuzz.sqlite3'}"
        port = free_port()
        url = f"http://127.0.0.1:{port}/graphql"
        async with demo_process(database_url, port, redis_url, Path(tmp) / "serve.log"):
            site = Site(url=f"http://127.0.0.1:{port}", database_url=database_url)
            token = await bureau_secret(site, name="fuzz")
            first = args.seconds // 2

            print(f"== anonymous, {first} s", flush=True)
            before = await _dump(database_url)
            if await _schemathesis(url, first, [], tmp) != 0:
                findings.append("anonymous: schemathesis found failures (see its report above)")
            after = await _dump(database_url)
            reviews = len(set(after["review"]) - set(before["review"]))
            print(f"== anonymous: {reviews} review(s) submitted, other tables compared", flush=True)
            writes = _unexpected_writes(before, after)
            findings += [f"anonymous: refused mutation wrote: {w}" for w in writes]

            print(f"== bureau, {args.seconds - first} s", flush=True)
            bureau = ["--header", f"Authorization: Bearer {token}", *BUREAU_EXCLUDED]
            if await _schemathesis(url, args.seconds - first, bureau, tmp) != 0:
                findings.append("bureau: schemathesis found failures (see its report above)")
            if not await _still_bureau(site, token):
                findings.append("bureau: the token stopped working during the pass")
    if findings:
        print(f"== {len(findings)} finding(s):")
        print("\n".join(findings))
        return 1
    print("== no findings: no HTTP 5xx, no unexpected error, no write by a refused mutation")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
