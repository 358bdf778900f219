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

from directory.errors import ErrorCode, Problem, Rejected, api_name, says
from directory.labels import label

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
        self.add(
            ErrorCode.REQUIRED,
            name,
            says(f"{label(name)}为必填项", f"{api_name(name)} is required"),
        )

    def done(self) -> None:
        if self.problems:
            raise Rejected(self.problems)

    def text(self, name: str, value: str | None, max_length: int, required: bool = False) -> str:
        """The value trimmed; REQUIRED when empty but needed, TOO_LONG past max_length."""
        cleaned, zh, en = (value or "").strip(), label(name), api_name(name)
        if required and not cleaned:
            self.require(name)
        elif len(cleaned) > max_length:
            message = says(
                f"{zh}不能超过 {max_length} 个字", f"{en} is longer than {max_length} characters"
            )
            self.add(ErrorCode.TOO_LONG, name, message)
        elif any(ord(c) < 32 and c not in "\n\t" for c in cleaned):
            message = says(f"{zh}含有控制字符", f"{en} contains control characters")
            self.add(ErrorCode.INVALID_INPUT, name, message)
        return cleaned

    def credit_code(self, name: str, value: str | None) -> str:
        """A unified social credit code (GB 32100-2015) with a correct check character."""
        cleaned = (value or "").strip().upper()
        if not uscc.is_valid(cleaned):
            self.add(
                ErrorCode.INVALID_CREDIT_CODE,
                name,
                says(
                    "不是有效的统一社会信用代码：须为 18 位，末位为校验码",
                    "not a valid unified social credit code (18 characters with a check character)",
                ),
            )
        return cleaned

    def id_number(self, name: str, value: str | None) -> str:
        """A mainland resident ID number; empty is allowed (not every record has one)."""
        cleaned = (value or "").strip().upper()
        if cleaned and not ric.is_valid(cleaned):
            message = says("不是有效的居民身份证号码", "not a valid mainland resident ID number")
            self.add(ErrorCode.INVALID_ID_NUMBER, name, message)
        return cleaned

    def phone(self, name: str, value: str | None) -> str:
        """A Chinese phone number in E.164 form; empty is allowed."""
        raw = (value or "").strip()
        if not raw:
            return ""
        normalised = e164_phone(raw)
        if normalised is None:
            message = says(
                f"{label(name)}不是有效的电话号码，如 0827-5261234 或 13912345678",
                "not a valid phone number",
            )
            self.add(ErrorCode.INVALID_PHONE, name, message)
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
            self.add(
                ErrorCode.INVALID_EMAIL,
                name,
                says(f"{label(name)}不是有效的电子邮箱地址", str(exc)),
            )
            return raw

    def url(self, name: str, value: str | None) -> str:
        raw = (value or "").strip()
        if raw and (urlsplit(raw).scheme not in ("http", "https") or not urlsplit(raw).netloc):
            message = says(
                f"{label(name)}须以 http:// 或 https:// 开头", "must be an http(s) address"
            )
            self.add(ErrorCode.INVALID_URL, name, message)
        elif len(raw) > 200:
            message = says(
                f"{label(name)}不能超过 200 个字", f"{api_name(name)} is longer than 200 characters"
            )
            self.add(ErrorCode.TOO_LONG, name, message)
        return raw

    def date_order(self, first: str, early: date | None, second: str, late: date | None) -> None:
        if early is not None and late is not None and late <= early:
            message = says(
                f"{label(second)}须晚于{label(first)}",
                f"{api_name(second)} must come after {api_name(first)}",
            )
            self.add(ErrorCode.INVALID_DATE, second, message)

    def not_future(self, name: str, value: date | None, today: date) -> None:
        if value is not None and value > today:
            message = says(
                f"{label(name)}不能晚于今天", f"{api_name(name)} cannot be in the future"
            )
            self.add(ErrorCode.INVALID_DATE, name, message)

    def hours(self, name: str, value: Decimal | str | float, maximum: Decimal) -> Decimal:
        zh, en = label(name), api_name(name)
        try:
            hours = Decimal(str(value))
        except InvalidOperation:
            self.add(ErrorCode.INVALID_INPUT, name, says(f"{zh}须为数字", f"{en} must be a number"))
            return Decimal(0)
        if not hours.is_finite() or hours <= 0 or hours > maximum:
            message = says(
                f"{zh}须大于 0 且不超过 {maximum}", f"{en} must be above 0 and at most {maximum}"
            )
            self.add(ErrorCode.OUT_OF_RANGE, name, message)
        elif hours != hours.quantize(Decimal("0.1")):
            message = says(f"{zh}最多记到小数点后一位", f"{en} is recorded to a tenth of an hour")
            self.add(ErrorCode.OUT_OF_RANGE, name, message)
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
                message = says(
                    f"{label(name)}没有代码为 {code[:40]!r} 的项目",
                    f"no {api_name(name)} has the code {code[:40]!r}",
                )
                self.add(ErrorCode.UNKNOWN_CODE, name, message)
        return wanted
