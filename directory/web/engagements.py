"""The bureau's engagement figures as a page and as the monthly report: the same document,
the same charts (directory/web/charts.py) and the same tables, drawn for the screen or paper.

The report is rendered without a request (the worker builds it on the 1st of each month), so
`report_html` runs the page's document in-process as the bureau and renders the printable
template with the words of `messages.py`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from directory.accounts.models import Role
from directory.auth import Viewer
from directory.clock import add_months, local_today
from directory.context import Context
from directory.schema import schema
from directory.web.charts import Line, line_chart
from directory.web.client import document, execute
from directory.web.messages import translate
from directory.web.present import percent
from directory.web.render import language, render, templates
from directory.web.signin import signed_in_as

TREND_MONTHS = 12  # months drawn in the charts, up to the one shown


def _name(lang: str, item: dict[str, Any] | None, fallback: str = "") -> str:
    if not item:
        return fallback
    return str(item.get("nameEn") or item["nameZh"]) if lang == "en" else str(item["nameZh"])


def _rows(groups: list[dict[str, Any]], lang: str, key: str, limit: int = 20) -> list[Any]:
    return [
        {"name": _name(lang, g.get(key), g.get("code", "")), **g["tally"]} for g in groups[:limit]
    ]


def present(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The page's (and the report's) charts and tables from the document's answer. Pure."""
    figures = data["engagementFigures"]

    def t(key: str) -> str:
        return translate(lang, key)

    months = figures["months"]
    labels = [m["month"][:7] for m in months]
    counts = line_chart(
        t("engagements.chart_counts"),
        labels,
        [
            Line(t("engagements.requests"), [m["tally"]["requests"] for m in months]),
            Line(t("engagements.answered"), [m["tally"]["answered"] for m in months]),
            Line(t("engagements.engagements"), [m["tally"]["engagements"] for m in months]),
        ],
    )
    hours = line_chart(
        t("engagements.chart_hours"),
        labels,
        [Line(t("engagements.median_hours"), [m["tally"]["medianHoursToAnswer"] for m in months])],
    )
    agencies = [
        {"name": a["agency"]["name"] if a["agency"] else "—", **a["tally"]}
        for a in figures["agencies"][:20]
    ]
    return {
        "figures": figures,
        "total": figures["total"],
        "last_month": months[-1]["tally"] if months else figures["total"],
        "charts": [counts, hours],
        "agencies": agencies,
        "services": _rows(figures["services"], lang, "service"),
        "regions": _rows(figures["regions"], lang, "region"),
        "unmet": [
            {
                **n,
                "region_name": _name(lang, n["region"], n["regionCode"]),
                "missing": "、".join(_name(lang, s) for s in n["missingServices"]),
            }
            for n in data["unmetNeeds"]
        ],
        "percent": percent,
    }


def trend(month: date) -> dict[str, str]:
    """The document's variables for a month: TREND_MONTHS months ending with it."""
    start = add_months(month, 1 - TREND_MONTHS)
    end = add_months(month, 1) - timedelta(days=1)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _month(asked: str, today: date) -> date:
    try:
        return date.fromisoformat(f"{asked}-01")
    except ValueError:
        return today.replace(day=1)


async def page(request: Request) -> Response:
    signed_in_as(request, Role.BUREAU)
    today = local_today(request.app.state.clock())
    month = _month(request.query_params.get("month", ""), today)
    answer = await execute(request, "bureau_engagements", trend(month))
    context = {"nav_current": "bureau", "month": month.isoformat()[:7]}
    context |= present(answer.data, language(request))
    return await render(request, "bureau/engagements.html", context)


async def report_page(request: Request) -> Response:
    """The monthly report as it is mailed, to read or print in the browser."""
    signed_in_as(request, Role.BUREAU)
    now = request.app.state.clock()
    month = _month(request.path_params["month"], local_today(now))
    html, _ = await monthly_report(month, now, language(request))
    return HTMLResponse(html)


async def _run_as_bureau(month: date, now: datetime) -> dict[str, Any]:
    context = Context(request=None, viewer=Viewer(role=Role.BUREAU), now=now)
    result = await schema.execute(
        document("bureau_engagements"), variable_values=trend(month), context_value=context
    )
    if result.errors or result.data is None:
        raise RuntimeError(f"monthly report: {result.errors}")
    return result.data


async def monthly_report(month: date, now: datetime, lang: str = "zh") -> tuple[str, Any]:
    """The report of `month` (its first day), printable, its charts inline SVG; and the
    month's tally it heads with."""
    data = await _run_as_bureau(month, now)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    page = present(data, lang) | {
        "t": t,
        "lang": lang,
        "month": month.isoformat()[:7],
        "built_on": local_today(now).isoformat(),
    }
    html = templates.get_template("bureau/engagement_report.html").render(page)
    return html, page["last_month"]
