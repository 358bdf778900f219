"""An agency administrator's pages over plain HTTP: edits go through the API, its refusals
are shown next to their fields in Chinese, and another agency stays out of reach."""

from __future__ import annotations

from datetime import date

import httpx

from directory.accounts.models import AuditEntry, Role
from directory.agencies.models import Agency
from directory.talent.models import Practitioner, Qualification, TrainingRecord
from tests.conftest import table_rows
from tests.factories import make_agency, make_practitioner, make_qualification, make_token
from tests.webforms import csrf_of, post_form, sign_in

PROFILE = {
    "services": ["invention_patent", "patent_search"],
    "fields": ["food_beverage"],
    "regionsServed": ["511921"],
    "description": "专注食品饮料专利",
    "nameEn": "",
    "address": "巴中市巴州区江北大道1号",
    "contactName": "王芳",
    "contactPhone": "0827-5261234",
    "contactEmail": "ip@example.com",
    "website": "",
}


async def _admin(client: httpx.AsyncClient, **agency_values) -> Agency:
    agency = await make_agency(**agency_values)
    await sign_in(client, await make_token(Role.AGENCY_ADMIN, agency))
    return agency


async def _save_profile(client: httpx.AsyncClient, version: int, **changes) -> httpx.Response:
    data = {**PROFILE, **changes, "version": str(version)}
    return await post_form(client, "/admin", "/admin/profile", data)


async def test_an_administrator_changes_its_services_and_sees_them_saved_and_audited(client):
    agency = await _admin(client, name="秦巴专利代理")

    saved = await _save_profile(client, agency.version)
    page = await client.get(saved.headers["location"])
    log = await client.get("/admin/audit")

    assert (saved.status_code, saved.headers["location"]) == (303, "/admin?saved=profile")
    assert "公开资料已保存" in page.text
    assert 'value="patent_search" checked' in page.text
    assert await AuditEntry.filter(entity_type="agency", action="update").count() == 1
    assert "patent_search" in log.text and "机构" in log.text and "修改" in log.text


async def test_problems_are_shown_next_to_their_fields_in_chinese_and_nothing_is_written(client):
    agency = await _admin(client)
    before = await table_rows()

    answer = await _save_profile(
        client, agency.version, contactPhone="打电话", contactEmail="not-mail", website="ftp://x"
    )

    assert answer.status_code == 200
    assert 'id="p-contactPhone-error">不是有效的电话号码' in answer.text
    assert 'id="p-contactEmail-error">不是有效的电子邮箱地址' in answer.text
    assert 'id="p-website-error">网址须以 http:// 或 https:// 开头' in answer.text
    assert 'aria-invalid="true" aria-describedby="p-contactPhone-error"' in answer.text
    assert 'value="打电话"' in answer.text  # what was typed stays
    assert await table_rows() == before


async def test_a_stale_edit_tells_of_the_conflict_and_keeps_what_was_typed(client):
    agency = await _admin(client, contact_name="旧联系人")
    form = await client.get("/admin")
    await Agency.filter(id=agency.id).update(contact_name="别人改的", version=agency.version + 1)

    answer = await client.post(
        "/admin/profile",
        data={
            **PROFILE,
            "contactName": "我填的",
            "version": str(agency.version),
            "csrf_token": csrf_of(form.text),
        },
    )

    assert answer.status_code == 200
    assert "这条记录刚被别人修改过" in answer.text
    assert 'value="我填的"' in answer.text
    assert "当前保存的内容：别人改的" in answer.text
    assert f'name="version" value="{agency.version + 1}"' in answer.text
    assert (await Agency.get(id=agency.id)).contact_name == "别人改的"


async def test_another_agencys_people_are_out_of_reach(client):
    await _admin(client)
    other = await make_practitioner(await make_agency(), name="别家的人")
    before = await table_rows()

    page = await client.get(f"/admin/people/{other.id}")
    form = await client.get("/admin")
    posted = await client.post(
        f"/admin/people/{other.id}",
        data={"csrf_token": csrf_of(form.text), "name": "改名", "version": str(other.version)},
    )

    for answer in (page, posted):
        assert answer.status_code == 403
        assert "机构管理员只能修改本机构的信息" in answer.text
    assert await table_rows() == before


async def test_pages_of_administrators_send_others_to_sign_in(client):
    anonymous = await client.get("/admin")
    await sign_in(client, await make_token(Role.BUREAU))
    bureau = await client.get("/admin")

    for answer in (anonymous, bureau):
        assert (answer.status_code, answer.headers["location"]) == (303, "/signin")


async def test_a_forged_post_without_the_token_writes_nothing(client):
    agency = await _admin(client)
    before = await table_rows()

    answer = await client.post("/admin/profile", data={**PROFILE, "version": str(agency.version)})

    assert answer.status_code == 403
    assert "请求被拒绝" in answer.text
    assert await table_rows() == before


async def test_people_qualifications_and_training_are_added_and_removed(client, server):
    agency = await _admin(client)

    added = await post_form(
        client,
        "/admin/people/new",
        "/admin/people/new",
        {
            "name": "李晓燕",
            "degree": "MASTER",
            "major": "食品科学",
            "languages": "en, ja",
            "practisingSince": "2019-07-01",
            "fields": ["food_beverage"],
            "phone": "13912345678",
            "personalEmail": "",
            "employer": "",
        },
    )
    person = await Practitioner.get(agency_id=agency.id)
    page = f"/admin/people/{person.id}"
    qualification = await post_form(
        client,
        page,
        f"{page}/qualifications",
        {
            "kind": "patent_attorney_qualification",
            "number": "ZL-2019-0001",
            "issuer": "国家知识产权局",
            "level": "",
            "issuedOn": "2019-05-01",
            "expiresOn": "",
        },
    )
    bad_training = await post_form(
        client,
        page,
        f"{page}/training",
        {"course": "专利实务", "provider": "", "hours": "很多", "completedOn": "2026-13-01"},
    )
    training = await post_form(
        client,
        page,
        f"{page}/training",
        {"course": "专利实务", "provider": "市局", "hours": "12.5", "completedOn": "2026-03-01"},
    )
    shown = await client.get(page)
    removed = await post_form(client, page, f"{page}/remove", {"version": str(person.version)})

    assert added.headers["location"] == f"{page}?saved=added"
    assert (person.name, person.languages, person.practising_since) == (
        "李晓燕",
        ["en", "ja"],
        date(2019, 7, 1),
    )
    assert qualification.headers["location"] == f"{page}?saved=qualification"
    assert (await Qualification.get(practitioner_id=person.id)).number == "ZL-2019-0001"
    assert 'id="tr-hours-error">内容不符合要求' in bad_training.text
    assert 'id="tr-completedOn-error">日期不合理' in bad_training.text
    assert training.headers["location"] == f"{page}?saved=training"
    assert (await TrainingRecord.get(practitioner_id=person.id)).hours == 12.5
    assert "专利代理师资格证" in shown.text and "12.5" in shown.text
    assert removed.headers["location"] == "/admin?saved=removed"
    assert (await Practitioner.get(id=person.id)).removed_at is not None


async def test_an_administrator_sees_the_reminders_of_its_people(client):
    agency = await _admin(client)
    person = await make_practitioner(agency, name="赵磊")
    await make_qualification(person)

    page = await client.get("/admin/reminders")

    assert page.status_code == 200
    assert "共 0 条" in page.text


async def test_a_person_and_a_qualification_are_edited_in_place(client):
    agency = await _admin(client)
    person = await make_practitioner(agency, name="赵磊", major="机械")
    qualification = await make_qualification(person, number="OLD-1")
    page = f"/admin/people/{person.id}"

    edited = await post_form(
        client,
        page,
        page,
        {
            "version": str(person.version),
            "name": "赵磊",
            "major": "食品科学",
            "degree": "",
            "languages": "",
            "practisingSince": "2018-03-01",
            "employer": "",
            "phone": "",
            "personalEmail": "",
            "idNumber": "",
            "fields": ["food_beverage"],
        },
    )
    corrected = await post_form(
        client,
        page,
        f"{page}/qualifications/{qualification.id}",
        {
            "number": "NEW-2",
            "issuer": "国家知识产权局",
            "level": "",
            "issuedOn": "2020-01-01",
            "expiresOn": "",
        },
    )
    shown = await client.get(page)

    assert edited.headers["location"] == f"{page}?saved=person"
    assert (await Practitioner.get(id=person.id)).major == "食品科学"
    assert corrected.headers["location"] == f"{page}?saved=qualification"
    fresh = await Qualification.get(id=qualification.id)
    assert (fresh.number, fresh.verification.value) == ("NEW-2", "pending")
    assert "NEW-2" in shown.text and "待核验" in shown.text


async def test_an_administrator_records_a_persons_internship(client):
    agency = await _admin(client)
    person = await make_practitioner(agency, name="孙悦")
    page = f"/admin/people/{person.id}"
    form: dict[str, str | list[str]] = {
        "version": str(person.version),
        "name": "孙悦",
        "major": "",
        "degree": "",
        "languages": "",
        "practisingSince": "2018-03-01",
        "employer": "",
        "phone": "",
        "personalEmail": "",
        "idNumber": "",
        "internshipStartedOn": "2017-03-01",
        "internshipEndedOn": "2018-02-28",
    }

    edited = await post_form(client, page, page, form)
    shown = await client.get(page)

    assert edited.headers["location"] == f"{page}?saved=person"
    fresh = await Practitioner.get(id=person.id)
    assert (fresh.internship_started_on, fresh.internship_ended_on) == (
        date(2017, 3, 1),
        date(2018, 2, 28),
    )
    assert "专利代理实习开始日期" in shown.text and 'value="2017-03-01"' in shown.text
