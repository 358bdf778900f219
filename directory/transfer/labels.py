"""Codes and their Chinese labels, loaded once per import or export instead of once per row."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.models import Model

from directory.agencies.models import CreditGrade
from directory.reference.data import LEVELS
from directory.reference.models import (
    AgencyKind,
    Holder,
    QualificationKind,
    Region,
    ServiceType,
    TechnicalField,
)
from directory.talent.models import Degree
from directory.targets.statistics import STATISTIC_KINDS

_TABLES: dict[str, type[Model]] = {
    "region": Region,
    "agency_kind": AgencyKind,
    "service": ServiceType,
    "technical_field": TechnicalField,
    "qualification_kind": QualificationKind,
}
# Tables kept in code, not in the database: code -> (label, other spellings).
_FIXED: dict[str, dict[str, tuple[str, ...]]] = {
    "degree": {
        Degree.COLLEGE.value: ("大专", "专科"),
        Degree.BACHELOR.value: ("本科", "学士"),
        Degree.MASTER.value: ("硕士", "研究生"),
        Degree.DOCTOR.value: ("博士",),
    },
    "level": {code: (zh, *others, en) for code, (zh, others, en) in LEVELS.items()},
    "credit_grade": {grade.value: (grade.value,) for grade in CreditGrade},
    "statistic": {kind.key: (kind.name_zh, kind.name_en) for kind in STATISTIC_KINDS},
    "language": {  # ISO 639-1
        "zh": ("中文", "汉语", "普通话"),
        "en": ("英语", "英文"),
        "ja": ("日语", "日文"),
        "ko": ("韩语", "朝鲜语"),
        "fr": ("法语",),
        "de": ("德语",),
        "ru": ("俄语",),
        "es": ("西班牙语",),
    },
}


def _fold(text: str) -> str:
    return text.strip().casefold()


@dataclass
class Labels:
    """Per table: code or label (case-folded) -> code, and code -> Chinese label."""

    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    async def load(cls) -> Labels:
        labels = cls()
        for table, model in _TABLES.items():
            rows = await model.all().values_list(model._meta.pk_attr, "name_zh", "name_en")
            labels._add(table, [(code, (zh, en)) for code, zh, en in rows])
        for table, entries in _FIXED.items():
            labels._add(table, list(entries.items()))
        held = QualificationKind.filter(holder=Holder.AGENCY).order_by("position")
        rows = await held.values_list("code", "name_zh", "name_en")
        labels._add("licence_kind", [(code, (zh, en)) for code, zh, en in rows])
        return labels

    def _add(self, table: str, entries: list[tuple[str, tuple[str, ...]]]) -> None:
        codes: dict[str, str] = {}
        claimed: dict[str, set[str]] = {}
        for code, spellings in entries:
            codes[_fold(code)] = code
            for spelling in spellings:
                claimed.setdefault(_fold(spelling), set()).add(code)
        for spelling, owners in claimed.items():
            if len(owners) == 1 and spelling not in codes:  # ambiguous labels name nothing
                codes[spelling] = next(iter(owners))
        self.codes[table] = codes
        self.names[table] = {code: spellings[0] for code, spellings in entries}

    def known(self) -> dict[type[Model], frozenset[str]]:
        """The codes of each reference table, for `validation.known_codes`."""
        return {model: frozenset(self.names[table]) for table, model in _TABLES.items()}

    def code(self, table: str, text: str) -> str:
        """The code a cell names; the text itself when it names none (the services refuse it)."""
        return self.codes[table].get(_fold(text), text.strip())

    def in_order(self, table: str, codes: list[str]) -> list[str]:
        """The codes in the order of their reference list (unknown ones last)."""
        order = {code: i for i, code in enumerate(self.names[table])}
        return sorted(codes, key=lambda c: (order.get(c, len(order)), c))

    def name(self, table: str, code: str) -> str:
        """The Chinese label of a code, for exports; the code itself when it has none."""
        return self.names[table].get(code, code)
