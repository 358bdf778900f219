"""Only the agencies that could still enter the top of a match are loaded and scored.

One statement ranks every candidate by what it could at most score: its office and regions
served, its reviews, grade, verification and fields exactly; its people and profile words from
the precomputed facts (`store`), as upper bounds; its licences as held. The agencies whose
licences let them offer none of the services asked are then left out, by the holders of each
kind on the day (`licence_holders`, kept until the next write, instead of every licence of
the kind read again by each match). Candidates are then scored by `scoring.rank`'s own
`Ranking`, best bound first, a batch at a time, until the last of the top `first` beats what
any agency left could reach. The answer is the reference scorer's on every candidate, by
construction: the bound only decides which candidates it need not see.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise import connections

from directory.agencies.models import AgencyStatus
from directory.engagements.responsiveness import NEUTRAL
from directory.matching import store
from directory.matching.facts import Match, Need, Sector
from directory.matching.hard_rules import licensed
from directory.matching.scoring import (
    CAPACITY_HALF,
    CREDIT_GRADES,
    FIELD_AGENCY_SHARE,
    GRADE_SHARE,
    PROXIMITY,
    TEXT_FULL,
    Ranking,
    effective_weights,
)
from directory.matching.shortlist import shortlisted
from directory.matching.sql import Params, abnormal, licence_valid
from directory.matching.words import field_terms, quoted, terms
from directory.memo import kept_many
from directory.reference.codes import region_prefix
from directory.reference.service_rules import NO_RULE, ServiceRule
from directory.reviews.rating import PRIOR_REVIEWS

SLACK = 1e-9  # added to every bound: SQL and Python add the same terms in another order
_HALVES = 12  # experts beyond this many count as a full field value in the bound
BOUNDS_WINDOW = 100  # bounds one statement reads at least
# The columns of `agency` the bound reads (a.*) are those migration 0016's index covers.


@dataclass(frozen=True, slots=True)
class Bound:
    agency_id: int
    missing: int  # services asked that the agency cannot cover, at best
    abnormal: bool
    score: float  # at most
    asked: bool  # has engagement requests released to it: else none in any window

    def beats(self, key: tuple[int, bool, float, int]) -> bool:
        """True when even at its best this agency ranks after `key` (missing, abnormal,
        -score, id): so does every agency after it."""
        return (self.missing, self.abnormal, -(self.score + SLACK), self.agency_id) > key


def _fact(p: Params, key: str) -> str:
    """A count of the agency's facts row (`store`), 0 when it has none."""
    place = store.slot(key)
    if place is not None:
        column, n = place  # a position of the layout: a constant, never a value a user gave
        if p.postgres:
            return f"COALESCE(f.{column}[{n + 1}], 0)"
        return f"COALESCE(json_extract(f.{column}, '$[{n}]'), 0)"
    if p.postgres:
        return f"COALESCE((f.counts ->> {p(key)})::int, 0)"
    return f"COALESCE(json_extract(f.counts, {p(_json_path(key))}), 0)"


def _has_fact(p: Params, key: str) -> str:
    """1 when the agency's facts row has the count `key`, else 0."""
    if store.slot(key) is not None:
        return f"(CASE WHEN {_fact(p, key)} > 0 THEN 1 ELSE 0 END)"
    if p.postgres:
        return f"(CASE WHEN (f.counts -> {p(key)}) IS NULL THEN 0 ELSE 1 END)"
    return f"(CASE WHEN json_extract(f.counts, {p(_json_path(key))}) IS NULL THEN 0 ELSE 1 END)"


def _json_path(key: str) -> str:
    return '$."' + key.replace('"', "") + '"'  # keys are codes and words: no quotes in them


async def licence_holders(kinds: Collection[str], today: date) -> dict[str, frozenset[int]]:
    """The agencies validly holding a licence of each kind on `today`, kept until the next
    write: a match need not read every licence of the country again."""

    async def read(missing: list[str]) -> dict[str, frozenset[int]]:
        conn = connections.get("default")
        p = Params(conn.capabilities.dialect == "postgres")
        rows = await conn.execute_query_dict(
            f"SELECT DISTINCT l.kind_id, l.agency_id FROM agency_licence l"
            f" WHERE l.kind_id IN ({p.many(missing)}) AND {licence_valid(p, 'l', today)}",
            p.values,
        )
        found: dict[str, set[int]] = {k: set() for k in missing}
        for r in rows:
            found[r["kind_id"]].add(int(r["agency_id"]))
        return {k: frozenset(ids) for k, ids in found.items()}

    return await kept_many(f"licence holders on {today.isoformat()}", sorted(kinds), read)


def _may_cover(
    agency_id: int, rules: Sequence[ServiceRule], holders: Mapping[str, frozenset[int]]
) -> bool:
    """False when the agency's licences leave no way open for any service asked
    (`hard_rules.licensed`): it can answer none of them, whatever its people."""
    held = {kind for kind, ids in holders.items() if agency_id in ids}
    return any(licensed(rule, held) for rule in rules)


def _f(x: float) -> str:
    """A float constant: PostgreSQL reads 0.15 as numeric, whose arithmetic is several times
    slower than float8's, and every value the bound adds up would follow it."""
    return f"CAST({float(x)!r} AS DOUBLE PRECISION)"


def _least(a: str, b: str) -> str:
    return f"(CASE WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _clamp(x: str) -> str:
    one, zero = _f(1.0), _f(0.0)
    return f"(CASE WHEN {x} > {one} THEN {one} WHEN {x} < {zero} THEN {zero} ELSE {x} END)"


def _served_codes(firm: str) -> list[str]:
    """Regions served that make an agency "served" for a firm here (`scoring.proximity`)."""
    codes = {firm, firm[:4] + "00"}
    return sorted(s for s in codes if not s.endswith("0000") and firm.startswith(region_prefix(s)))


def _proximity(p: Params, firm: str) -> str:
    """`scoring.proximity`'s value, exactly."""
    office = "a.office_region_id"
    prefix = region_prefix(firm)
    cases = [f"WHEN substr({office}, 1, {len(prefix)}) = {p(prefix)} THEN {_f(PROXIMITY['local'])}"]
    served = _served_codes(firm)
    if served:
        cases.append(
            "WHEN a.id IN (SELECT r.agency_id FROM agency_region_served r"
            f" WHERE r.region_id IN ({p.many(served)})) THEN {_f(PROXIMITY['served'])}"
        )
    if not firm.endswith("0000"):
        cases.append(f"WHEN substr({office}, 1, 4) = {p(firm[:4])} THEN {_f(PROXIMITY['city'])}")
    cases.append(f"WHEN substr({office}, 1, 2) = {p(firm[:2])} THEN {_f(PROXIMITY['province'])}")
    return f"(CASE {' '.join(cases)} ELSE {_f(PROXIMITY['elsewhere'])} END)"


def _reputation(p: Params, mean: float) -> tuple[list[str], str]:
    """`scoring._reputation`'s value, exactly, from visible reviews and the credit grade: the
    facts (the shrunk rating and the grade's value, each computed once) and their worth."""
    stars, count = "COALESCE(rv.stars, 0)", "COALESCE(rv.n, 0)"
    prior = _f(PRIOR_REVIEWS)
    shrunk = f"(({prior} * {_f(mean)} + {stars}) / ({prior} + {count}))"
    grades = " ".join(f"WHEN {p(g)} THEN {_f(v)}" for g, v in CREDIT_GRADES.items())
    facts = [
        f"(({shrunk} - {_f(1.0)}) / {_f(4.0)}) AS rating",
        f"(CASE a.credit_grade {grades} ELSE NULL END) AS grade",
    ]
    value = _clamp("c.rating")
    worth = (
        f"(CASE WHEN c.grade IS NULL THEN {value}"
        f" ELSE {_f(1 - GRADE_SHARE)} * {value} + {_f(GRADE_SHARE)} * c.grade END) AS reputation"
    )
    return facts, worth


def _half_power(x: str) -> str:
    """1 - 0.5**x for a count x, at least (1 beyond `_HALVES`)."""
    cases = " ".join(f"WHEN {x} <= {n} THEN {_f(1 - 0.5**n)}" for n in range(_HALVES + 1))
    return f"(CASE {cases} ELSE {_f(1.0)} END)"


def bounds_sql(
    need: Need,
    rules: Mapping[str, ServiceRule],
    field_names: Mapping[str, str],
    mean: float,
    today: date,
    postgres: bool,
    limit: int,
    offset: int,
    answering: float = NEUTRAL,
) -> tuple[str, list[Any]]:
    """The statement listing candidates best bound first: id, missing, abnormal, bound, asked.

    Three layers, each fenced so that the database computes every fact once per agency:
    the facts (c), what they are worth (v), the bound and the order. Every fact comes from a
    join or a hashed set read once for all candidates, none from a look-up per candidate.
    A service is taken as covered whatever licences the rule asks of the agency itself (so
    the bound and the services missing stay bounds); `best_matches` checks those.

    The bound adds, for each component of `WEIGHTS`, its weight times the most the agency can
    get. A component this statement does not know is taken at its maximum, weight x 1.0, so
    a component added to `WEIGHTS` keeps every bound an upper bound and needs nothing here."""
    p = Params(postgres)
    fence = " OFFSET 0" if postgres else " LIMIT -1"
    wanted = tuple(dict.fromkeys(need.services))
    asked = [rules.get(s, NO_RULE) for s in wanted]
    weights = effective_weights(need)
    kinds = sorted({k for r in asked for k in r.staff_kinds})
    # The agencies offering a service asked; each aggregate reads only theirs.
    candidates = f"SELECT agency_id FROM agency_service_link WHERE service_id IN ({p.many(wanted)})"
    joins = [f"LEFT JOIN {store.TABLE} f ON f.agency_id = a.id"]
    reputation_facts, reputation = _reputation(p, mean)
    facts = [
        "a.id",
        # A row of another layout reads as none: its staff NULL bounds every fact at the most.
        f"(CASE WHEN f.layout = {store.LAYOUT} THEN f.staff ELSE NULL END) AS staff",
        f"{_proximity(p, need.region)} AS proximity",
        *reputation_facts,
        f"(CASE WHEN a.verified THEN {_f(1.0)} ELSE {_f(0.0)} END) AS verified",
        f"{abnormal(p, today)} AS abnormal",
    ]
    facts += [f"{_fact(p, store.holders_key(k))} AS h{n}" for n, k in enumerate(kinds)]
    if len(wanted) == 1:
        facts.append("1 AS o0")  # every candidate offers the one service asked
    else:
        facts += [
            f"(CASE WHEN a.id IN (SELECT s.agency_id FROM agency_service_link s"
            f" WHERE s.service_id = {p(s)}) THEN 1 ELSE 0 END) AS o{n}"
            for n, s in enumerate(wanted)
        ]
    covers = []
    for n, rule in enumerate(asked):
        # The agency's licences are taken as held: `best_matches` leaves out those without.
        ways = [
            " AND ".join(
                f"(c.staff IS NULL OR c.h{kinds.index(k)} >= {int(way.staff_count)})"
                for k in way.staff_holds
            )
            for way in rule.ways
        ]
        law = "" if not ways or not all(ways) else f" AND ({' OR '.join(f'({w})' for w in ways)})"
        covers.append(f"(CASE WHEN c.o{n} = 1{law} THEN 1 ELSE 0 END)")
    # Who can qualify the agency: when every service asked needs qualified people, only the
    # holders of the kinds the rules name (`scoring._assess`), and its experts among them.
    only_holders = bool(kinds) and all(r.needs_staff for r in asked)
    if only_holders:
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
        reputation,
        "c.verified",
    ]
    parts = {
        "coverage": f"v.covered / {_f(len(wanted))}",
        "proximity": "v.proximity",
        "reputation": "v.reputation",
        "verified": "v.verified",
        "capacity": f"(CASE WHEN v.staff IS NULL THEN {_f(1.0)}"
        f" ELSE {_f(1.0)} * v.qualified / (v.qualified + {CAPACITY_HALF}) END)",
    }
    if need.field is not None:
        experts = _fact(p, store.experts_key(need.field))
        pairs = [store.qualified_experts_key(k, need.field) for k in kinds]
        if only_holders and all(store.slot(pair) for pair in pairs):  # counted for these kinds
            experts = _least(experts, f"({' + '.join(_fact(p, pair) for pair in pairs)})")
        facts += [
            f"{_has_fact(p, store.listed_key(need.field))} AS listed",
            f"{experts} AS experts",
        ]
        worth += ["c.listed", f"{_least(qualified, 'c.experts')} AS experts"]
        # Without a facts row (staff NULL) neither the field listed nor the experts are known.
        parts["field"] = (
            f"(CASE WHEN v.staff IS NULL THEN {_f(1.0)} ELSE {_f(FIELD_AGENCY_SHARE)} * v.listed"
            f" + {_f(1 - FIELD_AGENCY_SHARE)} * {_half_power('v.experts')} END)"
        )
    else:
        parts["field"] = _f(0.0)
    words = terms(need.text)
    if words:
        found = [_has_fact(p, store.word_key(w)) for w in sorted(words)]
        # The need's words an agency knows from the fields it lists (`scoring._text`).
        found += [
            f"{n} * {_has_fact(p, store.listed_key(f))}"
            for f in sorted(field_names)
            if (n := len(words & field_terms(f, field_names[f])))
        ]
        facts.append(f"({' + '.join(found)}) AS words")
        full = min(len(quoted(words)), TEXT_FULL)
        worth.append(f"{_clamp(f'({_f(1.0)} * c.words / {full})')} AS words")
        parts["text"] = f"(CASE WHEN v.staff IS NULL THEN {_f(1.0)} ELSE v.words END)"
    else:
        parts["text"] = _f(0.0)
    if need.language is not None:
        facts.append(f"{_fact(p, store.speakers_key(need.language))} AS speakers")
        worth.append(f"{_least(qualified, 'c.speakers')} AS speakers")
        parts["language"] = (
            f"(CASE WHEN v.staff IS NULL OR v.speakers > 0 THEN {_f(1.0)} ELSE {_f(0.0)} END)"
        )
    else:
        parts["language"] = _f(0.0)
    # Responsiveness: an agency never asked through an engagement request has none in the
    # window, so it gets the sector's value (`responsiveness.shrunk_value` of no requests).
    facts.append(
        "(CASE WHEN a.id IN (SELECT e.agency_id FROM engagement_request e"
        " WHERE e.released_at IS NOT NULL) THEN 1 ELSE 0 END) AS asked"
    )
    worth.append("c.asked")
    parts["responsiveness"] = f"(CASE WHEN v.asked = 1 THEN {_f(1.0)} ELSE {_f(answering)} END)"
    # Weight x value for the components known here, weight x 1.0 for any other.
    bound = " + ".join(f"{_f(w)} * {parts.get(code, _f(1.0))}" for code, w in weights.items() if w)
    reviews = (
        "SELECT agency_id, COUNT(*) AS n, SUM(rating) AS stars FROM review"
        " WHERE hidden = " + ("false" if postgres else "0") + f" AND agency_id IN ({candidates})"
        " GROUP BY agency_id"
    )
    joins.append(f"LEFT JOIN ({reviews}) rv ON rv.agency_id = a.id")
    sql = (
        f"SELECT v.id, {len(wanted)} - v.covered AS missing, v.abnormal,"
        f" ({bound}) AS bound, v.asked FROM ("
        f"SELECT {', '.join(worth)} FROM ("
        f"SELECT {', '.join(facts)} FROM agency a {' '.join(joins)}"
        f" WHERE a.status = {p(AgencyStatus.ACTIVE.value)} AND a.id IN ({candidates}){fence}"
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
        sector.responsiveness,
    )
    rows = await conn.execute_query_dict(sql, values)
    return [
        Bound(
            int(r["id"]),
            int(r["missing"]),
            bool(r["abnormal"]),
            float(r["bound"]),
            bool(r["asked"]),
        )
        for r in rows
    ]


async def best_matches(need: Need, sector: Sector, first: int) -> list[Match]:
    """The reference ranking's first `first` answers, scoring only the candidates that could
    be among them."""
    if first <= 0:
        return []
    batch = max(2 * first, first + 10)
    found: list[Bound] = []  # the best bounds, in order
    read = 0  # bounds read, with those of agencies left out for their licences
    complete = False  # every candidate's bound is in `found`
    scored = 0
    ranking = Ranking(need, sector)
    rules = [sector.rules.get(s, NO_RULE) for s in dict.fromkeys(need.services)]
    holders = await licence_holders({k for r in rules for k in r.agency_kinds}, sector.today)
    while True:
        wanted = scored + batch + 1  # this batch's bounds and the next one's
        while not complete and len(found) < wanted:
            # One statement reads a window of bounds ahead: asking again costs the whole
            # statement, reading more rows of it almost nothing.
            limit = max(wanted - len(found), BOUNDS_WINDOW)
            more = await bounds(need, sector, limit, read)
            read += len(more)
            found += [b for b in more if _may_cover(b.agency_id, rules, holders)]
            complete = len(more) < limit
        taken = found[scored : scored + batch]
        scored += len(taken)
        if taken:
            ids = [b.agency_id for b in taken]
            requested = [b.agency_id for b in taken if b.asked]
            shortlist = await shortlisted(
                ids, need.services, sector.rules, need.field, sector.today, requested
            )
            ranking.add(shortlist)
        ranked = ranking.matches()
        if scored >= len(found):
            return ranked[:first]  # every candidate was scored
        if len(ranked) >= first:
            last = ranked[first - 1]
            score = ranking.score(last.agency_id)
            key = (len(last.missing_services), last.abnormal, -score, last.agency_id)
            if found[scored].beats(key):
                return ranked[:first]
            # Only the bounds the present last answer does not beat may still enter: score
            # those next (all of the window's, and more once it is read, when none is beaten).
            rest = found[scored:]
            batch = next((n for n, b in enumerate(rest) if b.beats(key)), len(rest) + batch)
        else:
            batch *= 4
