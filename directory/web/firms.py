"""The firms' pages (no account): the directory, an agency's page and 找代理 (matching)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry import relay

from directory.web.choices import ASKABLE_LANGUAGES, language_name, region_groups
from directory.web.client import Answer, execute
from directory.web.editing import FormState
from directory.web.render import language, render

PAGE_SIZE = 20  # agency cards a directory page shows before "more"
_DIRECTORY_FIELDS = ("q", "region", "serves", "service", "field")


def _form(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip() for name in names}


async def _options(request: Request) -> dict[str, Any]:
    data = (await execute(request, "options")).data
    return {
        **data,
        "region_groups": region_groups(data["regions"], request.app.state.settings.home_region),
    }


async def directory_page(request: Request) -> Response:
    form = _form(request, _DIRECTORY_FIELDS)
    form["verified"] = "1" if request.query_params.get("verified") == "1" else ""
    after = request.query_params.get("after") or None
    variables = {
        "first": PAGE_SIZE,
        "after": after,
        "filter": {
            "text": form["q"] or None,
            "region": form["region"] or None,
            "servesRegion": form["serves"] or None,
            "service": form["service"] or None,
            "field": form["field"] or None,
            "verified": True if form["verified"] else None,
        },
    }
    answer = await execute(request, "directory", variables)
    context = {
        "form": form,
        "after": after,
        "agencies": answer.data.get("agencies"),
        "problems": _by_field(answer, {"servesRegion": "serves", "text": "q"}),
        "filtered": any(form[name] for name in (*_DIRECTORY_FIELDS[1:], "verified")),
        **await _options(request),
    }
    return await render(request, "directory.html", context)


async def agency_page(request: Request) -> Response:
    number: int = request.path_params["number"]
    variables = {
        "id": relay.to_base64("Agency", number),
        "reviewsAfter": request.query_params.get("reviews") or None,
    }
    answer = await execute(request, "agency", variables)
    if answer.problems and not answer.data:  # a stale review-page link
        variables["reviewsAfter"] = None
        answer = await execute(request, "agency", variables)
    agency = answer.data.get("agency")
    if agency is None:
        raise HTTPException(404)
    context = {
        "agency": agency,
        "reviews": answer.data["agencyReviews"],
        "reviews_paged": variables["reviewsAfter"] is not None,
        "language_name": lambda code: language_name(code, language(request)),
    }
    return await render(request, "agency.html", context)


MATCH_FIELDS = ("region", "field", "text", "language")


def match_need(values: dict[str, str], services: list[str]) -> dict[str, Any]:
    """The MatchNeedInput of the 找代理 form's values."""
    return {
        "services": services,
        "region": values["region"],
        "field": values["field"] or None,
        "text": values["text"] or None,
        "language": values["language"] or None,
    }


async def match_context(
    request: Request, form: dict[str, str], services: list[str], asked: bool
) -> dict[str, Any]:
    """What match.html shows for a need: the form, and the results once asked."""
    matches: list[dict[str, Any]] | None = None
    problems: dict[str, str] = {}
    if asked:
        need = match_need(form, services)
        answer = await execute(request, "match", {"need": need})
        problems = _by_field(answer, {f"need.{k}": k for k in need})
        matches = answer.data.get("matchAgencies") if not problems else None
    return {
        "form": form,
        "services": services,
        "asked": asked,
        "matches": matches,
        "partial": bool(matches) and all(m["partialCoverage"] for m in matches or ()),
        "problems": problems,
        "languages": ASKABLE_LANGUAGES,
        "engage": FormState(),  # the request to agencies under the results (web/inquiries.py)
        **await _options(request),
    }


async def match_page(request: Request) -> Response:
    form = _form(request, MATCH_FIELDS)
    services = [s for s in request.query_params.getlist("services") if s]
    asked = "region" in request.query_params or bool(services)
    context = await match_context(request, form, services, asked)
    return await render(request, "match.html", context)


def _by_field(answer: Answer, renames: dict[str, str]) -> dict[str, str]:
    """The API's problems by the form field they belong to: code of the problem, per field."""
    found: dict[str, str] = {}
    for problem in answer.problems:
        name = renames.get(problem.field or "", problem.field or "form")
        found.setdefault(name, problem.code)
    return found
