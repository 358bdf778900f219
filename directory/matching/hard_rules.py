"""Whether the law lets an agency offer a service, from its licences and its people. Pure.

The rules themselves are data (`reference.data.SERVICE_RULES`, parsed by
`reference.service_rules`); this module only evaluates a parsed rule on one candidate, so
the same evaluation serves the scoring in Python and any later narrowing in SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from directory.agencies.rules import is_valid as licence_is_valid
from directory.matching.facts import Candidate, Licence, Person
from directory.reference.service_rules import Allowance, ServiceRule


def licence_valid(lic: Licence, on: date) -> bool:
    """Valid on a day: verified, in force (issued, not expired) and not ended."""
    return licence_is_valid(lic.verification, lic.issued_on, lic.expires_on, lic.ended_on, on)


def holds(person: Person, kind: str, on: date) -> bool:
    return any(lic.kind == kind and licence_valid(lic, on) for lic in person.licences)


def licensed(rule: ServiceRule, held: Collection[str]) -> bool:
    """True when the agency's valid licence kinds `held` leave some way of the rule open:
    its people decide the rest (`allowed`)."""
    return not rule.ways or any(set(way.agency_holds) <= set(held) for way in rule.ways)


def _way_holders(
    way: Allowance, held: frozenset[str], people: Iterable[Person], on: date
) -> tuple[Person, ...] | None:
    if not set(way.agency_holds) <= held:
        return None
    if not way.staff_holds:
        return ()
    found = tuple(p for p in people if all(holds(p, k, on) for k in way.staff_holds))
    return found if len(found) >= way.staff_count else None


def allowed(
    rule: ServiceRule, c: Candidate, people: Iterable[Person], on: date
) -> tuple[Person, ...] | None:
    """The practitioners through whom the agency may offer the service (empty when the law
    asks for nobody in particular), or None when no way of the rule holds for it."""
    if not rule.ways:
        return ()
    staff = tuple(people)
    held = frozenset(lic.kind for lic in c.licences if licence_valid(lic, on))
    found: dict[int, Person] | None = None
    for way in rule.ways:
        holders = _way_holders(way, held, staff, on)
        if holders is not None:
            found = found or {}
            found.update((p.id, p) for p in holders)
    return None if found is None else tuple(found.values())
