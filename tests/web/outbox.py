"""The demo site's outbox and engagement requests, reached as the worker would reach them.

`deliver` sends the site's due outbox once, as the worker's delivery job does, in a child
process on the site's database (the test process keeps no connection to it), to the test's
SMTP server. `set_request_state` plays the agency's side of a request where a test needs it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from tortoise import Tortoise, connections

from directory.clock import system_clock
from directory.db import tortoise_config
from directory.settings import get_settings
from tests.web.site import Site


async def _child(argv: list[str]) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.web.outbox",
        *argv,
        env={
            **os.environ,
            "DATABASE_URL": os.environ["SITE_DATABASE_URL"],
            "SMTP_HOST": "127.0.0.1",
            "SMTP_TLS": "off",
            "SMTP_FROM": "ipdir@example.gov.cn",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def deliver(site: Site, smtp_port: int) -> dict[str, int]:
    """Send the site's due outbox once; how many were sent, retried and failed."""
    os.environ["SITE_DATABASE_URL"] = site.database_url
    os.environ["SMTP_PORT"] = str(smtp_port)
    report: dict[str, int] = json.loads(await _child(["deliver"]))
    return report


async def set_request_state(site: Site, request_id: int, state: str) -> None:
    """The agency's answer, written as its side would (answered now)."""
    os.environ["SITE_DATABASE_URL"] = site.database_url
    await _child(["state", str(request_id), state])


async def _main(argv: list[str]) -> None:
    from directory.engagements.models import EngagementRequest, RequestState
    from directory.reminders.delivery import deliver as send_outbox

    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings))
    try:
        if argv[0] == "deliver":
            done = await send_outbox(system_clock, settings)
            print(json.dumps({"sent": done.sent, "retried": done.retried, "failed": done.failed}))
        else:
            await EngagementRequest.filter(id=int(argv[1])).update(
                state=RequestState(argv[2]), answered_at=system_clock()
            )
    finally:
        await connections.close_all()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1:]))
