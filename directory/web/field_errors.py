"""The API's refusals in the words of the pages: one Chinese message per error code.

Mutations answer `MutationError` with every problem's `code` and `field` (the API's input
names, which the forms use as their field names too), so a problem lands next to its field.
Problems of no field on the form (a stale version, a refused permission) are shown on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# code: (Chinese, English)
_BY_CODE: dict[str, tuple[str, str]] = {
    "INVALID_INPUT": ("内容不符合要求", "not a valid value"),
    "UNKNOWN_CODE": ("不是可选的项目", "not one of the choices"),
    "INVALID_ID": ("编号无效", "not a valid id"),
    "UNAUTHENTICATED": ("登录已失效，请重新登录", "please sign in again"),
    "FORBIDDEN": (
        "无权进行此操作：机构管理员只能修改本机构的信息",
        "not allowed: an administrator may only change its own agency",
    ),
    "NOT_FOUND": ("找不到这条记录，可能已被删除", "no such record; it may have been removed"),
    "REQUIRED": ("此项必填", "required"),
    "TOO_LONG": ("内容太长", "too long"),
    "OUT_OF_RANGE": ("超出允许的范围", "out of range"),
    "INVALID_CREDIT_CODE": ("不是有效的统一社会信用代码", "not a valid unified social credit code"),
    "INVALID_ID_NUMBER": ("不是有效的居民身份证号码", "not a valid resident ID number"),
    "INVALID_PHONE": (
        "不是有效的电话号码（如 0827-5261234 或 13912345678）",
        "not a valid phone number",
    ),
    "INVALID_EMAIL": ("不是有效的电子邮箱地址", "not a valid e-mail address"),
    "INVALID_URL": ("网址须以 http:// 或 https:// 开头", "must start with http:// or https://"),
    "ADDRESS_NOT_ALLOWED": (
        "地址不允许：须是公网 https 地址，不能指向本机、内网或保留地址",
        "address not allowed: a public https address, not loopback, private or reserved",
    ),
    "INVALID_DATE": ("日期不合理（不能晚于今天，或先后顺序不对）", "the date is not possible"),
    "DUPLICATE": ("已有相同的记录", "such a record exists already"),
    "RATE_LIMITED": ("请求过于频繁，请稍后再试", "too many requests: please try again shortly"),
    "UNAVAILABLE": (
        "数据库暂时不可用，请稍后再试",
        "the database is unavailable: try again shortly",
    ),
    "QUALIFICATION_REQUIRED": (
        "须先持有有效的前置资格",
        "another valid qualification is needed first",
    ),
    "INTERNSHIP_REQUIRED": ("实习时间不足", "the internship recorded is too short"),
    "CONFLICT": (
        "保存失败：这条记录刚被别人修改过。您填写的内容仍保留在下面，"
        "请核对当前保存的内容后再次保存。",
        "Not saved: someone else changed this record meanwhile. What you typed is kept below; "
        "check the saved values and save again.",
    ),
    "EXPIRED": ("链接已过期", "the link has expired"),
    "INVALID_STATE": ("当前状态下不能这样做", "not possible in the current state"),
    "PAGE_SIZE_EXCEEDED": ("一次请求的条数太多", "too many rows asked for"),
    "INVALID_CURSOR": ("翻页位置无效，请从第一页开始", "invalid page position"),
    "COST_LIMIT_EXCEEDED": (
        "一次查询的内容太多，请分页查看",
        "the query asks for too much at once",
    ),
    "TIME_LIMIT_EXCEEDED": ("查询用时太长，已停止，请稍后再试", "the query took too long"),
    "RESPONSE_TOO_LARGE": ("答复内容太多，请分页查看", "the answer is too large"),
    "REQUEST_TOO_LARGE": ("提交的内容太大", "what was sent is too large"),
}
_FALLBACK = ("内容有误", "invalid")
_GENERAL_FIELDS = frozenset({"version", "id", "authorization", "input", ""})


def describe(code: str, lang: str = "zh") -> str:
    zh, en = _BY_CODE.get(code, _FALLBACK)
    return en if lang == "en" else zh


@dataclass
class FormErrors:
    """Messages by form field, and those about the whole form."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, code: str, name: str | None, lang: str = "zh") -> None:
        self.codes.add(code)
        message = describe(code, lang)
        name = (name or "").removeprefix("input.")
        if name in _GENERAL_FIELDS:
            if message not in self.general:
                self.general.append(message)
        else:
            self.fields.setdefault(name, message)

    def merge(self, other: FormErrors) -> None:
        for name, message in other.fields.items():
            self.fields.setdefault(name, message)
        self.general.extend(m for m in other.general if m not in self.general)
        self.codes |= other.codes

    @property
    def conflict(self) -> bool:
        return "CONFLICT" in self.codes


def from_mutation_error(error: Mapping[str, Any], lang: str = "zh") -> FormErrors:
    """A `MutationError` (code, field, problems) as messages by field."""
    found = FormErrors()
    problems: Iterable[Mapping[str, Any]] = error.get("problems") or [error]
    for problem in problems:
        found.add(str(problem["code"]), problem.get("field"), lang)
    return found
