"""The legal hard rules of the services, parsed from `reference.data.SERVICE_RULES` into types.

A service's rule is a list of ways to be allowed to offer it; an agency is allowed when one
of them holds: the agency validly holds every licence kind the way names, and enough of its
active practitioners validly hold every qualification kind it names. A service without a rule
needs nothing but to be offered. The sync parses every rule before it writes (an unknown key,
an unknown kind or a kind held by the wrong holder stops it), and matching reads the parsed
rules of `service_rules()`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from directory.jsonfields import DataError, Fields


@dataclass(frozen=True, slots=True)
class Allowance:
    """One way to be allowed to offer a service."""

    agency_holds: tuple[str, ...] = ()  # agency licence kinds, every one valid
    staff_holds: tuple[str, ...] = ()  # qualification kinds one practitioner holds, all valid
    staff_count: int = 1  # practitioners holding them, at least (when `staff_holds`)


@dataclass(frozen=True, slots=True)
class ServiceRule:
    """What the law asks of an agency offering the service; no ways: nothing."""

    service: str
    ways: tuple[Allowance, ...] = ()

    @property
    def agency_kinds(self) -> frozenset[str]:
        return frozenset(k for w in self.ways for k in w.agency_holds)

    @property
    def staff_kinds(self) -> frozenset[str]:
        return frozenset(k for w in self.ways for k in w.staff_holds)

    @property
    def needs_staff(self) -> bool:
        """True when every way asks for a qualified practitioner."""
        return bool(self.ways) and all(w.staff_holds for w in self.ways)


NO_RULE = ServiceRule("")
_KEYS = ("agency_holds", "staff_holds", "staff_count")


def _allowance(read: Fields) -> Allowance:
    read.refuse_unknown(_KEYS)
    way = Allowance(
        agency_holds=read.get("agency_holds", read.texts, ()),
        staff_holds=read.get("staff_holds", read.texts, ()),
        staff_count=read.get("staff_count", read.integer, 1),
    )
    if not (way.agency_holds or way.staff_holds):
        raise DataError(f"{read.where}: names neither 'agency_holds' nor 'staff_holds'")
    if way.staff_count < 1 or (way.staff_count > 1 and not way.staff_holds):
        raise read.error("staff_count", "must be 1 or more, and needs 'staff_holds'")
    return way


def parse_rule(
    service: str,
    ways: Any,
    holders: Mapping[str, str] | None = None,
) -> ServiceRule:
    """The typed rule of `service`; with `holders` (kind -> "agency" or "practitioner"), every
    kind named is checked to exist and to be held by whom the rule says."""
    where = f"service {service!r}, rule"
    if not isinstance(ways, list | tuple) or not ways:
        raise DataError(f"{where}: expected a non-empty list of ways, got {ways!r}")
    parsed = tuple(_allowance(Fields(w, f"{where} {n}")) for n, w in enumerate(ways, start=1))
    if holders is not None:
        for n, way in enumerate(parsed, start=1):
            for key, kinds, holder, whom in (
                ("agency_holds", way.agency_holds, "agency", "an agency"),
                ("staff_holds", way.staff_holds, "practitioner", "a practitioner"),
            ):
                for kind in kinds:
                    if holders.get(kind) != holder:
                        raise DataError(
                            f"{where} {n}: {key!r} names {kind!r}, which is not a "
                            f"qualification kind {whom} holds"
                        )
    return ServiceRule(service, parsed)


def parse_rules(
    rules: Mapping[str, Any],
    services: Collection[str],
    holders: Mapping[str, str] | None = None,
) -> Mapping[str, ServiceRule]:
    """Every service's rule (a service without one gets an empty rule); a rule for a service
    that is not in `services` is refused."""
    for service in rules:
        if service not in services:
            raise DataError(f"SERVICE_RULES: {service!r} is not a service type")
    return MappingProxyType(
        {s: parse_rule(s, rules[s], holders) if s in rules else ServiceRule(s) for s in services}
    )


@cache
def service_rules() -> Mapping[str, ServiceRule]:
    """The shipped rules, parsed once (the data cannot change while the process runs)."""
    from directory.reference import data

    holders = {code: holder for code, _, _, holder, _, _ in data.QUALIFICATION_KINDS}
    rules = parse_rules(data.SERVICE_RULES, [s[0] for s in data.SERVICE_TYPES], holders)
    for service, *_, shown in data.SERVICE_TYPES:
        if shown is not None and shown not in rules[service].staff_kinds:
            raise DataError(
                f"SERVICE_TYPES: {service!r} shows {shown!r} as its required qualification, "
                "but its rule in SERVICE_RULES does not ask a practitioner for it"
            )
    return rules


__all__ = ["Allowance", "DataError", "ServiceRule", "parse_rule", "parse_rules", "service_rules"]
