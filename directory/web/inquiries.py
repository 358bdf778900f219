"""The firm's engagement pages (no account): ask agencies from 找代理's results, confirm the
e-mail from the mailed link, and follow the requests on the private page the other link opens.

The private page's address holds the firm's token: its answers are never cached, never sent
to another site as a referrer, and never indexed.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory.web.client import execute
from directory.web.csrf import checked_form
from directory.web.editing import FormState, mutate
from directory.web.firms import MATCH_FIELDS, match_context, match_need
from directory.web.render import render
from directory.web.session import request_session

FIRM_FIELDS = ("firmName", "firmCreditCode", "contactEmail", "contactPhone", "message")
STEPS = {
    "start": ("start_engagement", "startEngagement"),
    "finish": ("finish_engagement", "finishEngagement"),
    "withdraw": ("withdraw_engagement_request", "withdrawEngagementRequest"),
}
_PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex",
}


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _private(response: Response) -> Response:
    response.headers.update(_PRIVATE)
    return response


async def send_requests(request: Request) -> Response:
    """The form under 找代理's results: the agencies chosen and the firm's details."""
    form = await checked_form(request, request_session(request))
    need_values = {name: _text(form, name) for name in MATCH_FIELDS}
    services = [s for s in form.getlist("services") if isinstance(s, str) and s]
    chosen = [a for a in form.getlist("agency") if isinstance(a, str) and a]
    values = {name: _text(form, name) for name in FIRM_FIELDS}
    variables = {
        "input": {"need": match_need(need_values, services), "agencyIds": chosen, **values}
    }
    done, errors = await mutate(
        request, "send_engagement_request", variables, "sendEngagementRequest"
    )
    if done is not None:
        return RedirectResponse(f"/requests/sent?n={done['requests']}", status_code=303)
    context = await match_context(request, need_values, services, asked=True)
    context["engage"] = FormState(values={**values, "agency": chosen}, errors=errors)
    return await render(request, "match.html", context)


async def sent_page(request: Request) -> Response:
    asked = request.query_params.get("n", "")
    count = int(asked) if asked.isdigit() and 0 < int(asked) <= 3 else None
    return await render(request, "engagements/sent.html", {"count": count})


async def confirm_page(request: Request) -> Response:
    """The mailed confirmation link: a button, so a mail scanner that opens links confirms
    nothing."""
    context = {"token": request.path_params["token"], "state": FormState()}
    return _private(await render(request, "engagements/confirm.html", context))


async def confirm(request: Request) -> Response:
    await checked_form(request, request_session(request))
    token: str = request.path_params["token"]
    variables = {"token": token}
    done, errors = await mutate(
        request, "confirm_engagement_email", variables, "confirmEngagementEmail"
    )
    context: dict[str, Any] = {"token": token, "state": FormState(errors=errors)}
    if done is not None:
        context["confirmed"] = done["inquiry"]["requests"]
    return _private(await render(request, "engagements/confirm.html", context))


async def _inquiry(request: Request, errors: dict[str, FormState] | None = None) -> Response:
    token: str = request.path_params["token"]
    answer = await execute(request, "engagement_inquiry", {"token": token})
    inquiry = answer.data.get("engagementInquiry") if answer.data else None
    if inquiry is None:
        response = await render(request, "engagements/unknown.html", {}, status_code=404)
        return _private(response)
    context = {
        "token": token,
        "inquiry": inquiry,
        "forms": errors or {},
        "done": request.query_params.get("done"),
    }
    return _private(await render(request, "engagements/inquiry.html", context))


async def inquiry_page(request: Request) -> Response:
    return await _inquiry(request)


async def take_step(request: Request) -> Response:
    await checked_form(request, request_session(request))
    token: str = request.path_params["token"]
    request_id: int = request.path_params["request_id"]
    step: str = request.path_params["step"]
    if step not in STEPS:
        raise HTTPException(404)
    document, result = STEPS[step]
    variables = {"token": token, "requestId": str(request_id)}
    done, errors = await mutate(request, document, variables, result)
    if done is not None:
        return RedirectResponse(
            f"/requests/{token}?done={step}#request-{request_id}", status_code=303
        )
    return await _inquiry(request, {str(request_id): FormState(errors=errors)})


async def review(request: Request) -> Response:
    form = await checked_form(request, request_session(request))
    token: str = request.path_params["token"]
    request_id: int = request.path_params["request_id"]
    rating = _text(form, "rating")
    values = {
        "rating": rating,
        "satisfied": _text(form, "satisfied"),
        "comment": _text(form, "comment"),
    }
    variables = {
        "input": {
            "token": token,
            "requestId": str(request_id),
            "rating": int(rating) if rating.isdigit() and len(rating) == 1 else 0,
            "satisfied": values["satisfied"] == "yes",
            "comment": values["comment"],
        }
    }
    done, errors = await mutate(request, "review_engagement", variables, "reviewEngagement")
    if done is not None:
        return RedirectResponse(
            f"/requests/{token}?done=review#request-{request_id}", status_code=303
        )
    state = FormState(values=values, errors=errors)
    return await _inquiry(request, {str(request_id): state})


def inquiry_routes() -> list[BaseRoute]:
    return [
        Route("/requests", send_requests, methods=["POST"], name="send_requests"),
        Route("/requests/sent", sent_page, name="requests_sent"),
        Route("/requests/confirm/{token}", confirm_page, name="confirm_email"),
        Route("/requests/confirm/{token}", confirm, methods=["POST"]),
        Route("/requests/{token}", inquiry_page, name="inquiry"),
        Route("/requests/{token}/{request_id:int}/review", review, methods=["POST"]),
        Route("/requests/{token}/{request_id:int}/{step}", take_step, methods=["POST"]),
    ]
