"""The per-request context: who asks, when, and the request's own DataLoaders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from starlette.requests import Request
from strawberry.dataloader import DataLoader
from strawberry.types import Info as _Info

from directory.agencies.loaders import AgencyLoaders
from directory.auth import Viewer
from directory.batching import keyed_loader
from directory.clock import Moment
from directory.engagements.responsiveness import Responsiveness, responsiveness_of
from directory.errors import RateLimited
from directory.queue import JobQueue
from directory.ratelimit import Limit, RateLimiter
from directory.reference.loaders import ReferenceLoaders
from directory.reviews.loaders import ReviewLoaders
from directory.talent.loaders import TalentLoaders


@dataclass
class Context:
    request: Request | None
    viewer: Viewer
    now: datetime
    queue: JobQueue | None = None  # the worker's job queue; None where there is none
    rate_limits: RateLimiter | None = None  # None where requests are not counted (the CLI)
    limits: Mapping[str, Limit] = field(default_factory=dict)
    # False once a resolver's answer must not be reused (the response cache): it is counted
    # per request, or depends on more than what the viewer may see and the day.
    cacheable: bool = True
    # What each limit said of this request: a request is counted once, however many times a
    # resolver asks (a compiled read that falls back runs the resolver after it).
    _counted: dict[str, RateLimited | None] = field(default_factory=dict, repr=False)

    async def count_request(self, name: str) -> None:
        """Count this request against the limit `name` for its client address; RateLimited
        past it. The address is the socket's peer, or what a trusted proxy says it is."""
        self.cacheable = False  # every request must be counted
        if name not in self._counted:
            self._counted[name] = await self._hit(name)
        refused = self._counted[name]
        if refused is not None:
            raise refused

    async def _hit(self, name: str) -> RateLimited | None:
        limit = self.limits.get(name)
        client = self.request.client if self.request is not None else None
        if self.rate_limits is not None and limit is not None and client is not None:
            try:
                await self.rate_limits.hit(limit, client.host)
            except RateLimited as refused:
                return refused
        return None

    # The loaders of each feature, made when a resolver first asks for them.
    @cached_property
    def reference(self) -> ReferenceLoaders:
        return ReferenceLoaders()

    @cached_property
    def agencies(self) -> AgencyLoaders:
        return AgencyLoaders()

    @cached_property
    def talent(self) -> TalentLoaders:
        return TalentLoaders()

    @cached_property
    def reviews(self) -> ReviewLoaders:
        return ReviewLoaders()

    @cached_property
    def responsiveness(self) -> DataLoader[int, Responsiveness | None]:
        """Each agency's engagement answers of the window ending today."""
        today = self.today
        return keyed_loader(lambda ids: responsiveness_of(ids, today))

    @cached_property
    def moment(self) -> Moment:
        """The request's one instant and calendar day, for every write it makes."""
        return Moment.at(self.now)

    @property
    def today(self) -> date:
        return self.moment.today


Info = _Info[Context, None]
