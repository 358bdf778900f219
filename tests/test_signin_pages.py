"""Sign-in with a pasted token: a server-side session in an HttpOnly cookie, forms safe
against cross-site request forgery, and a sign-out that ends the session on the server."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from starlette.responses import Response

from directory.accounts.models import ApiToken, Role, WebSession
from directory.accounts.sessions import SignedIn
from directory.auth import ANONYMOUS
from directory.web.session import set_session_cookie
from tests.factories import make_agency, make_token
from tests.webforms import csrf_of, sign_in


async def _signin_form(client: httpx.AsyncClient) -> str:
    page = await client.get("/signin")
    assert page.status_code == 200
    return csrf_of(page.text)


async def test_an_administrator_signs_in_with_the_token_it_was_given(client):
    agency = await make_agency()
    secret = await make_token(Role.AGENCY_ADMIN, agency)

    page = await client.get("/signin")
    answer = await client.post(
        "/signin", data={"csrf_token": csrf_of(page.text), "token": f" {secret} "}
    )

    assert (
        "HttpOnly" in page.headers["set-cookie"] and "SameSite=strict" in page.headers["set-cookie"]
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/admin")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("ipdir_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie
    assert secret not in cookie
    session = await WebSession.get()
    assert session.ended_at is None
    assert secret not in answer.text


async def test_a_wrong_token_is_refused_in_chinese_and_starts_nothing(client):
    await make_token(Role.BUREAU)

    answer = await sign_in(client, "ipd_not-a-token")

    assert answer.status_code == 400
    assert "令牌无效、已过期或已被吊销" in answer.text
    assert await WebSession.all().count() == 0


async def test_a_sign_in_without_the_forms_token_or_from_another_site_is_refused(client):
    secret = await make_token(Role.BUREAU)
    csrf = await _signin_form(client)

    missing = await client.post("/signin", data={"token": secret})
    wrong = await client.post("/signin", data={"token": secret, "csrf_token": "guess"})
    foreign = await client.post(
        "/signin",
        data={"token": secret, "csrf_token": csrf},
        headers={"Origin": "https://evil.example"},
    )

    for answer in (missing, wrong, foreign):
        assert answer.status_code == 403
        assert "请求被拒绝" in answer.text
    assert await WebSession.all().count() == 0


async def test_sign_out_ends_the_session_on_the_server(client, server):
    signed_in = await sign_in(client, await make_token(Role.BUREAU))
    old_cookie = signed_in.cookies["ipdir_session"]
    signin_page = await client.get("/signin")  # a signed-in visitor goes to its pages
    assert signin_page.headers["location"] == "/bureau"
    home = await client.get("/")
    csrf = csrf_of(home.text)

    forged = await client.post("/signout")
    assert forged.status_code == 403
    answer = await client.post("/signout", data={"csrf_token": csrf})

    assert (answer.status_code, answer.headers["location"]) == (303, "/signin?signed_out=1")
    assert 'ipdir_session=""' in answer.headers["set-cookie"]
    assert (await WebSession.get()).ended_at == server.clock()
    # the old cookie, kept by a browser that ignored the sign-out, is nobody any more
    async with httpx.AsyncClient(base_url=server.url, cookies={"ipdir_session": old_cookie}) as old:
        page = await old.get("/signin")
    assert page.status_code == 200 and "退出登录" not in page.text


async def test_revoking_the_token_ends_its_browser_sessions(client):
    await sign_in(client, await make_token(Role.BUREAU))
    signed_in = await client.get("/")
    assert "退出登录" in signed_in.text
    assert signed_in.headers["cache-control"] == "no-store"

    await ApiToken.filter().update(revoked_at=datetime(2026, 11, 1, tzinfo=UTC))

    assert "退出登录" not in (await client.get("/")).text


async def test_graphql_ignores_the_session_cookie(client, gql):
    await sign_in(client, await make_token(Role.BUREAU))

    errors = await gql.errors("{ auditLog { edges { node { id } } } }")

    assert errors[0]["extensions"]["reason"] == "UNAUTHENTICATED"


def test_production_cookies_are_secure_and_host_only():
    response = Response()
    session = SignedIn(ANONYMOUS, "csrf", datetime(2026, 11, 26, 16, tzinfo=UTC))

    set_session_cookie(response, "key", session, datetime(2026, 11, 26, 4, tzinfo=UTC), True)

    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-ipdir_session=key;")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
