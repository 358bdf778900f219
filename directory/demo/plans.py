"""The demo data set drawn in memory: the rows of each agency and person before they are saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory.demo.names import AgencyProfile

CNIPA = "国家知识产权局"  # the issuer of most licences and qualifications


@dataclass
class AgencyPlan:
    profile: AgencyProfile
    row: dict[str, Any]
    licences: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PersonPlan:
    agency: int | None  # index into the agency plans
    role: str
    row: dict[str, Any]
    fields: tuple[str, ...] = ()
    qualifications: list[dict[str, Any]] = field(default_factory=list)
    training: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Plan:
    agencies: list[AgencyPlan]
    people: list[PersonPlan]
    reviews: list[tuple[int, dict[str, Any]]]  # (index into the agency plans, review row)
