"""Changing targets: the bureau adds and adjusts them; every change is checked and audited."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from directory import audit
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode
from directory.permissions import require_bureau
from directory.reference.models import AgencyKind, QualificationKind, Region, ServiceType
from directory.targets.metrics import PARAMS
from directory.targets.models import Metric, Target
from directory.validation import Checker, Rejected

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_COUNT = 10_000_000.0  # a count threshold beyond any sector
_PARAM_INPUTS: tuple[tuple[str, str, type[Any]], ...] = (
    ("kind", "kind", AgencyKind),
    ("service", "service", ServiceType),
    ("qualificationKind", "qualification_kind", QualificationKind),
)
_AUDITED = ("key", "description_zh", "description_en", "metric", "threshold", "deadline",
            "region_id", "params", "active")  # fmt: skip


async def _code(check: Checker, model: type[Any], name: str, code: str | None) -> str | None:
    if not code:
        return None
    await check.codes(model, name, [code])
    return code.strip()


async def clean_target(values: dict[str, Any], current: Target | None) -> dict[str, Any]:
    """The columns to write, from the camelCase keys sent; every problem raised at once."""
    check = Checker()
    out: dict[str, Any] = {}
    creating = current is None
    if "key" in values:
        key = (values["key"] or "").strip()
        if not _KEY.match(key):
            check.add(ErrorCode.INVALID_INPUT, "key", "lower-case letters, digits and _, 2-40")
        out["key"] = key
    for name, column in (("descriptionZh", "description_zh"), ("descriptionEn", "description_en")):
        if name in values or creating:
            out[column] = check.text(name, values.get(name), 200, required=True)
    metric = Metric(values["metric"]) if values.get("metric") else None
    if metric is not None:
        out["metric"] = metric
    metric = metric or (current.metric if current else None)
    if "threshold" in values:
        threshold = float(values["threshold"])
        ratio = metric is Metric.SATISFACTION_RATIO
        top = 1.0 if ratio else MAX_COUNT
        if not 0 < threshold <= top:
            check.add(ErrorCode.OUT_OF_RANGE, "threshold", f"must be above 0 and at most {top:g}")
        out["threshold"] = threshold
    if "deadline" in values:
        deadline: date | None = values["deadline"]
        if deadline is None:
            check.add(ErrorCode.REQUIRED, "deadline", "deadline is required")
        out["deadline"] = deadline
    if "region" in values:
        out["region_id"] = await _code(check, Region, "region", values["region"])
    params = dict(current.params) if current else {}
    for name, key, model in _PARAM_INPUTS:
        if name in values:
            found = await _code(check, model, name, values[name])
            params.pop(key, None)
            if found:
                params[key] = found
    if metric is Metric.QUALIFIED_PRACTITIONER_COUNT and not params.get("qualification_kind"):
        check.add(ErrorCode.REQUIRED, "qualificationKind", "this metric counts one kind")
    out["params"] = {k: params[k] for k in PARAMS if k in params}
    if "active" in values and values["active"] is not None:
        out["active"] = bool(values["active"])
    check.done()
    return out


def _state(target: Target) -> dict[str, Any]:
    return {name: getattr(target, name) for name in _AUDITED}


async def create_target(viewer: Viewer, values: dict[str, Any], at: Moment) -> Target:
    require_bureau(viewer)
    for name in ("key", "metric", "threshold", "deadline", "region"):
        if values.get(name) in (None, ""):
            raise Rejected.one(ErrorCode.REQUIRED, name, f"{name} is required")
    fields = await clean_target(values, None)
    if await Target.exists(key=fields["key"]):
        raise Rejected.one(ErrorCode.DUPLICATE, "key", "a target has this key already")
    target = await Target.create(**fields)
    diff = audit.changes({}, _state(target))
    await audit.record(viewer, "target", target.id, "create", diff, None, at=at)
    return target


async def update_target(
    viewer: Viewer, pk: int, version: int, values: dict[str, Any], at: Moment
) -> Target:
    require_bureau(viewer)
    target = await Target.get_or_none(id=pk)
    if target is None:
        raise Rejected.one(ErrorCode.NOT_FOUND, "id", "no target has this id")
    if "key" in values:
        raise Rejected.one(ErrorCode.INVALID_INPUT, "key", "a target's key cannot change")
    before = _state(target)
    fields = await clean_target(values, target)
    written = await Target.filter(id=pk, version=version).update(**fields, version=version + 1)
    if not written:
        raise Rejected.one(
            ErrorCode.CONFLICT, "version", "the target was changed by someone else: reload it"
        )
    await target.refresh_from_db()
    diff = audit.changes(before, _state(target))
    await audit.record(viewer, "target", target.id, "update", diff, None, at=at)
    return target
