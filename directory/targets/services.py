"""Changing targets: the bureau adds and adjusts them; every change is checked and audited."""

from __future__ import annotations

import re
from typing import Any

from directory import audit
from directory.auth import Viewer
from directory.clock import Moment
from directory.errors import ErrorCode, Rejected, api_name, says
from directory.inputs import UNSET, Maybe
from directory.labels import label
from directory.reference.models import AgencyKind, QualificationKind, Region, ServiceType
from directory.targets import statistics
from directory.targets.changes import TargetChanges
from directory.targets.metrics import PARAMS
from directory.targets.models import Metric, Target
from directory.validation import Checker
from directory.versioning import Versioned, save_versioned

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_COUNT = 10_000_000.0  # a count threshold beyond any sector
_PARAM_INPUTS: tuple[tuple[str, type[Any]], ...] = (  # fields of TargetChanges and params keys
    ("kind", AgencyKind),
    ("service", ServiceType),
    ("qualification_kind", QualificationKind),
)
TARGET: Versioned[Target] = Versioned(
    entity="target",
    audited=(
        "key",
        "description_zh",
        "description_en",
        "metric",
        "threshold",
        "deadline",
        "region_id",
        "params",
        "active",
    ),
)


GROWTH_TOP = 10.0  # a yearly growth rate above 1000 % is a typing error


def _unknown_statistic(key: str) -> str:
    known = "、".join(statistics.KINDS)
    return (
        f"没有代码为 {key[:40]!r} 的统计项，可选：{known}（no statistic has the code {key[:40]!r}）"
    )


def _statistic_of(changes: TargetChanges, current: Target | None) -> str | None:
    if changes.statistic is not UNSET:
        return (changes.statistic or "").strip() or None
    return current.params.get("statistic") if current else None


def _top(metric: Metric | None, statistic: str | None) -> float:
    """The largest threshold a target of the metric may have."""
    if metric is Metric.STATISTIC_GROWTH:
        return GROWTH_TOP
    kind = statistics.KINDS.get(statistic or "")
    if metric is Metric.REVIEW_SATISFACTION_RATIO or (
        metric is Metric.STATISTIC_VALUE and kind and kind.ratio
    ):
        return 1.0
    return MAX_COUNT


async def _code(check: Checker, model: type[Any], name: str, code: str | None) -> str | None:
    if not code:
        return None
    await check.codes(model, name, [code])
    return code.strip()


async def clean_target(changes: TargetChanges, current: Target | None) -> dict[str, Any]:
    """The columns to write, from the fields sent; every problem raised at once."""
    check = Checker()
    out: dict[str, Any] = {}
    creating = current is None
    if changes.key is not UNSET:
        key = (changes.key or "").strip()
        if not _KEY.match(key):
            message = says(
                "目标代码须为 2 到 40 个小写字母、数字或下划线",
                "lower-case letters, digits and _, 2-40",
            )
            check.add(ErrorCode.INVALID_INPUT, "key", message)
        out["key"] = key
    for name in ("description_zh", "description_en"):
        text: Maybe[str | None] = getattr(changes, name)
        if text is not UNSET or creating:
            out[name] = check.text(name, text or None, 200, required=True)
    metric = changes.metric or None
    if metric is not None:
        out["metric"] = metric
    metric = metric or (current.metric if current else None)
    if changes.threshold is not UNSET:
        if changes.threshold is None:
            check.require("threshold")
        threshold = float(changes.threshold or 0)
        top = _top(metric, _statistic_of(changes, current))
        if changes.threshold is not None and not 0 < threshold <= top:
            message = says(
                f"目标值须大于 0 且不超过 {top:g}", f"must be above 0 and at most {top:g}"
            )
            check.add(ErrorCode.OUT_OF_RANGE, "threshold", message)
        out["threshold"] = threshold
    if changes.deadline is not UNSET:
        if changes.deadline is None:
            check.require("deadline")
        out["deadline"] = changes.deadline
    if changes.region is not UNSET:
        out["region_id"] = await _code(check, Region, "region", changes.region)
    params = dict(current.params) if current else {}
    for name, model in _PARAM_INPUTS:
        code: Maybe[str | None] = getattr(changes, name)
        if code is not UNSET:
            found = await _code(check, model, name, code)
            params.pop(name, None)
            if found:
                params[name] = found
    if metric is Metric.QUALIFIED_PRACTITIONER_COUNT and not params.get("qualification_kind"):
        message = says("此指标须选定一种资格类型", "this metric counts one kind")
        check.add(ErrorCode.REQUIRED, "qualification_kind", message)
    if changes.statistic is not UNSET:
        params.pop("statistic", None)
        if changes.statistic:
            key = changes.statistic.strip()
            if key not in statistics.KINDS:
                check.add(ErrorCode.UNKNOWN_CODE, "statistic", _unknown_statistic(key))
            params["statistic"] = key
    if metric is not None and metric.counts_statistics and not params.get("statistic"):
        message = says("此指标须指明统计项", "this metric reads one statistic")
        check.add(ErrorCode.REQUIRED, "statistic", message)
    out["params"] = {k: params[k] for k in PARAMS if k in params}
    if changes.active is not UNSET and changes.active is not None:
        out["active"] = changes.active
    check.done()
    return out


async def create_target(viewer: Viewer, changes: TargetChanges, at: Moment) -> Target:
    for name in ("key", "metric", "threshold", "deadline", "region"):
        if getattr(changes, name) in (UNSET, None, ""):
            message = says(f"{label(name)}为必填项", f"{api_name(name)} is required")
            raise Rejected.one(ErrorCode.REQUIRED, name, message)
    fields = await clean_target(changes, None)
    if await Target.exists(key=fields["key"]):
        raise Rejected.one(
            ErrorCode.DUPLICATE, "key", says("已有目标使用此代码", "a target has this key already")
        )
    target = await Target.create(**fields)
    diff = audit.changes({}, TARGET.state(target))
    await audit.record(viewer, "target", target.id, "create", diff, None, at=at)
    return target


async def update_target(
    viewer: Viewer, pk: int, version: int, changes: TargetChanges, at: Moment
) -> Target:
    target = await Target.get_or_none(id=pk)
    if target is None:
        raise Rejected.one(
            ErrorCode.NOT_FOUND, "id", says("没有此编号的目标", "no target has this id")
        )
    if changes.key is not UNSET:
        message = says("目标代码不能修改", "a target's key cannot change")
        raise Rejected.one(ErrorCode.INVALID_INPUT, "key", message)
    fields = await clean_target(changes, target)
    return await save_versioned(viewer, TARGET, target, version, fields, action="update", at=at)
