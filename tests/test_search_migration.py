"""Migrating gives names stored before the readings existed those that new writes compute.

It runs in a child process on a database of its own (a SQLite file, or a scratch PostgreSQL
database beside the test one): migrating there must not disturb the test server's ORM state
in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tortoise import connections

_ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = """
import asyncio, json, sys
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate
from directory.db import tortoise_config
from directory.settings import Settings

async def main(url):
    config = tortoise_config(Settings(database_url=url))
    await migrate(config=config, target="directory.0001_initial")
    await Tortoise.init(config=config)
    await connections.get("default").execute_script('''
      INSERT INTO region (code, name_zh, name_en, level)
      VALUES ('511921', '通江县', 'Tongjiang', 'county');
      INSERT INTO agency (name, name_en, credit_code, status, verified, office_region_id, address,
        description, contact_name, contact_phone, contact_email, website, version, created_at,
        updated_at)
      VALUES ('通江银耳专利事务所', 'Tongjiang Tremella Patent', '91511921MA0000001X', 'active', TRUE,
        '511921', '', '', '', '', '', '', 1, '2026-01-01', '2026-01-01');
      INSERT INTO practitioner (name, status, major, languages, phone, personal_email, id_number,
        employer, version, created_at, updated_at)
      VALUES ('單麗', 'active', '', '[]', '', '', '', '', 1, '2026-01-01', '2026-01-01');
    ''')
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    conn = connections.get("default")
    found = {
        table: await conn.execute_query_dict(
            f'SELECT search_name, search_pinyin, search_initials FROM "{table}"'
        )
        for table in ("agency", "practitioner")
    }
    await Tortoise.close_connections()
    print(json.dumps(found))

asyncio.run(main(sys.argv[1]))
"""


@asynccontextmanager
async def _scratch_database(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the backend under test, dropped afterwards."""
    if os.environ.get("IPDIR_TEST_DB", "sqlite") != "postgres":
        yield f"sqlite://{tmp_path / 'old.sqlite3'}"
        return
    url = os.environ["IPDIR_TEST_POSTGRES_URL"]
    name = f"ipdir_migration_{os.getpid()}"
    admin = connections.get("default")  # the test server's: it may create databases
    await admin.execute_script(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute_script(f'CREATE DATABASE "{name}"')
    try:
        yield f"{url.rsplit('/', 1)[0]}/{name}"
    finally:
        await admin.execute_script(f'DROP DATABASE IF EXISTS "{name}"')


async def test_existing_rows_get_their_readings(server, tmp_path: Path):
    async with _scratch_database(tmp_path) as url:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _SCRIPT,
            url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=_ROOT,
        )
        out, err = await asyncio.wait_for(child.communicate(), timeout=120)
    assert child.returncode == 0, err.decode()
    found = json.loads(out.decode().strip().splitlines()[-1])
    assert found["agency"] == [
        {
            "search_name": "通江银耳专利事务所|tongjiang tremella patent",
            "search_pinyin": "tongjiangyinerzhuanlishiwusuo|tongjiangtremellapatent",
            "search_initials": "tjyezlsws",
        }
    ]
    # stored in traditional characters: read as the simplified 单丽, the surname as a surname
    assert found["practitioner"] == [
        {"search_name": "单丽", "search_pinyin": "shanli|danli", "search_initials": "sl|dl"}
    ]
