"""The per-request context: who asks, when, and the request's own DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from starlette.requests import Request
from strawberry.types import Info as _Info

from directory.agencies.loaders import AgencyLoaders
from directory.auth import Viewer
from directory.clock import Moment
from directory.queue import JobQueue
from directory.reference.loaders import ReferenceLoaders
from directory.reviews.loaders import ReviewLoaders
from directory.talent.loaders import TalentLoaders


@dataclass
class Context:
    request: Request | None
    viewer: Viewer
    now: datetime
    reference: ReferenceLoaders = field(default_factory=ReferenceLoaders)
    agencies: AgencyLoaders = field(default_factory=AgencyLoaders)
    talent: TalentLoaders = field(default_factory=TalentLoaders)
    reviews: ReviewLoaders = field(default_factory=ReviewLoaders)
    queue: JobQueue | None = None  # the worker's job queue; None where there is none

    @cached_property
    def moment(self) -> Moment:
        """The request's one instant and calendar day, for every write it makes."""
        return Moment.at(self.now)

    @property
    def today(self) -> date:
        return self.moment.today


Info = _Info[Context, None]
