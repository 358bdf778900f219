"""Apply pending migrations, bring reference data up to date and add the plan's targets."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate as migrate_api

from directory.db import tortoise_config
from directory.matching import store as match_facts
from directory.reference.sync import sync_reference_data
from directory.responsecache import generation
from directory.retired import retire_old_codes
from directory.settings import Settings
from directory.targets.plan import ensure_plan_targets


async def migrate(settings: Settings) -> None:
    """Idempotent: safe at every start of the API, the worker and the CLI."""
    config = tortoise_config(settings)
    await migrate_api(config=config)
    # Tortoise caches each table's INSERT and UPDATE statements by table name; a migration's
    # data step (RunPython) fills that cache from the model as it stood then, which would
    # leave later columns out of every insert in this process.
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=config)
    try:
        await sync_reference_data()
        await retire_old_codes()
        await ensure_plan_targets()
        await match_facts.fill_missing()  # agencies written in bulk since the last migrate
        # Tables a later migration added are watched too; answers kept by the code as it was
        # before this migrate are not served again.
        await generation.install(connections.get("default"))
        await generation.bump()
    finally:
        await Tortoise.close_connections()
