"""Ranking agencies for a need: hard rules first, then a weighted score. Pure: no database.

Every component scores one agency on its own data and on the need, never against the other
candidates (no "divide by the best"), so adding or removing one agency cannot reorder the
others, and a better fact (a higher rating, a nearer office) never lowers a rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from directory.engagements.responsiveness import Responsiveness, raw_value, shrunk_value
from directory.matching.facts import Candidate, Match, Need, Person, Reason, Sector
from directory.matching.hard_rules import allowed
from directory.matching.words import field_terms, major_in_field, quoted, terms
from directory.reference.codes import region_prefix
from directory.reference.service_rules import NO_RULE
from directory.reviews.rating import shrunk_rating

# The one place the weights live. They add up to 1; a component the need does not ask about
# (no field, no text, no language) is left out and the others are scaled up to add up to 1.
# Responsiveness came last: the others keep nine tenths of what they weighed before it, so
# agencies alike in it (none has requests yet) keep the order they had.
WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "coverage": 0.135,
        "field": 0.18,
        "text": 0.09,
        "proximity": 0.18,
        "reputation": 0.135,
        "verified": 0.072,
        "capacity": 0.063,
        "language": 0.045,
        "responsiveness": 0.10,
    }
)
LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "coverage": ("服务覆盖", "Service coverage"),
        "field": ("领域专长", "Field expertise"),
        "text": ("需求描述相符", "Matches the description"),
        "proximity": ("距离", "Proximity"),
        "reputation": ("口碑", "Reputation"),
        "verified": ("市局核验", "Verified by the bureau"),
        "capacity": ("执业力量", "Capacity"),
        "language": ("语言", "Language"),
        "responsiveness": ("响应及时", "Responsiveness"),
    }
)
# An office in the firm's county is registered (its address is on the licence); a region served
# is only what the agency says of itself, so it counts for less, though more than an office
# elsewhere in the city.
PROXIMITY: Mapping[str, float] = MappingProxyType(
    {"local": 1.0, "served": 0.75, "city": 0.6, "province": 0.3, "elsewhere": 0.0}
)
_PLACES = {
    "local": ("办公地在所在县区", "office in the firm's county or district"),
    "served": ("服务范围覆盖所在地区", "serves the firm's area"),
    "city": ("办公地在同一市", "office in the same city"),
    "province": ("办公地在同一省", "office in the same province"),
    "elsewhere": ("办公地在外省", "office in another province"),
}
# 专利代理机构信用评价 (the national office's credit evaluation of patent agencies, published
# as A+/A/B/C/D): the value of each grade in reputation, where it makes up GRADE_SHARE and the
# shrunk rating of reviews the rest. The grades are official; their values here are ours
# (roughly the grade's score band over 100), so the bureau may tune them. An agency without a
# grade (not a patent agency, or not graded yet) is judged on its reviews alone.
CREDIT_GRADES: Mapping[str, float] = MappingProxyType(
    {"A+": 1.0, "A": 0.85, "B": 0.65, "C": 0.35, "D": 0.0}
)
GRADE_SHARE = 0.4  # of the reputation value, when the agency has a grade
FIELD_AGENCY_SHARE = 0.4  # of the field value: the agency lists the field; the rest: its experts
CAPACITY_HALF = 3  # qualified practitioners at which capacity is worth 0.5
TEXT_FULL = 3  # distinct words of the need found in a profile for full marks


@dataclass(frozen=True, slots=True)
class _Assessed:
    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...]
    qualified: tuple[Person, ...]
    missing: tuple[str, ...]


def rank(need: Need, candidates: Iterable[Candidate], sector: Sector) -> list[Match]:
    """Agencies that pass the hard rules, best first; ties go to the lower agency id.

    Hard rules: the agency is active, and it offers each service asked for and may do so by
    law (`hard_rules.allowed`: its licences and its qualified people, valid today). When no
    agency covers every service, those that cover the most are answered, flagged as partial.
    Agencies on the abnormal-operation list come after all the others, in score order.
    """
    ranking = Ranking(need, sector)
    ranking.add(candidates)
    return ranking.matches()


class Ranking:
    """`rank` of candidates that come a batch at a time, each assessed once."""

    def __init__(self, need: Need, sector: Sector) -> None:
        self.need = need
        self.sector = sector
        self.weights = effective_weights(need)  # the same for every candidate
        self._assessed: dict[int, _Assessed] = {}

    def add(self, candidates: Iterable[Candidate]) -> None:
        for c in candidates:
            if c.id in self._assessed:
                continue
            if assessed := _assess(self.need, c, self.sector, self.weights):
                self._assessed[c.id] = assessed

    def score(self, agency_id: int) -> float:
        """The unrounded score of an agency ranked (`matches` orders by it)."""
        return self._assessed[agency_id].score

    def matches(self) -> list[Match]:
        assessed = self._assessed.values()
        if not assessed:
            return []
        fewest_missing = min(len(a.missing) for a in assessed)
        kept = sorted(
            (a for a in assessed if len(a.missing) == fewest_missing),
            key=lambda a: (a.candidate.abnormal, -a.score, a.candidate.id),
        )
        return [
            Match(
                agency_id=a.candidate.id,
                rank=position,
                score=round(a.score, 4),
                reasons=a.reasons,
                qualified=tuple(p.id for p in sorted(a.qualified, key=lambda p: (p.name, p.id))),
                missing_services=a.missing,
                abnormal=a.candidate.abnormal,
            )
            for position, a in enumerate(kept, start=1)
        ]


def effective_weights(need: Need) -> dict[str, float]:
    """The weights for this need: unasked components at 0, the rest scaled to add up to 1."""
    asked = {
        "field": need.field is not None,
        "text": bool(terms(need.text)),
        "language": need.language is not None,
    }
    used = {code: w for code, w in WEIGHTS.items() if asked.get(code, True)}
    total = sum(used.values())
    return {code: used.get(code, 0.0) / total for code in WEIGHTS}


def proximity(firm: str, office: str, served: Iterable[str]) -> str:
    """How near an agency is: local, served, city, province or elsewhere."""
    if office.startswith(region_prefix(firm)):
        return "local"
    # A served city includes its counties; a whole served province is not presence.
    if any(not s.endswith("0000") and firm.startswith(region_prefix(s)) for s in served):
        return "served"
    if not firm.endswith("0000") and office[:4] == firm[:4]:
        return "city"
    return "province" if office[:2] == firm[:2] else "elsewhere"


def _assess(
    need: Need, c: Candidate, sector: Sector, weights: Mapping[str, float]
) -> _Assessed | None:
    if not c.active:
        return None
    people = [p for p in c.people if p.active]
    wanted = tuple(dict.fromkeys(need.services))
    covered: list[str] = []
    licensed: dict[int, Person] = {}
    for service in wanted:
        if service not in c.services:
            continue
        holders = allowed(sector.rules.get(service, NO_RULE), c, people, sector.today)
        if holders is None:
            continue  # the law does not let this agency offer it
        covered.append(service)
        licensed.update((p.id, p) for p in holders)
    if not covered:
        return None
    # Who qualifies the agency: the people the law asks for; when it asks for nobody, everyone.
    qualified = tuple(licensed.values()) if licensed else tuple(people)
    found = {
        "coverage": _coverage(len(covered), len(wanted)),
        "field": _field(need, c, qualified, sector),
        "text": _text(need, c, sector),
        "proximity": _proximity(need, c),
        "reputation": _reputation(c, sector),
        "verified": _verified(c.verified),
        "capacity": _capacity(len(qualified)),
        "language": _language(need, qualified),
        "responsiveness": _responsiveness(c.responsiveness, sector.responsiveness),
    }
    reasons = tuple(
        Reason(code, *LABELS[code], round(weights[code], 4), round(value, 4), zh, en)
        for code, (value, zh, en) in found.items()
    )
    score = sum(weights[code] * value for code, (value, _, _) in found.items())
    missing = tuple(s for s in wanted if s not in covered)
    return _Assessed(c, min(max(score, 0.0), 1.0), reasons, qualified, missing)


_Found = tuple[float, str, str]  # value, why in Chinese, why in English


def _coverage(covered: int, wanted: int) -> _Found:
    zh, en = f"提供所需 {wanted} 项服务中的 {covered} 项", f"offers {covered} of {wanted} asked"
    return covered / wanted, zh, en


def _field(need: Need, c: Candidate, qualified: Iterable[Person], sector: Sector) -> _Found:
    if need.field is None:
        return 0.0, "未指定领域", "no field asked"
    name = sector.field_names.get(need.field, "")
    experts = sum(
        need.field in p.fields or major_in_field(p.major, need.field, name) for p in qualified
    )
    lists = need.field in c.fields
    value = FIELD_AGENCY_SHARE * lists + (1 - FIELD_AGENCY_SHARE) * (1 - 0.5**experts)
    listed = "业务领域含此领域" if lists else "业务领域不含此领域"
    zh = f"{listed}，{experts} 名合格从业人员有此领域背景"
    en = f"{'lists' if lists else 'does not list'} the field; {experts} qualified with a background"
    return value, zh, en


def _text(need: Need, c: Candidate, sector: Sector) -> _Found:
    asked = terms(need.text)
    if not asked:
        return 0.0, "未填写需求描述", "no description given"
    profile = terms(c.description).union(
        *(field_terms(f, sector.field_names.get(f, "")) for f in c.fields)
    )
    matched = quoted(asked & profile)  # whole words, each once: 生物医药, not 生物 beside it
    value = min(1.0, len(matched) / min(len(quoted(asked)), TEXT_FULL))
    shown = "、".join(matched[:8]) or "无"
    return value, f"简介与领域中出现：{shown}", f"found in the profile: {', '.join(matched[:8])}"


def _proximity(need: Need, c: Candidate) -> _Found:
    place = proximity(need.region, c.office_region, c.regions_served)
    return PROXIMITY[place], *_PLACES[place]


def _reputation(c: Candidate, sector: Sector) -> _Found:
    rating = shrunk_rating(c.review_count, c.rating_sum, sector.mean_rating)
    value = min(max((rating - 1) / 4, 0.0), 1.0)  # 1..5 stars onto 0..1
    if not c.review_count:
        zh, en = f"暂无评价，按行业均值 {rating:.2f} 计", f"no reviews: sector mean {rating:.2f}"
    else:
        mean = c.rating_sum / c.review_count
        zh = f"{c.review_count} 条评价，平均 {mean:.2f}，向行业均值修正后 {rating:.2f}"
        en = f"{c.review_count} reviews averaging {mean:.2f}, "
        en += f"{rating:.2f} shrunk to the sector mean"
    grade = CREDIT_GRADES.get(c.credit_grade or "")
    if grade is None:
        return value, zh, en
    value = (1 - GRADE_SHARE) * value + GRADE_SHARE * grade
    return value, f"{zh}；信用评价 {c.credit_grade} 级", f"{en}; credit grade {c.credit_grade}"


def _verified(verified: bool) -> _Found:
    if verified:
        return 1.0, "已经市局核验", "verified by the bureau"
    return 0.0, "尚未经市局核验", "not verified by the bureau"


def _capacity(qualified: int) -> _Found:
    value = qualified / (qualified + CAPACITY_HALF)
    return value, f"{qualified} 名合格从业人员", f"{qualified} qualified practitioners"


def _language(need: Need, qualified: Iterable[Person]) -> _Found:
    if need.language is None:
        return 0.0, "未指定语言", "no language asked"
    speakers = sum(need.language in p.languages for p in qualified)
    zh, en = f"{speakers} 名合格从业人员使用 {need.language}", f"{speakers} speak {need.language}"
    return (1.0 if speakers else 0.0), zh, en


def _responsiveness(r: Responsiveness, sector: float) -> _Found:
    value = shrunk_value(r, sector)
    if not r.requests:
        zh, en = f"暂无答复记录，按行业值 {sector:.2f} 计", f"no requests yet: sector {sector:.2f}"
        return value, zh, en
    median = "—" if r.median_hours is None else f"{r.median_hours:.1f}"
    zh = f"近一年 {r.requests} 次请求答复 {r.answered} 次，用时中位数 {median} 小时"
    zh += f"，向行业值修正后 {value:.2f}"
    en = f"answered {r.answered} of {r.requests} requests in the last year, median {median} h"
    en += f"; {raw_value(r):.2f} shrunk to the sector: {value:.2f}"
    return value, zh, en
