"""Typed values read out of a JSON object, each failure naming the object and the key."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

_MONTH_DAY = re.compile(r"\d\d-\d\d")
T = TypeVar("T")
D = TypeVar("D")


class DataError(ValueError):
    """Stored or shipped data that does not have the shape its reader needs."""


class Fields:
    """Reads the keys of `data`; `where` says whose data it is in every error."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        if not isinstance(data, Mapping):
            raise DataError(f"{where}: expected an object, got {type(data).__name__}")
        self.data = data
        self.where = where

    def error(self, key: str, problem: str) -> DataError:
        return DataError(f"{self.where}: {key!r} {problem}")

    def refuse_unknown(self, known: Collection[str]) -> None:
        for key in self.data:
            if key not in known:
                raise self.error(key, f"is not a known key (known: {', '.join(sorted(known))})")

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, read: Callable[[str], T], default: D) -> T | D:
        """`read(key)` when the key is present, else `default`."""
        return read(key) if key in self.data else default

    def _get(self, key: str, kinds: tuple[type, ...], what: str) -> Any:
        if key not in self.data:
            raise self.error(key, "is missing")
        value = self.data[key]
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise self.error(key, f"must be {what}, not {value!r}")
        return value

    def text(self, key: str) -> str:
        value: str = self._get(key, (str,), "a string")
        return value

    def integer(self, key: str) -> int:
        value: int = self._get(key, (int,), "an integer")
        return value

    def number(self, key: str) -> float:
        return float(self._get(key, (int, float), "a number"))

    def decimal(self, key: str) -> Decimal:
        """A number, or a string holding one (how decimals travel in JSON without rounding)."""
        value = self._get(key, (int, float, str), "a number")
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise self.error(key, f"must be a number, not {value!r}") from None

    def day(self, key: str) -> date:
        return _iso_day(self.text(key), self.error(key, "must be a YYYY-MM-DD date"))

    def items(self, key: str) -> list[Any]:
        value: list[Any] = self._get(key, (list, tuple), "a list")
        return list(value)

    def integers(self, key: str) -> tuple[int, ...]:
        found = self.items(key)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in found):
            raise self.error(key, f"must be a list of integers, not {found!r}")
        return tuple(found)

    def texts(self, key: str) -> tuple[str, ...]:
        found = self.items(key)
        if not all(isinstance(v, str) for v in found):
            raise self.error(key, f"must be a list of strings, not {found!r}")
        return tuple(found)

    def month_day(self, key: str) -> str:
        return _month_day(self.text(key), self.error(key, "must be an MM-DD day"))

    def month_days(self, key: str) -> tuple[str, ...]:
        fail = self.error(key, "must be a list of MM-DD days")
        return tuple(_month_day(v, fail) for v in self.texts(key))

    def days(self, key: str) -> tuple[date, ...]:
        fail = self.error(key, "must be a list of YYYY-MM-DD dates")
        return tuple(_iso_day(v, fail) for v in self.texts(key))


def _iso_day(value: str, fail: DataError) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail from None


def _month_day(value: str, fail: DataError) -> str:
    """An "MM-DD" that exists in a leap year (29 Feb is allowed)."""
    if not _MONTH_DAY.fullmatch(value):
        raise fail
    try:
        date(2024, int(value[:2]), int(value[3:]))
    except ValueError:
        raise fail from None
    return value
