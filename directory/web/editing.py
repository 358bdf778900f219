"""Sending a form's input through a mutation, and what the page shows when it is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from strawberry import relay

from directory.web.client import execute
from directory.web.field_errors import FormErrors, from_mutation_error
from directory.web.render import language


@dataclass
class FormState:
    """A form as the page shows it: the values in its fields and the problems beside them."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: FormErrors = field(default_factory=FormErrors)
    # After a CONFLICT: the record as it is stored now, to compare with what was typed.
    saved: dict[str, Any] | None = None


def shown(state: FormState | None, stored: dict[str, Any], version: int) -> FormState:
    """The form to show: the stored record, or what was typed with its problems.

    After a CONFLICT the typed values stay, the stored ones are shown beside them, and the
    form takes the new version, so that a second save, made knowingly, wins.
    """
    if state is None or not state.values:
        errors = state.errors if state else FormErrors()
        return FormState(values={**stored, "version": version}, errors=errors)
    if state.errors.conflict:
        state.saved = stored
        state.values["version"] = version
    return state


async def mutate(
    request: Request, document: str, variables: dict[str, Any], result: str
) -> tuple[dict[str, Any] | None, FormErrors]:
    """The mutation's payload, or None and every problem it answered (in the page's words)."""
    lang = language(request)
    answer = await execute(request, document, variables)
    errors = FormErrors()
    for problem in answer.problems:  # refused before the mutation ran, e.g. a malformed id
        errors.add(problem.code, problem.field, lang)
    payload = answer.data.get(result) if answer.data else None
    if payload is not None and payload.get("__typename") == "MutationError":
        errors.merge(from_mutation_error(payload, lang))
    if errors or payload is None:
        return None, errors
    return payload, errors


def global_id(type_name: str, local: int) -> str:
    return relay.to_base64(type_name, local)


def local_id(global_id: str) -> int:
    """The number of a global id the API gave (the pages' addresses use it)."""
    return int(relay.from_base64(global_id)[1])
