"""The pages of an agency administrator: its agency's profile, people, qualifications,
training records, reminders and audit trail, read and written through the GraphQL schema.

The agency is always the session's own; a person or qualification of another agency is
refused by the API, and the page shows that refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory.accounts.models import Role
from directory.accounts.sessions import SignedIn
from directory.clock import local_today
from directory.web.agency_requests import request_routes
from directory.web.client import execute
from directory.web.csrf import checked_form
from directory.web.editing import FormState, global_id, local_id, mutate, shown
from directory.web.field_errors import FormErrors
from directory.web.form_inputs import Field, read_form, typed, version
from directory.web.lists import audit_page, reminder_page
from directory.web.render import language, render
from directory.web.signin import signed_in_as

PROFILE = (
    Field("nameEn"),
    Field("address"),
    Field("description"),
    Field("contactName"),
    Field("contactPhone"),
    Field("contactEmail"),
    Field("website"),
    Field("services", "list"),
    Field("fields", "list"),
    Field("regionsServed", "list"),
)
DEGREES = ("COLLEGE", "BACHELOR", "MASTER", "DOCTOR")
PERSON = (
    Field("name"),
    Field("employer"),
    Field("degree", "enum", choices=DEGREES),
    Field("major"),
    Field("languages", "words"),
    Field("practisingSince", "date"),
    Field("joinedAgencyOn", "date", omit_empty=True),
    Field("internshipStartedOn", "date", omit_empty=True),
    Field("internshipEndedOn", "date", omit_empty=True),
    Field("fields", "list"),
    Field("phone"),
    Field("personalEmail"),
    Field("idNumber", omit_empty=True),  # shown masked: left empty, it stays as it is
)
QUALIFICATION = (
    Field("number"),
    Field("issuer"),
    Field("level"),
    Field("issuedOn", "date"),
    Field("expiresOn", "date"),
)
NEW_QUALIFICATION = (Field("kind"), *QUALIFICATION)
TRAINING = (
    Field("course"),
    Field("provider"),
    Field("hours", "decimal"),
    Field("completedOn", "date"),
)


def _admin(request: Request) -> tuple[SignedIn, int]:
    session = signed_in_as(request, Role.AGENCY_ADMIN)
    assert session.viewer.agency_id is not None  # an administrator token names its agency
    return session, session.viewer.agency_id


def _codes(items: list[dict[str, Any]]) -> list[str]:
    return [item["code"] for item in items]


def _profile_values(agency: dict[str, Any]) -> dict[str, Any]:
    values = {f.name: agency.get(f.name) or "" for f in PROFILE}
    for name in ("services", "fields", "regionsServed"):
        values[name] = _codes(agency[name])
    return values


def _year(request: Request) -> int:
    return local_today(request.app.state.clock()).year


async def _home(request: Request, profile: FormState | None = None) -> Response:
    _, agency_id = _admin(request)
    variables = {"id": global_id("Agency", agency_id), "year": _year(request)}
    data = (await execute(request, "admin_agency", variables)).data
    agency = data["agency"]
    if agency is None:
        raise HTTPException(404)
    profile = shown(profile, _profile_values(agency), agency["version"])
    context = {
        "nav_current": "admin",
        "agency": agency,
        "choices": data,
        "profile": profile,
        "saved": request.query_params.get("saved"),
    }
    return await render(request, "admin/home.html", context)


async def home(request: Request) -> Response:
    return await _home(request)


async def save_profile(request: Request) -> Response:
    session, agency_id = _admin(request)
    form = await checked_form(request, session)
    lang = language(request)
    values, errors = read_form(form, PROFILE, lang)
    sent_version = version(form)
    if not errors:
        input_ = {"id": global_id("Agency", agency_id), "version": sent_version, **values}
        done, errors = await mutate(request, "update_agency", {"input": input_}, "updateAgency")
        if done is not None:
            return RedirectResponse("/admin?saved=profile", status_code=303)
    state = FormState(values={**typed(form, PROFILE), "version": sent_version}, errors=errors)
    return await _home(request, state)


def _person_values(person: dict[str, Any]) -> dict[str, Any]:
    values = {f.name: person.get(f.name) or "" for f in PERSON}
    values["fields"] = _codes(person["fields"])
    values["languages"] = ", ".join(person["languages"])
    values["idNumber"] = ""
    return values


async def _person(
    request: Request,
    person_id: int,
    forms: dict[str, FormState] | None = None,
) -> Response:
    _, agency_id = _admin(request)
    variables = {"id": global_id("Practitioner", person_id), "year": _year(request)}
    data = (await execute(request, "admin_person", variables)).data
    person = data["practitioner"]
    if person is None:
        raise HTTPException(404)
    if person["agency"] is None or local_id(person["agency"]["id"]) != agency_id:
        refusal = FormErrors()
        refusal.add("FORBIDDEN", None, language(request))
        return await _refused(request, refusal)
    forms = forms or {}
    edit = shown(forms.get("person"), _person_values(person), person["version"])
    qualifications = [
        (q, forms.get(f"qualification:{local_id(q['id'])}") or FormState(values=dict(q)))
        for q in person["qualifications"]
    ]
    context = {
        "nav_current": "admin",
        "person": person,
        "choices": data,
        "edit": edit,
        "qualifications": qualifications,
        "new_qualification": forms.get("qualification:new") or FormState(),
        "training": forms.get("training") or FormState(),
        "year": variables["year"],
        "saved": request.query_params.get("saved"),
        "kinds": [k for k in data["qualificationKinds"] if k["holder"] == "PRACTITIONER"],
    }
    return await render(request, "admin/person.html", context)


async def _refused(request: Request, errors: FormErrors) -> Response:
    """A refusal with no form to show it in (another agency's record): a page of its own."""
    message = " ".join(errors.general or list(errors.fields.values()))
    context = {"message": message, "back_url": "/admin", "nav_current": "admin"}
    return await render(request, "forbidden.html", context, status_code=403)


def _person_id(request: Request) -> int:
    return int(request.path_params["person"])


async def person_page(request: Request) -> Response:
    return await _person(request, _person_id(request))


async def new_person_page(request: Request) -> Response:
    _admin(request)
    choices = (await execute(request, "person_choices")).data
    state = FormState(values={f.name: [] if f.kind == "list" else "" for f in PERSON})
    context = {"nav_current": "admin", "choices": choices, "edit": state}
    return await render(request, "admin/new_person.html", context)


async def add_person(request: Request) -> Response:
    session, agency_id = _admin(request)
    form = await checked_form(request, session)
    values, errors = read_form(form, PERSON, language(request))
    if not errors:
        input_ = {"agencyId": global_id("Agency", agency_id), **values}
        done, errors = await mutate(
            request, "add_practitioner", {"input": input_}, "addPractitioner"
        )
        if done is not None:
            new_id = local_id(done["practitioner"]["id"])
            return RedirectResponse(f"/admin/people/{new_id}?saved=added", status_code=303)
    choices = (await execute(request, "person_choices")).data
    state = FormState(values=typed(form, PERSON), errors=errors)
    context = {"nav_current": "admin", "choices": choices, "edit": state}
    return await render(request, "admin/new_person.html", context)


async def _person_form(
    request: Request,
    fields: tuple[Field, ...],
    form_name: str,
    document: str,
    result: str,
    extra: Callable[[FormData], dict[str, Any]],
    saved: str,
) -> Response:
    """Post one of the forms of a person's page; back to the page, saved or with problems."""
    session, _ = _admin(request)
    person_id = _person_id(request)
    form = await checked_form(request, session)
    values, errors = read_form(form, fields, language(request))
    if not errors:
        input_ = {**extra(form), **values}
        done, errors = await mutate(request, document, {"input": input_}, result)
        if done is not None:
            return RedirectResponse(f"/admin/people/{person_id}?saved={saved}", status_code=303)
    if "FORBIDDEN" in errors.codes or "NOT_FOUND" in errors.codes:
        return await _refused(request, errors)
    state = FormState(values={**typed(form, fields), "version": version(form)}, errors=errors)
    return await _person(request, person_id, {form_name: state})


async def update_person(request: Request) -> Response:
    person = global_id("Practitioner", _person_id(request))
    return await _person_form(
        request,
        PERSON,
        "person",
        "update_practitioner",
        "updatePractitioner",
        lambda form: {"id": person, "version": version(form)},
        "person",
    )


async def remove_person(request: Request) -> Response:
    session, _ = _admin(request)
    person_id = _person_id(request)
    form = await checked_form(request, session)
    variables = {"id": global_id("Practitioner", person_id), "version": version(form)}
    done, errors = await mutate(request, "remove_practitioner", variables, "removePractitioner")
    if done is not None:
        return RedirectResponse("/admin?saved=removed", status_code=303)
    if errors.conflict:
        return await _person(request, person_id, {"person": FormState(errors=errors)})
    return await _refused(request, errors)


def _of_person(request: Request) -> Callable[[FormData], dict[str, Any]]:
    person = global_id("Practitioner", _person_id(request))
    return lambda form: {"practitionerId": person}


async def add_qualification(request: Request) -> Response:
    return await _person_form(
        request,
        NEW_QUALIFICATION,
        "qualification:new",
        "add_qualification",
        "addQualification",
        _of_person(request),
        "qualification",
    )


async def update_qualification(request: Request) -> Response:
    qualification_id = int(request.path_params["qualification"])
    qualification = global_id("Qualification", qualification_id)
    return await _person_form(
        request,
        QUALIFICATION,
        f"qualification:{qualification_id}",
        "update_qualification",
        "updateQualification",
        lambda form: {"id": qualification},
        "qualification",
    )


async def record_training(request: Request) -> Response:
    return await _person_form(
        request,
        TRAINING,
        "training",
        "record_training",
        "recordTraining",
        _of_person(request),
        "training",
    )


async def reminders(request: Request) -> Response:
    _admin(request)
    return await reminder_page(request, "reminders.html", {}, nav_current="admin")


async def audit(request: Request) -> Response:
    _admin(request)
    return await audit_page(request, "audit.html", {}, nav_current="admin")


def admin_routes() -> list[BaseRoute]:
    people = "/admin/people/{person:int}"
    return [
        Route("/admin", home, methods=["GET"], name="admin"),
        Route("/admin/profile", save_profile, methods=["POST"]),
        Route("/admin/people/new", new_person_page, methods=["GET"]),
        Route("/admin/people/new", add_person, methods=["POST"]),
        Route(people, person_page, methods=["GET"]),
        Route(people, update_person, methods=["POST"]),
        Route(f"{people}/remove", remove_person, methods=["POST"]),
        Route(f"{people}/qualifications", add_qualification, methods=["POST"]),
        Route(
            f"{people}/qualifications/{{qualification:int}}",
            update_qualification,
            methods=["POST"],
        ),
        Route(f"{people}/training", record_training, methods=["POST"]),
        Route("/admin/reminders", reminders, methods=["GET"]),
        Route("/admin/audit", audit, methods=["GET"]),
        *request_routes(),  # engagement requests firms sent the agency
    ]
