"""Only the agencies that could still enter the top of a match are loaded and scored.

One statement ranks every candidate by what it could at most score: the hard rules that the
agency's licences decide, its office and regions served, its reviews, grade, verification and
fields exactly; its people and profile words from the precomputed facts (`store`), as upper
bounds. Candidates are then scored by `scoring.rank` itself, best bound first, a batch at a
time, until the last of the top `first` beats what any agency left could reach. The answer is
the reference scorer's on every candidate, by construction: the bound only decides which
candidates it need not see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise import connections

from directory.agencies.models import AgencyStatus
from directory.matching import store
from directory.matching.candidates import load_candidates
from directory.matching.facts import Candidate, Match, Need, Sector
from directory.matching.scoring import (
    CAPACITY_HALF,
    CREDIT_GRADES,
    FIELD_AGENCY_SHARE,
    GRADE_SHARE,
    PROXIMITY,
    TEXT_FULL,
    effective_weights,
    rank,
    score_of,
)
from directory.matching.words import field_terms, quoted, terms
from directory.reference.codes import region_prefix
from directory.reference.service_rules import NO_RULE, ServiceRule
from directory.reviews.rating import PRIOR_REVIEWS
from directory.verification import Verification

SLACK = 1e-9  # added to every bound: SQL and Python add the same terms in another order
_HALVES = 12  # experts beyond this many count as a full field value in the bound
_BOUNDED = frozenset(
    ("coverage", "proximity", "reputation", "verified", "capacity", "field", "text", "language")
)


@dataclass(frozen=True, slots=True)
class Bound:
    agency_id: int
    missing: int  # services asked that the agency cannot cover, at best
    abnormal: bool
    score: float  # at most

    def beats(self, key: tuple[int, bool, float, int]) -> bool:
        """True when even at its best this agency ranks after `key` (missing, abnormal,
        -score, id): so does every agency after it."""
        return (self.missing, self.abnormal, -(self.score + SLACK), self.agency_id) > key


class _Sql:
    """A statement's text and its parameters, in the dialect's placeholders."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        if isinstance(value, date) and not self.postgres:
            value = value.isoformat()  # SQLite keeps dates as ISO text
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else f"?{len(self.values)}"

    def many(self, values: Any) -> str:
        return ", ".join(self(v) for v in values)


def _fact(p: _Sql, key: str) -> str:
    return f"(SELECT f.n FROM {store.TABLE} f WHERE f.agency_id = a.id AND f.key = {p(key)})"


def _licence_held(p: _Sql, kind: str, today: date) -> str:
    """`agencies.rules.is_valid` as SQL, on the agency's licences of one kind."""
    on = p(today)
    return (
        "EXISTS (SELECT 1 FROM agency_licence l WHERE l.agency_id = a.id"
        f" AND l.kind_id = {p(kind)} AND l.verification = {p(Verification.VERIFIED.value)}"
        f" AND (l.issued_on IS NULL OR l.issued_on <= {on})"
        f" AND (l.expires_on IS NULL OR l.expires_on >= {on})"
        f" AND (l.ended_on IS NULL OR l.ended_on > {on}))"
    )


def _least(a: str, b: str) -> str:
    return f"(CASE WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _clamp(x: str) -> str:
    return f"(CASE WHEN {x} > 1.0 THEN 1.0 WHEN {x} < 0.0 THEN 0.0 ELSE {x} END)"


def _served_codes(firm: str) -> list[str]:
    """Regions served that make an agency "served" for a firm here (`scoring.proximity`)."""
    codes = {firm, firm[:4] + "00"}
    return sorted(s for s in codes if not s.endswith("0000") and firm.startswith(region_prefix(s)))


def _proximity(p: _Sql, firm: str) -> str:
    """`scoring.proximity`'s value, exactly."""
    office = "a.office_region_id"
    prefix = region_prefix(firm)
    cases = [f"WHEN substr({office}, 1, {len(prefix)}) = {p(prefix)} THEN {PROXIMITY['local']}"]
    served = _served_codes(firm)
    if served:
        cases.append(
            "WHEN EXISTS (SELECT 1 FROM agency_region_served r WHERE r.agency_id = a.id"
            f" AND r.region_id IN ({p.many(served)})) THEN {PROXIMITY['served']}"
        )
    if not firm.endswith("0000"):
        cases.append(f"WHEN substr({office}, 1, 4) = {p(firm[:4])} THEN {PROXIMITY['city']}")
    cases.append(f"WHEN substr({office}, 1, 2) = {p(firm[:2])} THEN {PROXIMITY['province']}")
    return f"(CASE {' '.join(cases)} ELSE {PROXIMITY['elsewhere']} END)"


def _reputation(p: _Sql, mean: float) -> str:
    """`scoring._reputation`'s value, exactly, from visible reviews and the credit grade."""
    stars, count = "COALESCE(rv.stars, 0)", "COALESCE(rv.n, 0)"
    shrunk = f"(({PRIOR_REVIEWS} * {p(mean)} + {stars}) / ({PRIOR_REVIEWS} + {count}))"
    value = _clamp(f"(({shrunk} - 1.0) / 4.0)")
    grades = " ".join(f"WHEN {p(g)} THEN {v}" for g, v in CREDIT_GRADES.items())
    grade = f"(CASE a.credit_grade {grades} ELSE NULL END)"
    return (
        f"(CASE WHEN {grade} IS NULL THEN {value}"
        f" ELSE {1 - GRADE_SHARE} * {value} + {GRADE_SHARE} * {grade} END)"
    )


def _half_power(x: str) -> str:
    """1 - 0.5**x for a count x, at least (1 beyond `_HALVES`)."""
    cases = " ".join(f"WHEN {x} <= {n} THEN {1 - 0.5**n!r}" for n in range(_HALVES + 1))
    return f"(CASE {cases} ELSE 1.0 END)"


def bounds_sql(
    need: Need,
    rules: Mapping[str, ServiceRule],
    field_names: Mapping[str, str],
    mean: float,
    today: date,
    postgres: bool,
    limit: int,
    offset: int,
) -> tuple[str, list[Any]]:
    """The statement listing candidates best bound first: id, missing, abnormal, bound.

    Three layers, each fenced so that the database computes every fact once per agency:
    the facts (c), what they are worth (v), the bound and the order."""
    p = _Sql(postgres)
    fence = " OFFSET 0" if postgres else " LIMIT -1"
    wanted = tuple(dict.fromkeys(need.services))
    asked = [rules.get(s, NO_RULE) for s in wanted]
    weights = effective_weights(need)
    kinds = sorted({k for r in asked for k in r.staff_kinds})
    licences = sorted({k for r in asked for k in r.agency_kinds})
    on = p(today)
    facts = [
        "a.id",
        f"{_fact(p, store.STAFF)} AS staff",
        f"{_proximity(p, need.region)} AS proximity",
        f"{_reputation(p, mean)} AS reputation",
        "(CASE WHEN a.verified THEN 1.0 ELSE 0.0 END) AS verified",
        f"(CASE WHEN a.abnormal_since IS NOT NULL AND a.abnormal_since <= {on}"
        f" AND (a.abnormal_removed_on IS NULL OR a.abnormal_removed_on > {on})"
        " THEN 1 ELSE 0 END) AS abnormal",
    ]
    facts += [f"COALESCE({_fact(p, store.holders_key(k))}, 0) AS h{n}" for n, k in enumerate(kinds)]
    facts += [f"{_licence_held(p, k, today)} AS l{n}" for n, k in enumerate(licences)]
    facts += [
        "EXISTS (SELECT 1 FROM agency_service_link s WHERE s.agency_id = a.id"
        f" AND s.service_id = {p(s)}) AS o{n}"
        for n, s in enumerate(wanted)
    ]
    covers = []
    for n, rule in enumerate(asked):
        ways = [
            " AND ".join(
                [f"c.l{licences.index(k)}" for k in way.agency_holds]
                + [
                    f"(c.staff IS NULL OR c.h{kinds.index(k)} >= {int(way.staff_count)})"
                    for k in way.staff_holds
                ]
            )
            for way in rule.ways
        ]
        law = f" AND ({' OR '.join(f'({w})' for w in ways)})" if ways else ""
        covers.append(f"(CASE WHEN c.o{n}{law} THEN 1 ELSE 0 END)")
    if kinds and all(r.needs_staff for r in asked):
        held = " + ".join(f"c.h{n}" for n in range(len(kinds)))
        qualified = _least("c.staff", f"({held})")
    else:
        qualified = "c.staff"
    worth = [
        "c.id",
        "c.abnormal",
        "c.staff",
        f"({' + '.join(covers)}) AS covered",
        f"{qualified} AS qualified",
        "c.proximity",
        "c.reputation",
        "c.verified",
    ]
    parts = [
        f"{weights['coverage']!r} * v.covered / {len(wanted)}.0",
        f"{weights['proximity']!r} * v.proximity",
        f"{weights['reputation']!r} * v.reputation",
        f"{weights['verified']!r} * v.verified",
        f"{weights['capacity']!r} * (CASE WHEN v.staff IS NULL THEN 1.0"
        f" ELSE 1.0 * v.qualified / (v.qualified + {CAPACITY_HALF}) END)",
    ]
    # A component the facts do not bound counts at its maximum, 1.
    unbounded = sum(w for code, w in weights.items() if code not in _BOUNDED)
    parts.append(f"{unbounded!r}")
    if need.field is not None:
        facts += [
            "EXISTS (SELECT 1 FROM agency_field_link af WHERE af.agency_id = a.id"
            f" AND af.field_id = {p(need.field)}) AS listed",
            f"COALESCE({_fact(p, store.experts_key(need.field))}, 0) AS experts",
        ]
        worth += [
            "(CASE WHEN c.listed THEN 1.0 ELSE 0.0 END) AS listed",
            f"{_least(qualified, 'c.experts')} AS experts",
        ]
        parts.append(
            f"{weights['field']!r} * ({FIELD_AGENCY_SHARE} * v.listed + {1 - FIELD_AGENCY_SHARE}"
            f" * (CASE WHEN v.staff IS NULL THEN 1.0 ELSE {_half_power('v.experts')} END))"
        )
    words = terms(need.text)
    if words:
        found = (
            f"(SELECT COUNT(*) FROM {store.TABLE} f WHERE f.agency_id = a.id"
            f" AND f.key IN ({p.many(store.word_key(w) for w in sorted(words))}))"
        )
        from_fields = {
            f: n for f in field_names if (n := len(words & field_terms(f, field_names[f])))
        }
        if from_fields:
            cases = " ".join(f"WHEN {p(f)} THEN {n}" for f, n in sorted(from_fields.items()))
            found += (
                f" + COALESCE((SELECT SUM(CASE af.field_id {cases} ELSE 0 END)"
                " FROM agency_field_link af WHERE af.agency_id = a.id), 0)"
            )
        facts.append(f"({found}) AS words")
        full = min(len(quoted(words)), TEXT_FULL)
        worth.append(f"{_clamp(f'(1.0 * c.words / {full})')} AS words")
        parts.append(f"{weights['text']!r} * (CASE WHEN v.staff IS NULL THEN 1.0 ELSE v.words END)")
    if need.language is not None:
        facts.append(f"COALESCE({_fact(p, store.speakers_key(need.language))}, 0) AS speakers")
        worth.append(f"{_least(qualified, 'c.speakers')} AS speakers")
        parts.append(
            f"{weights['language']!r} * (CASE WHEN v.staff IS NULL OR v.speakers > 0"
            " THEN 1.0 ELSE 0.0 END)"
        )
    reviews = (
        "SELECT agency_id, COUNT(*) AS n, SUM(rating) AS stars FROM review"
        " WHERE hidden = " + ("false" if postgres else "0") + " GROUP BY agency_id"
    )
    sql = (
        f"SELECT v.id, {len(wanted)} - v.covered AS missing, v.abnormal,"
        f" ({' + '.join(parts)}) AS bound FROM ("
        f"SELECT {', '.join(worth)} FROM ("
        f"SELECT {', '.join(facts)} FROM agency a LEFT JOIN ({reviews}) rv ON rv.agency_id = a.id"
        f" WHERE a.status = {p(AgencyStatus.ACTIVE.value)} AND a.id IN (SELECT agency_id FROM"
        f" agency_service_link WHERE service_id IN ({p.many(wanted)})){fence}"
        f") c{fence}) v WHERE v.covered > 0 ORDER BY missing, v.abnormal, bound DESC, v.id"
        f" LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    return sql, p.values


async def bounds(
    need: Need,
    sector: Sector,
    limit: int,
    offset: int,
) -> list[Bound]:
    conn = connections.get("default")
    sql, values = bounds_sql(
        need,
        sector.rules,
        sector.field_names,
        sector.mean_rating,
        sector.today,
        conn.capabilities.dialect == "postgres",
        limit,
        offset,
    )
    rows = await conn.execute_query_dict(sql, values)
    return [
        Bound(int(r["id"]), int(r["missing"]), bool(r["abnormal"]), float(r["bound"])) for r in rows
    ]


async def best_matches(need: Need, sector: Sector, first: int) -> list[Match]:
    """The reference ranking's first `first` answers, scoring only the candidates that could
    be among them."""
    if first <= 0:
        return []
    batch = max(2 * first, first + 10)
    seen: list[Candidate] = []
    offset = 0
    while True:
        found = await bounds(need, sector, batch + 1, offset)
        ids = [b.agency_id for b in found[:batch]]
        if ids:
            loaded = await load_candidates(
                need.services,
                sector.rules,
                need.field,
                sector.today,
                only=ids,
                mean_rating=sector.mean_rating,
            )
            seen += loaded.candidates
        ranked = rank(need, seen, sector)
        if len(found) <= batch:
            return ranked[:first]  # every candidate was scored
        if len(ranked) >= first:
            last = ranked[first - 1]
            worst = next(c for c in seen if c.id == last.agency_id)
            score = score_of(need, worst, sector) or 0.0  # ranked: never None
            key = (len(last.missing_services), last.abnormal, -score, last.agency_id)
            if found[batch].beats(key):
                return ranked[:first]
        offset += batch
        batch *= 4
