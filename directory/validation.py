"""Input checks shared by mutations and imports; problems are collected, then raised at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.cn import ric, uscc
from tortoise.models import Model

from directory.errors import ErrorCode, Problem, Rejected, api_name

# Reference codes preloaded by a bulk import, so that checking thousands of rows does not ask
# the database the same question each time; unset everywhere else.
_KNOWN_CODES: ContextVar[dict[type[Model], frozenset[str]] | None] = ContextVar(
    "known_codes", default=None
)


@contextmanager
def known_codes(tables: dict[type[Model], frozenset[str]]) -> Iterator[None]:
    """Within the block, `Checker.codes` looks these tables' codes up here, not in the database."""
    token = _KNOWN_CODES.set(tables)
    try:
        yield
    finally:
        _KNOWN_CODES.reset(token)


def e164_phone(raw: str) -> str | None:
    """A phone number as dialled in China (0827-5261234, 139...) in E.164 form, or None."""
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@dataclass
class Checker:
    """Collects problems of one input; `done()` raises them all together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, code: ErrorCode, name: str, message: str) -> None:
        self.problems.append(Problem(code, name, message))

    def require(self, name: str) -> None:
        self.add(ErrorCode.REQUIRED, name, f"{api_name(name)} is required")

    def done(self) -> None:
        if self.problems:
            raise Rejected(self.problems)

    def text(self, name: str, value: str | None, max_length: int, required: bool = False) -> str:
        """The value trimmed; REQUIRED when empty but needed, TOO_LONG past max_length."""
        cleaned, label = (value or "").strip(), api_name(name)
        if required and not cleaned:
            self.require(name)
        elif len(cleaned) > max_length:
            self.add(ErrorCode.TOO_LONG, name, f"{label} is longer than {max_length} characters")
        elif any(ord(c) < 32 and c not in "\n\t" for c in cleaned):
            self.add(ErrorCode.INVALID_INPUT, name, f"{label} contains control characters")
        return cleaned

    def credit_code(self, name: str, value: str | None) -> str:
        """A unified social credit code (GB 32100-2015) with a correct check character."""
        cleaned = (value or "").strip().upper()
        if not uscc.is_valid(cleaned):
            self.add(
                ErrorCode.INVALID_CREDIT_CODE,
                name,
                "not a valid unified social credit code (18 characters with a check character)",
            )
        return cleaned

    def id_number(self, name: str, value: str | None) -> str:
        """A mainland resident ID number; empty is allowed (not every record has one)."""
        cleaned = (value or "").strip().upper()
        if cleaned and not ric.is_valid(cleaned):
            self.add(ErrorCode.INVALID_ID_NUMBER, name, "not a valid mainland resident ID number")
        return cleaned

    def phone(self, name: str, value: str | None) -> str:
        """A Chinese phone number in E.164 form; empty is allowed."""
        raw = (value or "").strip()
        if not raw:
            return ""
        normalised = e164_phone(raw)
        if normalised is None:
            self.add(ErrorCode.INVALID_PHONE, name, "not a valid phone number")
            return raw
        return normalised

    def email(self, name: str, value: str | None) -> str:
        """A syntactically valid e-mail address (no DNS look-up); empty is allowed."""
        raw = (value or "").strip()
        if not raw:
            return ""
        try:
            return validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            self.add(ErrorCode.INVALID_EMAIL, name, str(exc))
            return raw

    def url(self, name: str, value: str | None) -> str:
        raw = (value or "").strip()
        if raw and (urlsplit(raw).scheme not in ("http", "https") or not urlsplit(raw).netloc):
            self.add(ErrorCode.INVALID_URL, name, "must be an http(s) address")
        elif len(raw) > 200:
            self.add(ErrorCode.TOO_LONG, name, f"{api_name(name)} is longer than 200 characters")
        return raw

    def date_order(self, first: str, early: date | None, second: str, late: date | None) -> None:
        if early is not None and late is not None and late <= early:
            message = f"{api_name(second)} must come after {api_name(first)}"
            self.add(ErrorCode.INVALID_DATE, second, message)

    def not_future(self, name: str, value: date | None, today: date) -> None:
        if value is not None and value > today:
            self.add(ErrorCode.INVALID_DATE, name, f"{api_name(name)} cannot be in the future")

    def hours(self, name: str, value: Decimal | str | float, maximum: Decimal) -> Decimal:
        label = api_name(name)
        try:
            hours = Decimal(str(value))
        except InvalidOperation:
            self.add(ErrorCode.INVALID_INPUT, name, f"{label} must be a number")
            return Decimal(0)
        if not hours.is_finite() or hours <= 0 or hours > maximum:
            self.add(ErrorCode.OUT_OF_RANGE, name, f"{label} must be above 0 and at most {maximum}")
        elif hours != hours.quantize(Decimal("0.1")):
            self.add(ErrorCode.OUT_OF_RANGE, name, f"{label} is recorded to a tenth of an hour")
        return hours

    async def codes(self, model: type[Model], name: str, codes: Iterable[str]) -> list[str]:
        """The codes, de-duplicated in order; UNKNOWN_CODE for any the table lacks."""
        wanted = list(dict.fromkeys(c.strip() for c in codes))
        if not wanted:
            return []
        pk_field = model._meta.fields_map[model._meta.pk_attr]
        limit = getattr(pk_field, "max_length", 40)
        # Only well-formed candidates reach the database; the rest are unknown by definition.
        candidates = [c for c in wanted if c and len(c) <= limit and c.isprintable()]
        known: Iterable[str] = set()
        preloaded = (_KNOWN_CODES.get() or {}).get(model)
        if preloaded is not None:
            known = preloaded
        elif candidates:
            rows = await model.filter(pk__in=candidates).values_list(model._meta.pk_attr, flat=True)
            known = {str(r) for r in rows}
        for code in wanted:
            if code not in known:
                message = f"no {api_name(name)} has the code {code[:40]!r}"
                self.add(ErrorCode.UNKNOWN_CODE, name, message)
        return wanted
