"""Lists that administrators and the bureau both page through: reminders and the audit log.

The API scopes both to the viewer (an administrator sees its own agency's); the filters of
the page are query parameters, so a filtered list has an address that can be shared.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from directory.clock import CALENDAR_TZ
from directory.web.client import execute
from directory.web.editing import global_id
from directory.web.messages import MESSAGES, translate
from directory.web.render import language, render

REMINDER_STATUSES = ("PENDING", "SENDING", "SENT", "FAILED")
ENTITY_TYPES = (
    "agency",
    "practitioner",
    "qualification",
    "training_record",
    "review",
    "target",
    "api_token",
    "annual_report",
    "agency_notification",
    "engagement_request",
)


def _param(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def reminder_page(
    request: Request, template: str, fixed: dict[str, Any], **context: Any
) -> Response:
    status = _param(request, "status") or fixed.get("status", "")
    flt: dict[str, Any] = {"status": status if status in REMINDER_STATUSES else None}
    variables = {"filter": flt, "after": _param(request, "after") or None}
    data = (await execute(request, "reminder_list", variables)).data
    shown = {"reminders": data["reminders"], "status": flt["status"] or "", **context}
    return await render(request, template, {"statuses": REMINDER_STATUSES, **shown})


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _changes(changes: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) of an entry; a private field says only that it changed."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            rows.append((name, _shown(change[0]), _shown(change[1])))
        else:
            rows.append((name, "", _shown(change)))
    return rows


def _name(lang: str, prefix: str, code: str) -> str:
    """The word for a code the log stores; the code itself when the pages have none."""
    key = f"{prefix}.{code}"
    return translate(lang, key) if key in MESSAGES else code


def _entry(node: dict[str, Any], lang: str) -> dict[str, Any]:
    at = datetime.fromisoformat(node["at"]).astimezone(CALENDAR_TZ)
    return {
        **node,
        "local_at": at.strftime("%Y-%m-%d %H:%M"),
        "who": _name(lang, "role", node["role"]),
        "what": _name(lang, "entity", node["entityType"]),
        "did": _name(lang, "action", node["action"]),
        "rows": _changes(node["changes"]),
    }


async def audit_page(
    request: Request, template: str, fixed: dict[str, Any], **context: Any
) -> Response:
    """The audit log; `?entityType=&entityId=&agency=<number>&since=YYYY-MM-DD` filter it."""
    entity_type = _param(request, "entityType")
    agency = _param(request, "agency")
    since = _day(_param(request, "since"))
    flt: dict[str, Any] = {
        "entityType": entity_type or None,
        "entityId": _param(request, "entityId") or None,
        "agency": global_id("Agency", int(agency)) if agency.isdigit() else None,
        "since": datetime.combine(since, time(), CALENDAR_TZ).isoformat() if since else None,
        **fixed,
    }
    variables = {"filter": flt, "after": _param(request, "after") or None}
    data = (await execute(request, "audit_list", variables)).data
    log = data["auditLog"]
    shown = {
        "entries": log,
        "rows": [_entry(edge["node"], language(request)) for edge in log["edges"]],
        "filter": {
            "entityType": entity_type,
            "entityId": flt["entityId"] or "",
            "agency": agency if agency.isdigit() else "",
            "since": since.isoformat() if since else "",
        },
        "entity_types": ENTITY_TYPES,
        **context,
    }
    return await render(request, template, shown)
