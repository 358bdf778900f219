"""Tokens on the demo site, and a browser signed in with one, as a person would do it."""

from __future__ import annotations

import asyncio
import os
import sys

import httpx
from playwright.async_api import Page

from tests.web.site import Site

ADMIN_AGENCY = "恩阳古镇"  # the demo agency whose administrator the page tests sign in as
ISSUE = """
mutation ($agency: ID!) {
  issueToken(role: AGENCY_ADMIN, name: "页面测试 管理员", agencyId: $agency) {
    ... on IssuedToken { secret }
    ... on MutationError { code message }
  }
}"""


async def bureau_secret(site: Site, name: str = "页面测试 市局") -> str:
    """A bureau token from the command line, as the README tells the bureau to make one."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "directory.cli",
        "token",
        "create",
        "--role",
        "bureau",
        "--name",
        name,
        env={**os.environ, "DATABASE_URL": site.database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip().splitlines()[-1]


async def admin_secret(site: Site, bureau: str, agency: str) -> str:
    """An administrator token for one agency, issued by the bureau through the API."""
    data = await graphql(site, ISSUE, {"agency": agency}, bureau)
    secret: str = data["issueToken"]["secret"]
    return secret


async def sign_in(page: Page, secret: str) -> None:
    await page.goto("/signin")
    await page.get_by_label("访问令牌").fill(secret)
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_load_state()


async def graphql(site: Site, query: str, variables: dict | None = None, token: str = "") -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=site.url, timeout=30) as http:
        answer = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
    body = answer.json()
    assert "errors" not in body, body
    data: dict = body["data"]
    return data


async def agency_id(site: Site, text: str) -> str:
    """The global id of the one demo agency whose name has `text`."""
    query = "query ($t: String!) { agencies(filter: {text: $t}) { edges { node { id } } } }"
    edges = (await graphql(site, query, {"t": text}))["agencies"]["edges"]
    assert len(edges) == 1, edges
    found: str = edges[0]["node"]["id"]
    return found
