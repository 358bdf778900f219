"""Applies `permissions.PERMISSIONS` to every mutation, before it runs, in one place."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case, to_snake_case

from directory.accounts.models import Role
from directory.agencies.models import AgencyLicence
from directory.context import Info
from directory.engagements.models import EngagementRequest
from directory.errors import Rejected
from directory.ids import local_id
from directory.permissions import PERMISSIONS, Concerns, Permission, check
from directory.results import MutationError
from directory.talent.models import Practitioner, Qualification


class _Guard(FieldExtension):
    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        viewer = info.context.viewer
        concerns = self.permission.concerns
        try:
            found, agency_id = True, None
            # Only an administrator's agency is compared; the bureau and anonymous need none.
            if concerns is not None and viewer.role is Role.AGENCY_ADMIN:
                found, agency_id = await _agency_concerned(concerns, kwargs)
            check(viewer, self.permission, agency_id, _sent(kwargs), found)
        except Rejected as exc:
            return MutationError.from_rejected(exc)
        return await next_(source, info, **kwargs)


async def _agency_concerned(concerns: Concerns, kwargs: dict[str, Any]) -> tuple[bool, int | None]:
    """Whether the object named exists, and the agency it belongs to."""
    value: Any = kwargs
    parts = concerns.argument.split(".")
    for part in parts:
        name = to_snake_case(part)
        value = value[name] if isinstance(value, dict) else getattr(value, name)
    pk = local_id(str(value), concerns.kind, parts[-1])
    if concerns.kind == "Agency":
        return True, pk
    if concerns.kind == "Practitioner":
        rows = await Practitioner.filter(id=pk, removed_at=None).values_list("agency_id")
    elif concerns.kind == "AgencyLicence":
        rows = await AgencyLicence.filter(id=pk).values_list("agency_id")
    elif concerns.kind == "EngagementRequest":  # an unreleased one is no agency's business yet
        rows = await EngagementRequest.filter(id=pk, released_at__isnull=False).values_list(
            "agency_id"
        )
    else:
        rows = await Qualification.filter(id=pk, practitioner__removed_at=None).values_list(
            "practitioner__agency_id"
        )
    return (True, rows[0][0]) if rows else (False, None)


def _sent(kwargs: dict[str, Any]) -> set[str]:
    """The fields (API names) of the mutation's `input` that the client sent."""
    given = kwargs.get("input")
    if given is None:
        return set()
    return {
        to_camel_case(f.name)
        for f in dataclasses.fields(given)
        if getattr(given, f.name) is not strawberry.UNSET
    }


def guard_mutations(mutation: type) -> None:
    """Put each mutation's permission on its field; fail at start-up if one has none."""
    definition: StrawberryObjectDefinition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    names = {f.graphql_name or to_camel_case(f.python_name): f for f in definition.fields}
    if missing := sorted(set(names) - set(PERMISSIONS)):
        raise RuntimeError(f"mutations without an entry in permissions.PERMISSIONS: {missing}")
    if unknown := sorted(set(PERMISSIONS) - set(names)):
        raise RuntimeError(f"permissions.PERMISSIONS names no such mutation: {unknown}")
    for name, field in names.items():
        if not any(isinstance(e, _Guard) for e in field.extensions):
            field.extensions.append(_Guard(PERMISSIONS[name]))
