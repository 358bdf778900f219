"""Long lists of values sent a part at a time, so that no statement passes a driver's limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
CHUNK = 500  # values in one `IN (...)` or rows in one batch, well under SQLite's parameter limit


def chunks(values: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """Parts of `size` values (CHUNK unless given), in order."""
    size = size or CHUNK
    for start in range(0, len(values), size):
        yield values[start : start + size]
