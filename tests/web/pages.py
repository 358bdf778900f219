"""Helpers of the page tests: where an agency's page is, the accessibility check."""

from __future__ import annotations

from typing import Any

import httpx
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page
from strawberry import relay

_axe = Axe()
SERIOUS = {"serious", "critical"}


async def agency_path(web: httpx.AsyncClient, name: str) -> str:
    """The page address of the demo agency called `name`, found through the API."""
    query = "query ($t: String) { agencies(filter: {text: $t}) { edges { node { id name } } } }"
    answer = (await web.post("/graphql", json={"query": query, "variables": {"t": name}})).json()
    (node,) = [e["node"] for e in answer["data"]["agencies"]["edges"] if e["node"]["name"] == name]
    return f"/agencies/{relay.GlobalID.from_id(node['id']).node_id}"


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await _axe.run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
