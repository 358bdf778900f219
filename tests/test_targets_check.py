"""The daily target check through the worker: one snapshot a day, alerts on a change of state
and when the recent trend will miss the deadline; and the targets over GraphQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from directory.accounts.models import Role
from directory.agencies.models import Agency, AgencyStatus
from directory.clock import local_today
from directory.reminders.models import Reminder
from directory.statements import collect_sql
from directory.targets.models import Target, TargetSnapshot
from tests.factories import make_agency, make_practitioner, make_qualification, make_token
from tests.workerkit import BUREAU_EMAIL, run_jobs

CREATE = """mutation ($i: CreateTargetInput!) { createTarget(input: $i) {
  ... on TargetPayload { target { id key version } }
  ... on MutationError { code field message problems { code field } } } }"""
TARGETS = """{ targets { key metric threshold deadline region { code nameZh } kind version
  latest { takenOn value met projected onTrack } history { takenOn value } } }"""


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 0, 5, tzinfo=UTC)  # 08:05 in Shanghai


async def _target(gql, bureau, threshold: float = 3) -> dict:
    answer = await gql(
        CREATE,
        {
            "i": {
                "key": "local_agencies",
                "descriptionZh": "本地服务机构达到3家",
                "descriptionEn": "3 local agencies",
                "metric": "AGENCY_COUNT",
                "threshold": threshold,
                "deadline": "2027-06-30",
                "region": "511900",
            }
        },
        token=bureau,
    )
    return answer["createTarget"]["target"]


async def test_daily_snapshots_and_alerts_on_state_and_trend(
    server, gql, redis, redis_url, smtp, worker_settings
):
    # given a target of 3 local agencies by mid-2027, with one agency today
    bureau = await make_token(Role.BUREAU)
    await _target(gql, bureau)
    await make_agency(office_region_id="511921")
    await make_agency(office_region_id="510104")  # Chengdu: not local
    await make_agency(office_region_id="511902", status=AgencyStatus.SUSPENDED)
    start = date(2026, 11, 26)
    # when the check runs on three mornings with nothing changing (twice on the first)
    for offset in (0, 0, 1, 2):
        server.clock.at = morning(start + timedelta(days=offset))
        await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    # then one snapshot a day; the first check says the target is behind (once, though it ran
    # twice that day), and once three flat days make a trend, one alert more: off track
    snaps = await TargetSnapshot.all().order_by("taken_on")
    assert [(s.taken_on, s.value, s.met, s.on_track) for s in snaps] == [
        (date(2026, 11, 26), 1.0, False, None),
        (date(2026, 11, 27), 1.0, False, None),
        (date(2026, 11, 28), 1.0, False, False),
    ]
    alerts = await Reminder.filter(subject_type="target").order_by("id")
    assert [(a.kind, a.step, a.due_on, a.recipient) for a in alerts] == [
        ("target.behind", "behind", date(2026, 11, 26), BUREAU_EMAIL),
        ("target.off_track", "off_track", date(2026, 11, 28), BUREAU_EMAIL),
    ]
    assert "【目标落后】本地服务机构达到3家" in smtp.messages[0]["Subject"]
    assert "当前1，目标3，截止2027-06-30" in smtp.messages[0].get_content()
    assert "按近期趋势" in smtp.messages[1].get_content()
    # when two more local agencies join, the next check reports the target met
    await make_agency(office_region_id="511922")
    await make_agency(office_region_id="511923")
    server.clock.at = morning(start + timedelta(days=3))
    await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    alerts = await Reminder.filter(subject_type="target").order_by("id")
    assert [a.step for a in alerts] == ["behind", "off_track", "met"]
    assert len(smtp.messages) == 3 and "目标已达成" in smtp.messages[2]["Subject"]
    # and the bureau's chart reads it: latest figure and the daily history
    data = await gql(TARGETS)
    (target,) = [t for t in data["targets"] if t["key"] == "local_agencies"]
    assert target["latest"]["value"] == 3 and target["latest"]["met"] is True
    assert [h["value"] for h in target["history"]] == [1, 1, 1, 3]
    assert target["region"] == {"code": "511900", "nameZh": "巴中市"}


async def test_on_upgrade_the_first_check_tells_the_bureau_of_every_target_behind_at_once(
    server, gql, redis, redis_url, smtp, worker_settings
):
    from directory.targets.plan import ensure_plan_targets

    # given a deployment that has just been given the plan's targets, none checked yet
    await ensure_plan_targets()
    await make_agency(office_region_id="511921")
    keys = await Target.filter(active=True).order_by("id").values_list("key", flat=True)
    start = date(2026, 11, 26)
    # when the worker checks them, twice that morning and again the next day
    for offset in (0, 0, 1):
        server.clock.at = morning(start + timedelta(days=offset))
        await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    # then the bureau got one message listing every target behind, and nothing more since
    behind = await Reminder.filter(step="behind")
    assert [(a.kind, a.due_on, a.recipient) for a in behind] == [
        ("target.behind", start, BUREAU_EMAIL)
    ]
    (mail,) = [m for m in smtp.messages if "【目标落后】" in m["Subject"]]
    listed = [t[0] for t in behind[0].payload["targets"]]
    assert set(listed) <= set(keys) and len(listed) >= 2
    assert mail["Subject"].startswith(f"【目标落后】{len(listed)}项目标尚未达成")
    text = mail.get_content()
    for target in await Target.filter(key__in=listed):
        assert f"「{target.description_zh}」：当前" in text
    # when the bureau adds a target later, its own first check alerts for it alone
    bureau = await make_token(Role.BUREAU)
    await _target(gql, bureau)
    server.clock.at = morning(start + timedelta(days=2))
    await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    later = await Reminder.filter(step="behind").order_by("id")
    assert [t[0] for t in later[-1].payload["targets"]] == ["local_agencies"]
    assert (
        len(later) == 2 and len([m for m in smtp.messages if "【目标落后】" in m["Subject"]]) == 2
    )


async def test_the_seeded_targets_count_active_local_agencies_and_their_people(server, gql):
    from directory.targets.check import check_targets
    from directory.targets.plan import ensure_plan_targets

    await ensure_plan_targets()
    local = await make_agency(office_region_id="511902")
    away = await make_agency(office_region_id="510104")
    await make_practitioner(local)
    await make_practitioner(local)
    await make_practitioner(away)
    with collect_sql() as statements:
        standings = await check_targets(server.clock(), server.settings, save=False)
    figures = {s.target.key: (s.assessment.value, s.assessment.met) for s in standings}
    assert figures["agencies"] == (1.0, False) and figures["practitioners"] == (2.0, False)
    # targets, history, earlier checks, one COUNT each, one query for every statistic
    assert len(statements) <= 6


async def test_a_qualified_count_and_the_review_satisfaction_read_their_own_definitions(server):
    from directory.reviews.models import Review
    from directory.talent.models import Verification
    from directory.targets.metrics import measure
    from directory.targets.models import Metric

    # given two local agencies, their people with filings valid, lapsed or pending, and reviews
    today = local_today(server.clock())
    local = await make_agency(office_region_id="511921")
    other = await make_agency(office_region_id="511902")
    away = await make_agency(office_region_id="510104")
    for agency in (local, other, away):
        await make_qualification(await make_practitioner(agency))
    pending = await make_practitioner(local)
    await make_qualification(pending, verification=Verification.PENDING)
    await make_qualification(
        await make_practitioner(other), issued_on=date(2019, 1, 1), expires_on=date(2020, 1, 1)
    )
    await make_practitioner(local)  # no filing
    for n, (agency, satisfied, hidden) in enumerate(
        [(local, True, False), (other, False, False), (other, True, True), (away, False, False)]
    ):
        await Review.create(
            agency=agency,
            firm_credit_code=f"91511900MA{n:08d}",
            engagement_ref=f"E{n}",
            rating=4,
            satisfied=satisfied,
            hidden=hidden,
        )
    # when the two directory metrics are measured for the city
    filed = await measure(
        Metric.QUALIFIED_PRACTITIONER_COUNT,
        "511900",
        {"qualification_kind": "patent_practice_filing"},
        today,
    )
    share = await measure(Metric.REVIEW_SATISFACTION_RATIO, "511900", {}, today)
    # then only valid verified filings of local people count, and visible local reviews
    assert filed == 2.0
    assert share == 0.5


async def test_target_mutations_are_checked_bureau_only_and_audited(server, gql):
    bureau = await make_token(Role.BUREAU)
    admin = await make_token(Role.AGENCY_ADMIN, await make_agency())
    refused = await gql(
        CREATE,
        {
            "i": {
                "key": "x1",
                "descriptionZh": "满意度",
                "descriptionEn": "Satisfaction",
                "metric": "REVIEW_SATISFACTION_RATIO",
                "threshold": 80,
                "deadline": "2027-12-31",
                "region": "519999",
            }
        },
        token=bureau,
    )
    problems = {(p["code"], p["field"]) for p in refused["createTarget"]["problems"]}
    assert problems == {("OUT_OF_RANGE", "threshold"), ("UNKNOWN_CODE", "region")}
    forbidden = await gql(
        CREATE,
        {
            "i": {
                "key": "x2",
                "descriptionZh": "甲",
                "descriptionEn": "A",
                "metric": "AGENCY_COUNT",
                "threshold": 5,
                "deadline": "2027-12-31",
                "region": "511900",
            }
        },
        token=admin,
    )
    assert forbidden["createTarget"]["code"] == "FORBIDDEN"
    created = await _target(gql, bureau)
    update = """mutation ($i: UpdateTargetInput!) { updateTarget(input: $i) {
      ... on TargetPayload { target { threshold version } } ... on MutationError { code } } }"""
    done = await gql(
        update, {"i": {"id": created["id"], "version": 1, "threshold": 4}}, token=bureau
    )
    stale = await gql(
        update, {"i": {"id": created["id"], "version": 1, "threshold": 5}}, token=bureau
    )
    assert done["updateTarget"]["target"] == {"threshold": 4.0, "version": 2}
    assert stale["updateTarget"] == {"code": "CONFLICT"}
    log = await gql(
        '{ auditLog(filter: {entityType: "target"}) { edges { node { action changes } } } }',
        token=bureau,
    )
    assert [e["node"]["action"] for e in log["auditLog"]["edges"]] == ["update", "create"]
    assert log["auditLog"]["edges"][0]["node"]["changes"] == {"threshold": [3.0, 4.0]}


async def test_sector_growth_comes_from_the_dated_history(server, gql):
    a = await make_agency(office_region_id="511902", founded_on=date(2025, 2, 10))
    b = await make_agency(office_region_id="511921", founded_on=date(2025, 7, 1))
    await make_agency(office_region_id="510104", founded_on=date(2024, 1, 1))  # not Bazhong
    gone = await make_agency(
        office_region_id="511922", founded_on=date(2025, 3, 3), status=AgencyStatus.DEREGISTERED
    )
    # deregistered on 1 November: its last change
    await Agency.filter(id=gone.id).update(updated_at=datetime(2025, 11, 1, 2, tzinfo=UTC))
    await make_practitioner(a, joined_agency_on=date(2025, 3, 1))
    await make_practitioner(b, joined_agency_on=date(2025, 8, 15))
    query = """query ($m: GrowthMetric!) { sectorGrowth(metric: $m, from: "2025-01-01",
      to: "2025-12-31", interval: QUARTER, region: "511900") { key points { periodEnd value } } }"""
    with collect_sql() as statements:
        agencies = await gql(query, {"m": "AGENCIES"})
    (series,) = agencies["sectorGrowth"]
    assert series["key"] == "agencies"
    assert [p["value"] for p in series["points"]] == [2, 2, 3, 2]
    assert len(statements) <= 5
    people = await gql(query, {"m": "PRACTITIONERS"})
    assert [p["value"] for p in people["sectorGrowth"][0]["points"]] == [1, 1, 2, 2]
    too_long = await gql.errors(
        '{ sectorGrowth(metric: AGENCIES, from: "1990-01-01", '
        'to: "2026-01-01", interval: MONTH) { key } }'
    )
    assert too_long[0]["extensions"]["reason"] == "OUT_OF_RANGE"
