"""The firms' pages are rendered on the server: the content is in the HTML sent."""

from __future__ import annotations

import httpx

from tests.web.pages import agency_path


async def test_the_directory_html_holds_the_cards(web: httpx.AsyncClient) -> None:
    html = (await web.get("/", params={"q": "qinba"})).text
    assert "巴中市秦巴知识产权代理有限公司" in html
    assert "专利代理机构执业许可 · 长期有效" in html
    assert "（2 条评价）" in html


async def test_deregistered_agencies_are_hidden_and_suspended_ones_labelled(
    web: httpx.AsyncClient,
) -> None:
    html = (await web.get("/")).text
    assert "巴中红军城商标代理有限公司" not in html  # deregistered
    card = html.split("巴中米仓专利代理事务所（普通合伙）", 1)[1].split("</li>", 1)[0]
    assert "暂停执业" in card


async def test_a_deregistered_agencys_own_address_still_answers_and_says_so(
    web: httpx.AsyncClient,
) -> None:
    query = "{ agencies(filter: {status: DEREGISTERED}) { edges { node { id } } } }"
    node = (await web.post("/graphql", json={"query": query})).json()["data"]["agencies"]["edges"][
        0
    ]
    from strawberry import relay

    number = relay.GlobalID.from_id(node["node"]["id"]).node_id
    html = (await web.get(f"/agencies/{number}")).text
    assert "该机构已注销" in html


async def test_the_agency_html_holds_licences_people_and_reviews(web: httpx.AsyncClient) -> None:
    path = await agency_path(web, "巴中市秦巴知识产权代理有限公司")
    response = await web.get(path)
    assert response.status_code == 200
    html = response.text
    for expected in (
        "机构执照与备案",
        "商标代理机构备案",
        "从业人员（",
        "企业评价（2 条）",
        "<blockquote>",
    ):
        assert expected in html, expected
    assert "身份证" not in html and "idNumber" not in html


async def test_a_page_of_reviews_past_the_last_falls_back_to_the_newest(
    web: httpx.AsyncClient,
) -> None:
    path = await agency_path(web, "巴中市秦巴知识产权代理有限公司")
    response = await web.get(path, params={"reviews": "bm90IGEgY3Vyc29y"})
    assert response.status_code == 200
    assert "企业评价（2 条）" in response.text


async def test_unknown_filter_codes_are_explained_next_to_their_field(
    web: httpx.AsyncClient,
) -> None:
    html = (await web.get("/", params={"region": "999999"})).text
    assert 'id="region-error">请从列表中选择。' in html
    html = (await web.get("/", params={"after": "broken"})).text
    assert "翻页链接已失效" in html


async def test_an_unknown_agency_is_a_chinese_404(web: httpx.AsyncClient) -> None:
    response = await web.get("/agencies/999999")
    assert response.status_code == 404
    assert "找不到这个页面" in response.text


async def test_english_pages_name_things_in_english(web: httpx.AsyncClient) -> None:
    path = await agency_path(web, "巴中市秦巴知识产权代理有限公司")
    html = (await web.get(path, params={"lang": "en"})).text
    assert "Licences and filings" in html
    assert "Bazhong" in html


async def test_find_an_agent_flags_an_agency_on_the_abnormal_list(web: httpx.AsyncClient) -> None:
    query = "services=trademark_registration&services=geographical_indication&region=511923"
    html = (await web.get(f"/match?{query}")).text
    cards = html.split('<li class="card match">')[1:]
    flags = [
        ("平昌县青花椒商标代理有限公司" in c, "经营异常" in c, "排在未列入" in c) for c in cards
    ]
    assert flags == [(False, False, False), (True, True, True)]
