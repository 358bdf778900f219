"""One schema from the features' queries, with the safety limits every request passes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from directory.accounts.mutations import AccountMutation
from directory.accounts.queries import AuditQuery
from directory.accounts.viewer import ViewerQuery
from directory.agencies.licence_mutations import AgencyLicenceMutation
from directory.agencies.mutations import AgencyMutation
from directory.agencies.queries import AgencyQuery
from directory.compiled.reads import compiled_result
from directory.context import Info
from directory.documents import DocumentLimits
from directory.engaging.bureau import EngagementBureauQuery
from directory.engaging.inbox import AgencyEngagementMutation, AgencyEngagementQuery
from directory.engaging.inquiry_api import FirmEngagementMutation, FirmEngagementQuery
from directory.errors import (
    ErrorCode,
    Rejected,
    make_public,
    should_mask_error,
)
from directory.guard import guard_mutations
from directory.ids import NOT_OUR_ID, node_id
from directory.matching.queries import MatchQuery
from directory.outages import database_unavailable, log_outage
from directory.reference.queries import ReferenceQuery
from directory.reminders.mutations import ReminderMutation
from directory.reminders.queries import ReminderQuery
from directory.reviews.mutations import ReviewMutation
from directory.reviews.queries import ReviewQuery
from directory.settings import Settings, get_settings
from directory.talent.mutations import TalentMutation
from directory.talent.queries import PractitionerQuery
from directory.targets.mutations import TargetMutation
from directory.targets.queries import TargetQuery
from directory.timelimit import may_cancel, timed_out


@strawberry.type
class Query(
    AgencyQuery,
    PractitionerQuery,
    ReferenceQuery,
    AuditQuery,
    ViewerQuery,
    MatchQuery,
    TargetQuery,
    ReminderQuery,
    ReviewQuery,
    AgencyEngagementQuery,
    EngagementBureauQuery,
    FirmEngagementQuery,
):
    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        # Parsed here, not by the GlobalID scalar, so that a malformed id answers INVALID_ID.
        gid = node_id(id)
        try:
            found: relay.Node | None = await gid.resolve_node(info, required=False)
        except GlobalIDValueError:  # a type name that is not one of our nodes
            raise Rejected.one(ErrorCode.INVALID_ID, "id", NOT_OUR_ID) from None
        return found


class _Schema(strawberry.Schema):
    operation_timeout = 5.0  # seconds; set by build_schema
    max_tokens = 2000  # set by build_schema
    limits: DocumentLimits  # set by build_schema
    compiled = False  # supported reads answered from SQL (directory/compiled/)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        run = self._run(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        named = operation_name is None or isinstance(operation_name, str)  # else a 400 below
        if named and not may_cancel(query, operation_name, self.max_tokens):
            result = await run
        else:
            try:
                async with asyncio.timeout(self.operation_timeout):
                    result = await run
            except TimeoutError:
                result = ExecutionResult(data=None, errors=[timed_out(self.operation_timeout)])
        make_public(result)
        return result

    async def _run(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None,
        context_value: Any | None,
        root_value: Any | None,
        operation_name: str | None,
        allowed_operation_types: Iterable[OperationType] | None,
        operation_extensions: dict[str, Any] | None,
    ) -> ExecutionResult:
        if self.compiled:
            answered = await compiled_result(
                self,
                self.limits,
                query,
                variable_values,
                context_value,
                operation_name,
                allowed_operation_types,
            )
            if answered is not None:
                return answered
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Errors the client caused are answered, not logged as failures of ours; an outage
        # of the database is one line, not a traceback per field.
        unexpected = [e for e in errors if should_mask_error(e)]
        down = [e for e in unexpected if database_unavailable(e.original_error or e)]
        if down:
            log_outage(down[0].original_error)
        super().process_errors([e for e in unexpected if e not in down], execution_context)


@strawberry.type
class Mutation(
    AgencyMutation,
    AgencyLicenceMutation,
    TalentMutation,
    AccountMutation,
    ReviewMutation,
    TargetMutation,
    ReminderMutation,
    AgencyEngagementMutation,
    FirmEngagementMutation,
):
    pass


guard_mutations(Mutation)


def build_schema(settings: Settings) -> strawberry.Schema:
    limits = DocumentLimits(settings)
    # One extension for every check before execution (documents.py says why).
    built = _Schema(query=Query, mutation=Mutation, extensions=[limits.extension()])
    built.operation_timeout = settings.operation_timeout
    built.max_tokens = settings.max_query_tokens
    built.limits = limits
    # Once a query has passed every limit: supported reads answered from SQL, PostgreSQL only.
    built.compiled = settings.compiled_reads == "on" and not settings.is_sqlite
    return built


schema = build_schema(get_settings())
