"""An agency administrator's engagement requests: the list (open first) and the answer form.

Everything goes through the schema: the list and the request are what
`agencyEngagementRequests` shows the session's agency, the answer is
`answerEngagementRequest`, whose refusals land next to their fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory.accounts.models import Role
from directory.clock import CALENDAR_TZ
from directory.engagements.models import DeclineReason
from directory.web.client import execute
from directory.web.csrf import checked_form
from directory.web.editing import FormState, mutate
from directory.web.render import language, render
from directory.web.signin import signed_in_as


def local_minute(instant: str | None) -> str:
    """An API timestamp as the pages show it: Asia/Shanghai, to the minute."""
    if not instant:
        return ""
    return datetime.fromisoformat(instant).astimezone(CALENDAR_TZ).strftime("%Y-%m-%d %H:%M")


ANSWERS = ("accept", "decline")  # the two forms of a request's page
_SAVED = ("accepted", "declined")
_REASONS = frozenset(r.name for r in DeclineReason)  # as the API's enum names them


async def request_list(request: Request) -> Response:
    signed_in_as(request, Role.AGENCY_ADMIN)
    data = (await execute(request, "agency_requests")).data["agencyEngagementRequests"]
    saved = request.query_params.get("saved")
    context = {
        "nav_current": "admin",
        "local_minute": local_minute,
        "requests": data["requests"],
        "total": data["totalCount"],
        "saved": saved if saved in _SAVED else None,
    }
    return await render(request, "admin/requests.html", context)


async def _request_page(
    request: Request, number: int, forms: dict[str, FormState] | None = None
) -> Response:
    signed_in_as(request, Role.AGENCY_ADMIN)
    data = (await execute(request, "agency_request", {"id": str(number)})).data
    found = data["agencyEngagementRequest"]
    if found is None:  # another agency's, or not released: not this agency's business
        raise HTTPException(404)
    fields = {f["code"]: f for f in data["technicalFields"]}
    context = {
        "nav_current": "admin",
        "local_minute": local_minute,
        "r": found,
        "field": fields.get(found["needField"] or ""),
        "reasons": data["declineReasons"],
        "reason_options": [
            (c["reason"], c["labelEn"] if language(request) == "en" else c["labelZh"])
            for c in data["declineReasons"]
        ],
        "forms": {name: (forms or {}).get(name) or FormState() for name in ANSWERS},
    }
    return await render(request, "admin/request.html", context)


async def request_page(request: Request) -> Response:
    return await _request_page(request, int(request.path_params["number"]))


async def answer(request: Request) -> Response:
    session = signed_in_as(request, Role.AGENCY_ADMIN)
    number = int(request.path_params["number"])
    form = await checked_form(request, session)
    which = str(form.get("answer", ""))
    if which not in ANSWERS:
        raise HTTPException(400)
    values: dict[str, Any] = {"note": str(form.get("note", "")).strip()}
    variables: dict[str, Any] = {"id": str(number), "accept": which == "accept", **values}
    if which == "decline":
        values["declineReason"] = str(form.get("declineReason", ""))
        sent = values["declineReason"]
        variables["declineReason"] = sent if sent in _REASONS else None
    done, errors = await mutate(request, "answer_request", variables, "answerEngagementRequest")
    if done is not None:
        outcome = "accepted" if which == "accept" else "declined"
        return RedirectResponse(f"/admin/requests?saved={outcome}", status_code=303)
    if "NOT_FOUND" in errors.codes:
        raise HTTPException(404)
    return await _request_page(request, number, {which: FormState(values, errors)})


def request_routes() -> list[BaseRoute]:
    one = "/admin/requests/{number:int}"
    return [
        Route("/admin/requests", request_list, methods=["GET"]),
        Route(one, request_page, methods=["GET"]),
        Route(f"{one}/answer", answer, methods=["POST"]),
    ]
