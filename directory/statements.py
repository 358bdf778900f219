"""The SQL statements the ORM sends: the tests count them (no N+1), `bench/` replays them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

_LOGGER = "tortoise.db_client"  # Tortoise logs every statement here at DEBUG


class Statement(NamedTuple):
    sql: str
    values: list[Any]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[Statement] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if record.msg == "%s: %s" and isinstance(args, tuple) and len(args) == 2:
            values = args[1]
            self.statements.append(
                Statement(str(args[0]), list(values) if isinstance(values, list) else [])
            )
        elif "connection pool" not in record.getMessage():  # opening a pool sends nothing
            self.statements.append(Statement(record.getMessage(), []))


@contextmanager
def collect_sql() -> Iterator[list[Statement]]:
    """Every statement the ORM sends while the block runs, with its parameters, in order."""
    logger = logging.getLogger(_LOGGER)
    collector = _Collector()
    old_level = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        yield collector.statements
    finally:
        logger.removeHandler(collector)
        logger.setLevel(old_level)
