"""Released and unconfirmed engagement requests on the demo site's database, written in a
child process as a firm's confirmed inquiry leaves them (the test keeps no connection)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

from tortoise import Tortoise, connections

from directory.db import tortoise_config
from directory.settings import get_settings
from tests.web.site import Site


async def seed(site: Site, agency_ids: list[int], firm: str, released: bool) -> list[int]:
    """One inquiry of `firm` asking the agencies; the requests' ids."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.web.seed_requests", firm, "1" if released else "0",
        *map(str, agency_ids),
        env={**os.environ, "DATABASE_URL": site.database_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    ids: list[int] = json.loads(out.decode())
    return ids


async def _main(argv: list[str]) -> None:
    from directory.agencies.models import Agency
    from tests.engagements import make_requests

    await Tortoise.init(config=tortoise_config(get_settings()))
    try:
        agencies = [await Agency.get(id=int(a)) for a in argv[2:]]
        at = datetime.now(UTC) if argv[1] == "1" else None
        rows = await make_requests(agencies, at, firm_name=argv[0])
        print(json.dumps([r.id for r in rows]))
    finally:
        await connections.close_all()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1:]))
