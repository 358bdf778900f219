"""The plan's targets as data: every number of the plan seeded with a current deadline, the
figures the bureau records as dated statistics, targets over them, and the first check's
alert when a target is behind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from strawberry import relay

from directory.accounts.models import AuditEntry, Role
from directory.reminders.models import Reminder
from directory.targets import statistics
from directory.targets.check import check_targets
from directory.targets.models import Metric, Statistic, Target, TargetSnapshot
from directory.targets.plan import ensure_plan_targets
from directory.targets.statistics import Value, yearly_growth
from tests.conftest import table_rows
from tests.factories import make_agency, make_token
from tests.webforms import sign_in
from tests.workerkit import BUREAU_EMAIL, run_jobs

RECORD = """mutation ($i: RecordStatisticInput!) { recordStatistic(input: $i) {
  ... on StatisticPayload { statistic { id statistic asOf value source version
                                        region { code } kind { nameZh isRatio } } }
  ... on MutationError { code field message problems { code field message } } } }"""
TARGETS = "{ targets { key metric threshold deadline statistic isRatio descriptionZh } }"


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 0, 5, tzinfo=UTC)  # 08:05 in Shanghai


async def record(gql, token: str, statistic: str, as_of: str, value: float, **more) -> dict:
    variables = {"i": {"statistic": statistic, "region": "511900", "asOf": as_of, "value": value}}
    variables["i"].update(more)
    return (await gql(RECORD, variables, token=token))["recordStatistic"]


async def test_every_number_of_the_plan_is_a_seeded_target_with_a_current_deadline(server, gql):
    await ensure_plan_targets()
    targets = (await gql(TARGETS))["targets"]
    assert {t["key"]: (t["metric"], t["threshold"], t["statistic"]) for t in targets} == {
        "agencies": ("AGENCY_COUNT", 10.0, None),
        "practitioners": ("PRACTITIONER_COUNT", 100.0, None),
        "invention_patent_growth": (
            "STATISTIC_GROWTH",
            0.15,
            "invention_patent_applications",
        ),
        "valid_trademarks": ("STATISTIC_VALUE", 5000.0, "valid_trademark_registrations"),
        "copyright_registrations": ("STATISTIC_VALUE", 4000.0, "copyright_registrations"),
        "new_plant_varieties": ("STATISTIC_VALUE", 5.0, "new_plant_varieties"),
        "patent_implementation_output": (
            "STATISTIC_VALUE",
            50000.0,
            "patent_implementation_output",
        ),
        "patent_implementation_profit_tax": (
            "STATISTIC_VALUE",
            7000.0,
            "patent_implementation_profit_tax",
        ),
        "rights_holder_satisfaction": ("STATISTIC_VALUE", 0.8, "rights_holder_satisfaction"),
        "pilot_counties": ("STATISTIC_VALUE", 5.0, "pilot_counties"),
        "pilot_enterprises": ("STATISTIC_VALUE", 15.0, "pilot_enterprises"),
    }
    assert {t["deadline"] for t in targets} == {"2030-12-31"}
    shares = {t["key"] for t in targets if t["isRatio"]}
    assert shares == {"invention_patent_growth", "rights_holder_satisfaction"}
    words = {t["descriptionZh"] for t in targets}
    assert "确保知识产权权利人满意度超过80%" in words and "商标有效注册量达到0.5万件" in words
    # the plan's satisfaction is a statistic of its own, not the reviews' ratio
    assert all(t["metric"] != "REVIEW_SATISFACTION_RATIO" for t in targets)


async def test_a_seeded_deadline_left_at_2020_moves_on_and_the_bureaus_own_stays(server, gql):
    # given a deployment seeded in the plan's time, one target edited by the bureau since
    old = date(2020, 12, 31)
    for key, version in (("agencies", 1), ("practitioners", 2)):
        await Target.create(
            key=key,
            description_zh=key,
            description_en=key,
            metric=Metric.AGENCY_COUNT,
            threshold=10,
            deadline=old,
            region_id="511900",
            version=version,
        )
    # when the plan's targets are ensured (every migrate)
    await ensure_plan_targets()
    # then the untouched one has the current deadline and the edited one keeps the bureau's
    deadlines = dict(
        await Target.filter(key__in=["agencies", "practitioners"]).values_list("key", "deadline")
    )
    assert deadlines == {"agencies": date(2030, 12, 31), "practitioners": old}
    # and the bureau moves a deadline, which the next migrate keeps
    bureau = await make_token(Role.BUREAU)
    target = await Target.get(key="agencies")
    update = """mutation ($i: UpdateTargetInput!) { updateTarget(input: $i) {
      ... on TargetPayload { target { deadline version } } } }"""
    global_id = relay.to_base64("Target", target.id)
    moved = await gql(
        update, {"i": {"id": global_id, "version": 1, "deadline": "2028-06-30"}}, token=bureau
    )
    assert moved["updateTarget"]["target"] == {"deadline": "2028-06-30", "version": 2}
    await ensure_plan_targets()
    assert (await Target.get(key="agencies")).deadline == date(2028, 6, 30)


async def test_the_bureau_records_a_statistic_corrects_it_and_a_repeat_changes_nothing(server, gql):
    bureau = await make_token(Role.BUREAU)
    # when the bureau records this year's trademarks in force
    first = await record(
        gql, bureau, "valid_trademark_registrations", "2025-12-31", 4200, source="市市场监管局"
    )
    # then it is kept with its kind, region and source
    assert first["statistic"]["value"] == 4200 and first["statistic"]["version"] == 1
    assert first["statistic"]["kind"] == {"nameZh": "商标有效注册量", "isRatio": False}
    assert first["statistic"]["region"] == {"code": "511900"}
    # when it records the same again: nothing changes
    again = await record(
        gql, bureau, "valid_trademark_registrations", "2025-12-31", 4200, source="市市场监管局"
    )
    assert again["statistic"]["version"] == 1
    # when it corrects the value of that day: the same row, a new version, audited
    fixed = await record(gql, bureau, "valid_trademark_registrations", "2025-12-31", 4260)
    assert fixed["statistic"]["id"] == first["statistic"]["id"]
    assert (fixed["statistic"]["value"], fixed["statistic"]["version"]) == (4260, 2)
    assert fixed["statistic"]["source"] == "市市场监管局"  # a field not sent is left alone
    entries = await AuditEntry.filter(entity_type="statistic").order_by("id")
    assert [(e.action, e.changes.get("value")) for e in entries] == [
        ("create", [None, 4200.0]),
        ("update", [4200.0, 4260.0]),
    ]
    # and anyone reads the recorded figures, oldest first
    listed = await gql('{ statistics(statistic: "valid_trademark_registrations") { value } }')
    assert listed["statistics"] == [{"value": 4260.0}]


async def test_a_refused_statistic_says_why_in_chinese_first_and_writes_nothing(server, gql):
    bureau = await make_token(Role.BUREAU)
    before = await table_rows()
    variables = {
        "i": {"statistic": "trademarks", "region": "519999", "asOf": "2026-12-01", "value": -3}
    }
    refused = (await gql(RECORD, variables, token=bureau))["recordStatistic"]
    assert {(p["code"], p["field"]) for p in refused["problems"]} == {
        ("UNKNOWN_CODE", "statistic"),
        ("UNKNOWN_CODE", "region"),
        ("INVALID_DATE", "asOf"),  # the clock says 2026-11-26
        ("OUT_OF_RANGE", "value"),
    }
    ours = [p for p in refused["problems"] if p["field"] != "region"]
    assert all("\u4e00" <= p["message"][0] <= "\u9fff" for p in ours)
    share = await record(gql, bureau, "rights_holder_satisfaction", "2025-12-31", 85)
    assert (share["code"], share["field"]) == ("OUT_OF_RANGE", "value")
    assert share["message"].startswith("比例填 0 到 1 之间的数")
    assert await table_rows() == before


def test_the_yearly_growth_rate_is_compounded_over_the_recorded_years():
    values = [Value(date(2022, 12, 31), 200), Value(date(2025, 12, 31), 305)]
    rate = yearly_growth(values, date(2026, 11, 26))
    assert rate is not None and round(rate, 4) == 0.1510
    assert yearly_growth(values[:1], date(2026, 11, 26)) is None  # one year: no rate
    assert yearly_growth(values, date(2024, 1, 1)) is None  # the later one is not known yet
    close = [Value(date(2025, 6, 30), 200), Value(date(2025, 12, 31), 260)]
    assert yearly_growth(close, date(2026, 1, 1)) is None  # half a year is no yearly rate
    nothing = [Value(date(2023, 12, 31), 0), Value(date(2025, 12, 31), 12)]
    assert yearly_growth(nothing, date(2026, 1, 1)) is None
    assert statistics.latest(values, date(2024, 1, 1)) == 200


async def test_targets_over_statistics_read_the_latest_value_and_the_yearly_growth(server, gql):
    # given the plan's targets and the figures the bureau recorded
    await ensure_plan_targets()
    bureau = await make_token(Role.BUREAU)
    for as_of, value in (("2022-12-31", 200), ("2023-12-31", 228), ("2025-12-31", 305)):
        await record(gql, bureau, "invention_patent_applications", as_of, value)
    await record(gql, bureau, "valid_trademark_registrations", "2024-12-31", 5400)
    await record(gql, bureau, "valid_trademark_registrations", "2025-12-31", 4900)
    county = {"region": "511902", "statistic": "pilot_enterprises", "asOf": "2025-12-31"}
    await gql(RECORD, {"i": {**county, "value": 20}}, token=bureau)  # a county's, not the city's
    await record(gql, bureau, "pilot_enterprises", "2025-12-31", 12)
    await record(gql, bureau, "rights_holder_satisfaction", "2025-12-31", 0.83)
    # when the targets are checked
    standings = await check_targets(server.clock(), server.settings, save=False)
    figures = {s.target.key: (round(s.assessment.value, 4), s.assessment.met) for s in standings}
    # then each reads its statistic for the city: the latest value, or the yearly growth
    assert figures["invention_patent_growth"] == (0.151, True)
    assert figures["valid_trademarks"] == (4900, False)  # the latest, not the largest
    assert figures["pilot_enterprises"] == (12, False)
    assert figures["rights_holder_satisfaction"] == (0.83, True)
    assert figures["copyright_registrations"] == (0, False)  # nothing recorded yet
    no_data = {s.target.key for s in standings if s.no_data}
    recorded = {"invention_patent_growth", "valid_trademarks", "pilot_enterprises"}
    assert "copyright_registrations" in no_data and not no_data & recorded


async def test_a_target_over_a_statistic_never_recorded_has_no_data_and_is_not_behind(server):
    from worker.commands import render_targets

    # given the plan's targets and nothing recorded for the trademarks in force
    await ensure_plan_targets()
    # when they are checked, and saved
    standings = await check_targets(server.clock(), server.settings)
    # then that target says it has no data: no figure, no snapshot, no alert that it is behind
    (trademarks,) = [s for s in standings if s.target.key == "valid_trademarks"]
    assert trademarks.no_data and trademarks.alerts == []
    assert not await TargetSnapshot.filter(target_id=trademarks.target.id).exists()
    behind = [
        t[0] for s in standings for a in s.alerts for t in a.payload.to_json().get("targets", [])
    ]
    assert "valid_trademarks" not in behind and "agencies" in behind
    (line,) = [x for x in render_targets(standings, "2026-12-02") if "valid_trademarks" in x]
    assert "尚无数据" in line and "no data" in line and " 0 " not in line


async def test_the_first_check_of_a_target_that_is_behind_alerts_the_bureau_once(
    server, gql, redis, redis_url, smtp, worker_settings
):
    # given a target over a statistic, and the figure recorded short of it
    bureau = await make_token(Role.BUREAU)
    await make_agency()
    created = await gql(
        """mutation ($i: CreateTargetInput!) { createTarget(input: $i) {
          ... on TargetPayload { target { key statistic isRatio } }
          ... on MutationError { code field message } } }""",
        {
            "i": {
                "key": "trademarks",
                "descriptionZh": "商标有效注册量达到0.5万件",
                "descriptionEn": "5,000 trademarks in force",
                "metric": "STATISTIC_VALUE",
                "statistic": "valid_trademark_registrations",
                "threshold": 5000,
                "deadline": "2030-12-31",
                "region": "511900",
            }
        },
        token=bureau,
    )
    assert created["createTarget"]["target"] == {
        "key": "trademarks",
        "statistic": "valid_trademark_registrations",
        "isRatio": False,
    }
    await record(gql, bureau, "valid_trademark_registrations", "2025-12-31", 4200)
    start = date(2026, 11, 26)
    # when the worker checks it on two mornings
    for offset in (0, 1):
        server.clock.at = morning(start + timedelta(days=offset))
        await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    # then the first check told the bureau it is behind, and the second said nothing new
    alerts = await Reminder.filter(subject_type="target").order_by("id")
    assert [(a.step, a.due_on, a.recipient) for a in alerts] == [("behind", start, BUREAU_EMAIL)]
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"].startswith("【目标落后】商标有效注册量达到0.5万件")
    assert "「商标有效注册量达到0.5万件」：当前4200，目标5000，截止2030-12-31" in (
        smtp.messages[0].get_content()
    )
    # when the next year's figure reaches it, the next check says it is met
    await record(gql, bureau, "valid_trademark_registrations", "2026-11-27", 5100)
    server.clock.at = morning(start + timedelta(days=2))
    await run_jobs(redis_url, worker_settings, server, "check_targets", "deliver_reminders")
    steps = [a.step for a in await Reminder.filter(subject_type="target").order_by("id")]
    assert steps == ["behind", "met"]
    assert await Statistic.all().count() == 2


async def test_the_dashboard_shows_the_plans_targets_and_the_recorded_statistics(
    server, gql, client
):
    # given the plan's targets, two statistics recorded and today's check
    await ensure_plan_targets()
    bureau = await make_token(Role.BUREAU)
    await record(
        gql, bureau, "valid_trademark_registrations", "2025-12-31", 4200, source="市市场监管局"
    )
    await record(gql, bureau, "rights_holder_satisfaction", "2025-12-31", 0.83)
    await check_targets(server.clock(), server.settings)
    # when the bureau opens its dashboard
    await sign_in(client, bureau)
    html = (await client.get("/bureau")).text
    # then each target of the plan has its card, shares as percentages, figures not yet
    # recorded said so, and the statistics are listed with their unit and source
    for words in (
        "商标有效注册量达到0.5万件",
        "确保知识产权权利人满意度超过80%",
        "年专利实施创利税达7000万元",
    ):
        assert words in html
    card = html[html.index('id="target-valid_trademarks"') :]
    assert "<strong>4200</strong>" in card[: card.index("</section>")]
    card = html[html.index('id="target-rights_holder_satisfaction"') :]
    assert "<strong>83%</strong>" in card[: card.index("</section>")]
    card = html[html.index('id="target-copyright_registrations"') :]
    assert "尚无数据" in card[: card.index("</section>")]
    table = html[html.index('class="statistics"') :]
    table = table[: table.index("</table>")]
    assert "<td>商标有效注册量</td><td>巴中市</td><td>2025-12-31</td><td>4200 件</td>" in table
    assert "市市场监管局" in table and "<td>83%</td>" in table
