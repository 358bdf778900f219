"""The bureau's pages: the dashboard of targets and growth, the work queues, the audit log.

Everything but the import and export of sheets goes through the GraphQL schema; those two
have no mutation, so they call the same transfer services as `ipdir import` and `ipdir
export` (see transfer.py), only for a signed-in bureau and acting as its token.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from directory.accounts.models import Role
from directory.clock import local_today
from directory.web.charts import SMALL, Line, line_chart
from directory.web.client import execute
from directory.web.csrf import checked_form
from directory.web.editing import global_id, mutate
from directory.web.engagements import page as engagements_page
from directory.web.engagements import report_page
from directory.web.lists import audit_page, reminder_page
from directory.web.render import language, render
from directory.web.signin import signed_in_as
from directory.web.transfer import transfer_routes

INTERVALS = ("YEAR", "QUARTER", "MONTH")
_SPAN = {"YEAR": 10 * 366, "QUARTER": 4 * 366, "MONTH": 2 * 366}  # days of growth shown


def _bureau(request: Request) -> None:
    signed_in_as(request, Role.BUREAU)


def _label(lang: str, item: dict[str, Any], zh: str = "labelZh", en: str = "labelEn") -> str:
    return str(item[en] if lang == "en" and item.get(en) else item[zh])


def _shown(value: float, ratio: bool, unit: str = "") -> str:
    return f"{value:.0%}" if ratio else f"{value:g}{unit}"


def _statistic_rows(data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The latest recorded value of each statistic and region, in the kinds' order."""
    kinds = {k["code"]: k for k in data["statisticKinds"]}
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in data["statistics"]:  # oldest first: the last one of a kind and region wins
        latest[(row["statistic"], _label(lang, row["region"], "nameZh", "nameEn"))] = row
    order = list(kinds)
    rows = []
    for (code, region), row in sorted(latest.items(), key=lambda i: (order.index(i[0][0]), i[0])):
        kind = kinds[code]
        unit = _label(lang, kind, "unitZh", "unitEn")
        rows.append(
            {
                "name": _label(lang, kind, "nameZh", "nameEn"),
                "region": region,
                "as_of": row["asOf"],
                "value": _shown(float(row["value"]), kind["isRatio"], f" {unit}" if unit else ""),
                "source": row["source"],
            }
        )
    return rows


def _target_card(
    target: dict[str, Any], lang: str, recorded: set[str] | None = None
) -> dict[str, Any]:
    latest = target["latest"]
    threshold = float(target["threshold"])
    value = float(latest["value"]) if latest else None
    title = _label(lang, target, "descriptionZh", "descriptionEn")
    history = [s for s in target["history"] if s["takenOn"]]
    chart = None
    if history:
        labels = [date.fromisoformat(s["takenOn"]).strftime("%m-%d") for s in history]
        word = "figure" if lang == "en" else "实际"
        goal = "target" if lang == "en" else "目标"
        chart = line_chart(
            title,
            labels,
            [Line(word, [float(s["value"]) for s in history])],
            threshold=Line(goal, [threshold] * len(labels)),
            size=SMALL,
        )
    ratio = bool(target["isRatio"])
    return {
        **target,
        "title": title,
        "value": value,
        "shown_value": _shown(value, ratio) if value is not None else "—",
        "shown_threshold": _shown(threshold, ratio),
        # a statistic never recorded, or none the check could read for the region (no snapshot)
        "no_data": bool(target["statistic"])
        and (target["statistic"] not in (recorded or set()) or latest is None),
        "percent": min(100, round(100 * value / threshold)) if value and threshold else 0,
        "chart": chart,
    }


def _period(point: dict[str, Any], interval: str) -> str:
    """A period as its axis names it: 2026, 2026Q3 or 2026-07, after its first day."""
    start = date.fromisoformat(point["periodStart"])
    if interval == "YEAR":
        return str(start.year)
    if interval == "QUARTER":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%Y-%m")


def _growth_chart(
    title: str, series: list[dict[str, Any]], interval: str, lang: str
) -> dict[str, Any]:
    series = [s for s in series if any(p["value"] for p in s["points"])] or series[:1]
    labels = [_period(p, interval) for p in series[0]["points"]] if series else []
    lines = [Line(_label(lang, s), [p["value"] for p in s["points"]]) for s in series]
    return {
        "title": title,
        "svg": line_chart(title, labels, lines) if labels else None,
        "labels": labels,
        "lines": lines,
    }


async def dashboard(request: Request) -> Response:
    _bureau(request)
    lang = language(request)
    interval = request.query_params.get("interval", "YEAR")
    interval = interval if interval in INTERVALS else "YEAR"
    region = request.query_params.get("region", "")
    today = local_today(request.app.state.clock())
    variables = {
        "from": (today - timedelta(days=_SPAN[interval])).isoformat(),
        "interval": interval,
        "region": region or None,
    }
    answer = await execute(request, "bureau_dashboard", variables)
    if answer.problems:  # an unknown region in the address: show everything instead
        variables["region"], region = None, ""
        answer = await execute(request, "bureau_dashboard", variables)
    data = answer.data
    titles = {
        "agencies": ("服务机构数", "Agencies"),
        "practitioners": ("从业人员数", "Practitioners"),
        "qualifications": ("有效资格证书（按类型）", "Valid qualifications by kind"),
    }
    recorded = {row["statistic"] for row in data["statistics"]}
    charts = [
        _growth_chart(titles[key][1 if lang == "en" else 0], data[key], interval, lang)
        for key in titles
    ]
    context = {
        "nav_current": "bureau",
        "targets": [_target_card(t, lang, recorded) for t in data["targets"]],
        "statistics": _statistic_rows(data, lang),
        "charts": charts,
        "regions": [r for r in data["regions"] if r["code"].startswith("5119")],
        "region": region,
        "interval": interval,
        "intervals": INTERVALS,
    }
    return await render(request, "bureau/dashboard.html", context)


async def queue(request: Request) -> Response:
    _bureau(request)
    data = (await execute(request, "bureau_queue")).data
    people = data["practitioners"]["edges"]
    waiting = [
        (edge["node"], q)
        for edge in people
        for q in edge["node"]["qualifications"]
        if q["verification"] == "PENDING"
    ]
    licences = [
        (edge["node"], licence)
        for edge in data["licenceHolders"]["edges"]
        for licence in edge["node"]["licences"]
        if licence["verification"] == "PENDING"
    ]
    context = {
        "nav_current": "bureau",
        "agencies": data["agencies"],
        "qualifications": waiting,
        "licences": licences,
        "done": request.query_params.get("done"),
        "problem": request.query_params.get("problem"),
    }
    return await render(request, "bureau/queue.html", context)


def _back(path: str, **outcome: str) -> Response:
    query = "&".join(f"{k}={v}" for k, v in outcome.items())
    return RedirectResponse(f"{path}?{query}", status_code=303)


async def verify_agency(request: Request) -> Response:
    session = signed_in_as(request, Role.BUREAU)
    form = await checked_form(request, session)
    version = str(form.get("version", ""))
    variables = {
        "id": global_id("Agency", int(request.path_params["agency"])),
        "version": int(version) if version.isdigit() else -1,
        "approve": form.get("approve") == "1",
    }
    done, errors = await mutate(request, "verify_agency", variables, "verifyAgency")
    if done is None:
        return _back("/bureau/queue", problem=sorted(errors.codes)[0] if errors.codes else "")
    outcome = "agency-verified" if variables["approve"] else "agency-rejected"
    return _back("/bureau/queue", done=outcome)


async def verify_qualification(request: Request) -> Response:
    session = signed_in_as(request, Role.BUREAU)
    form = await checked_form(request, session)
    approve = form.get("approve") == "1"
    variables = {
        "id": global_id("Qualification", int(request.path_params["qualification"])),
        "approve": approve,
    }
    done, errors = await mutate(request, "verify_qualification", variables, "verifyQualification")
    if done is None:
        return _back("/bureau/queue", problem=sorted(errors.codes)[0] if errors.codes else "")
    return _back("/bureau/queue", done="verified" if approve else "rejected")


async def verify_licence(request: Request) -> Response:
    session = signed_in_as(request, Role.BUREAU)
    form = await checked_form(request, session)
    version = str(form.get("version", ""))
    approve = form.get("approve") == "1"
    variables = {
        "id": global_id("AgencyLicence", int(request.path_params["licence"])),
        "version": int(version) if version.isdigit() else -1,
        "approve": approve,
    }
    done, errors = await mutate(request, "verify_agency_licence", variables, "verifyAgencyLicence")
    if done is None:
        return _back("/bureau/queue", problem=sorted(errors.codes)[0] if errors.codes else "")
    return _back("/bureau/queue", done="licence-verified" if approve else "licence-rejected")


async def reviews(request: Request) -> Response:
    _bureau(request)
    hidden = request.query_params.get("hidden", "")
    agency = request.query_params.get("agency", "")
    variables = {
        "filter": {
            "hidden": {"1": True, "0": False}.get(hidden),
            "agency": global_id("Agency", int(agency)) if agency.isdigit() else None,
        },
        "after": request.query_params.get("after") or None,
    }
    data = (await execute(request, "review_list", variables)).data
    context = {
        "nav_current": "bureau",
        "reviews": data["reviews"],
        "hidden": hidden,
        "agency": agency if agency.isdigit() else "",
        "done": request.query_params.get("done"),
    }
    return await render(request, "bureau/reviews.html", context)


async def set_review_hidden(request: Request) -> Response:
    session = signed_in_as(request, Role.BUREAU)
    form = await checked_form(request, session)
    hide = form.get("hidden") == "1"
    variables = {"id": str(request.path_params["review"]), "hidden": hide}
    done, _ = await mutate(request, "set_review_hidden", variables, "setReviewHidden")
    outcome = ("hidden" if hide else "shown") if done else "failed"
    return _back("/bureau/reviews", done=outcome)


async def reminders(request: Request) -> Response:
    _bureau(request)
    fixed = {"status": "FAILED"}
    done = request.query_params.get("done", "")
    return await reminder_page(
        request,
        "reminders.html",
        fixed,
        nav_current="bureau",
        requeue=True,
        done=done if done in ("requeued", "failed") else "",
    )


async def requeue_reminders(request: Request) -> Response:
    """Send FAILED reminders again: one (its card's button) or every one the page shows."""
    session = signed_in_as(request, Role.BUREAU)
    form = await checked_form(request, session)
    ids = [str(i) for i in form.getlist("id") if str(i).isdigit()]
    done, _ = await mutate(request, "requeue_reminders", {"ids": ids}, "requeueReminders")
    return _back("/bureau/reminders", done="requeued" if done else "failed")


async def audit(request: Request) -> Response:
    _bureau(request)
    return await audit_page(request, "audit.html", {}, nav_current="bureau")


def bureau_routes() -> list[BaseRoute]:
    return [
        Route("/bureau", dashboard, methods=["GET"], name="bureau"),
        Route("/bureau/queue", queue, methods=["GET"]),
        Route("/bureau/agencies/{agency:int}/verify", verify_agency, methods=["POST"]),
        Route(
            "/bureau/qualifications/{qualification:int}/verify",
            verify_qualification,
            methods=["POST"],
        ),
        Route("/bureau/licences/{licence:int}/verify", verify_licence, methods=["POST"]),
        Route("/bureau/reviews", reviews, methods=["GET"]),
        Route("/bureau/reviews/{review:int}/hidden", set_review_hidden, methods=["POST"]),
        Route("/bureau/reminders", reminders, methods=["GET"]),
        Route("/bureau/reminders/requeue", requeue_reminders, methods=["POST"]),
        Route("/bureau/audit", audit, methods=["GET"]),
        Route("/bureau/engagements", engagements_page, methods=["GET"]),
        Route("/bureau/engagements/report/{month}", report_page, methods=["GET"]),
        *transfer_routes(),
    ]
