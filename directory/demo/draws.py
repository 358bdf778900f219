"""The one seeded generator behind the demo data set, and the small draws every part shares."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from stdnum.cn import uscc

from directory.clock import CALENDAR_TZ, local_today
from directory.talent.models import Verification

SEED = 2017  # the year of the plan
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check_char(body: str) -> str:
    """GB 11714 check character of the 8-character organisation code inside a credit code."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else str(check % 11)


class Draws:
    """The generator, the day the set is loaded, and the values already used (kept unique).

    Every part of the set draws from this one object in a fixed order, so the same `now`
    always gives the same rows.
    """

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.now = now
        self.today = local_today(now)
        self.used: set[str] = set()

    def between(self, lo: date, hi: date) -> date:
        """A day in [lo, hi]; `hi` when the range is empty (hi is usually today)."""
        if hi <= lo:
            return hi
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def moment(self, day: date) -> datetime:
        """Office hours on `day` in Asia/Shanghai, as UTC, never after now."""
        at = datetime.combine(day, time(self.rng.randint(9, 17), self.rng.randint(0, 59)))
        return min(at.replace(tzinfo=CALENDAR_TZ).astimezone(UTC), self.now)

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def credit_code(self, prefix: str, region: str, new_style: bool) -> str:
        def make() -> str:
            digits = "0123456789"
            if new_style:  # codes issued since 2016 start "MA"
                body = "MA6" + "".join(self.rng.choice(_USCC_CHARSET) for _ in range(5))
            else:
                body = "".join(self.rng.choice(digits) for _ in range(8))
            first17 = prefix + region + body + _org_code_check_char(body)
            return first17 + uscc.calc_check_digit(first17)

        return self.unique(make)

    def verification(self, issued: date) -> tuple[Verification, datetime | None]:
        recent = (self.today - issued).days < 45
        if (recent and self.rng.random() < 0.6) or self.rng.random() < 0.06:
            return Verification.PENDING, None
        return Verification.VERIFIED, self.moment(self.between(issued, self.today))
