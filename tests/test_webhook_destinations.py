"""Webhooks reach public addresses only: refused when saved, refused again when sent (on the
address the name resolves to then), no redirect followed, and the agency sees a category."""

from __future__ import annotations

from datetime import UTC, date, datetime
from ipaddress import ip_address

import pytest

from directory.accounts.models import Role
from directory.reminders.delivery import deliver
from directory.reminders.destinations import Policy, is_public
from directory.reminders.models import AgencyNotification, Reminder, ReminderStatus
from directory.reminders.scan import scan
from directory.settings import Settings, SettingsError, get_settings
from tests.conftest import table_rows
from tests.factories import (
    make_agency,
    make_practitioner,
    make_qualification,
    make_token,
    make_training,
)
from tests.workerkit import receiving

SAVE = (
    "mutation ($i: AgencyNotificationInput!) { setAgencyNotification(input: $i) { "
    "... on AgencyNotificationPayload { notification { webhookUrl } } "
    "... on MutationError { code field message } } }"
)
NOT_ALLOWED = "投递失败：地址不允许（delivery failed: address not allowed）"
DAY = date(2026, 12, 16)


async def _agency_with_a_reminder_due():
    agency = await make_agency(kinds=("ip_law_firm",), contact_email="office@example.com")
    person = await make_practitioner(agency, name="王芳")
    await make_qualification(person, "lawyer_licence", expires_on=date(2027, 1, 15))
    await make_training(person, "40", date(2026, 6, 1))  # this year's hours are done
    return agency


async def _save(gql, agency, url: str, admin: str | None = None):
    admin = admin or await make_token(Role.AGENCY_ADMIN, agency)
    answer = await gql(SAVE, {"i": {"agencyId": str(agency.id), "webhookUrl": url}}, token=admin)
    return answer["setAgencyNotification"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/ipdir",  # an open port
        "http://127.0.0.1:{closed}/ipdir",  # a closed one: the same answer
        "http://localhost:{port}/",  # a name resolving to loopback
        "http://10.20.30.40/hook",
        "http://192.168.1.1/",
        "http://100.100.100.200/latest/meta-data/",  # shared space: a cloud's metadata
        "http://169.254.169.254/latest/meta-data/",  # link-local: the metadata service
        "http://[::1]:{port}/",
        "http://[fd00:ec2::254]/latest/meta-data/",  # unique-local
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]:{port}/",  # IPv4 in IPv6 clothing
        "http://[64:ff9b::a9fe:a9fe]/",  # 169.254.169.254 through NAT64
        "http://0x7f000001:{port}/",  # 127.0.0.1 spelt as one number
        "http://224.0.0.1/",
        "http://0.0.0.0:{port}/",
        "http://user:secret@8.8.8.8/",
    ],
)
async def test_a_webhook_to_an_internal_address_is_refused_when_saved(server, gql, webhook, url):
    # given an agency and a receiver listening on loopback
    agency = await _agency_with_a_reminder_due()
    port = int(webhook.url.rsplit(":", 1)[1].split("/")[0])
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    before = await table_rows()
    # when its administrator sets the webhook to an internal address
    answer = await _save(gql, agency, url.format(port=port, closed=1), admin)
    # then it is refused on the field, Chinese first, and nothing is written or called
    assert answer["code"] == "ADDRESS_NOT_ALLOWED" and answer["field"] == "webhookUrl"
    assert answer["message"].startswith(("地址不允许", "网址不能含用户名"))
    assert await table_rows() == before
    assert webhook.calls == []


async def test_a_public_address_is_accepted_and_production_wants_https(server, gql):
    agency = await _agency_with_a_reminder_due()
    assert (await _save(gql, agency, "http://8.8.8.8/hook"))["notification"] == {
        "webhookUrl": "http://8.8.8.8/hook"
    }
    server.settings.webhook_https_only = True
    try:
        refused = await _save(gql, agency, "http://8.8.4.4/hook")
        accepted = await _save(gql, agency, "https://8.8.4.4/hook")
    finally:
        server.settings.webhook_https_only = None
    assert refused["code"] == "ADDRESS_NOT_ALLOWED"
    assert refused["message"].startswith("网址须以 https:// 开头")
    assert accepted["notification"]["webhookUrl"] == "https://8.8.4.4/hook"
    assert Settings(environment="production").webhook_https_required
    assert not Settings().webhook_https_required


async def test_the_allow_list_admits_the_bureaus_own_receivers(server, gql, webhook):
    agency = await _agency_with_a_reminder_due()
    server.settings.webhook_allow = "10.8.0.0/16, hooks.kjj.internal, 127.0.0.1/32"
    try:
        inside = await _save(gql, agency, "http://10.8.3.4/ipdir")
        outside = await _save(gql, agency, "http://10.9.3.4/ipdir")
        receiver = await _save(gql, agency, webhook.url)
    finally:
        server.settings.webhook_allow = ""
    assert inside["notification"]["webhookUrl"] == "http://10.8.3.4/ipdir"
    assert outside["code"] == "ADDRESS_NOT_ALLOWED"
    assert receiver["notification"]["webhookUrl"] == webhook.url
    policy = Policy.of(Settings(webhook_allow="hooks.kjj.internal"))
    assert policy.hosts == frozenset({"hooks.kjj.internal"})


def test_a_malformed_allow_list_names_its_variable(monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOW", "10.0.0.0/8, not a host!")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="WEBHOOK_ALLOW"):
            get_settings()
    finally:
        get_settings.cache_clear()


async def _due_with_hook(server, settings, url: str):
    """A reminder due today for an agency whose stored webhook is `url` (as if saved when it
    was allowed, or before the check existed)."""
    agency = await _agency_with_a_reminder_due()
    await AgencyNotification.create(agency_id=agency.id, webhook_url=url, webhook_secret="s")
    server.clock.at = datetime(2026, 12, 16, 1, tzinfo=UTC)
    await scan(DAY, settings)
    return agency


async def test_a_stored_internal_webhook_is_refused_at_send_time(
    server, gql, smtp, webhook, worker_settings
):
    # given a stored webhook to a loopback receiver that the check did not see
    agency = await _due_with_hook(server, worker_settings, webhook.url)
    # when delivery runs
    await deliver(server.clock, worker_settings)
    # then the receiver was never called, the e-mail went, and the webhook failed for good
    assert webhook.calls == [] and len(smtp.messages) == 1
    row = await Reminder.get(channel="webhook")
    assert (row.status, row.last_error) == (ReminderStatus.FAILED, NOT_ALLOWED)
    # and the agency sees only the category: nothing tells an open port from a closed one
    admin = await make_token(Role.AGENCY_ADMIN, agency)
    data = await gql(
        "{ reminders(filter: {status: FAILED}) { edges { node { channel lastError } } } }",
        token=admin,
    )
    assert data["reminders"]["edges"] == [
        {"node": {"channel": "webhook", "lastError": NOT_ALLOWED}}
    ]


async def test_a_name_that_resolves_to_loopback_at_send_time_is_refused(
    server, smtp, webhook, worker_settings
):
    # given a webhook under a name that once resolved to a public address and now, at
    # delivery, resolves to loopback (DNS rebinding)
    port = webhook.url.rsplit(":", 1)[1]
    await _due_with_hook(server, worker_settings, f"http://hooks.example.net:{port}")
    asked = []

    async def rebinding(host: str, port: int):
        asked.append(host)
        return [ip_address("127.0.0.1")]

    # when delivery runs
    await deliver(server.clock, worker_settings, resolver=rebinding)
    # then the resolved address was checked and nothing was called
    assert asked == ["hooks.example.net"] and webhook.calls == []
    assert (await Reminder.get(channel="webhook")).last_error == NOT_ALLOWED


async def test_the_post_goes_to_the_checked_address_with_the_name_kept(
    server, smtp, webhook, worker_settings, intranet
):
    # given an allowed name whose address the worker resolves once per send
    port = webhook.url.rsplit(":", 1)[1]
    await _due_with_hook(server, worker_settings, f"http://hooks.example.net:{port}")

    async def resolver(host: str, port: int):
        return [ip_address("127.0.0.1")]

    # when delivery runs
    report = await deliver(server.clock, worker_settings, resolver=resolver)
    # then the receiver at the checked address got it, under the name it was sent to
    assert report.sent == 2 and len(webhook.calls) == 1
    assert webhook.calls[0].headers["host"] == f"hooks.example.net:{port.split('/')[0]}"


async def test_a_redirect_to_loopback_is_not_followed(server, smtp, worker_settings):
    # given an allowed receiver (127.0.0.2) that redirects to another on 127.0.0.1
    worker_settings.webhook_allow = "127.0.0.2/32"
    async with receiving("127.0.0.2") as first, receiving("127.0.0.1") as inner:
        first.status, first.location = 302, inner.url
        await _due_with_hook(server, worker_settings, first.url)
        # when delivery runs
        await deliver(server.clock, worker_settings)
    # then only the first was called, and the webhook is refused for good, saying why
    assert len(first.calls) == 1 and inner.calls == []
    row = await Reminder.get(channel="webhook")
    assert row.status is ReminderStatus.FAILED
    assert (
        row.last_error == "投递失败：对方拒绝（delivery failed: refused by the receiver） HTTP 302"
    )


async def test_a_receiver_that_never_answers_times_out(server, smtp, worker_settings):
    # given an allowed receiver that accepts the connection and never answers
    import asyncio

    worker_settings.webhook_allow = "127.0.0.0/8"
    worker_settings.webhook_timeout = 0.3
    held = []

    async def silent(reader, writer):
        held.append(writer)
        await asyncio.sleep(3600)

    listener = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        await _due_with_hook(server, worker_settings, f"http://127.0.0.1:{port}/")
        await deliver(server.clock, worker_settings)
    finally:
        for writer in held:
            writer.close()
        listener.close()
    # then it is retried later as a timeout
    row = await Reminder.get(channel="webhook")
    assert row.status is ReminderStatus.PENDING
    assert row.last_error == "投递失败：超时（delivery failed: timed out）"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("192.0.2.1", False),
        ("198.18.0.1", False),
        ("224.0.0.251", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::1", False),
        ("fd00:ec2::254", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2001:db8::1", False),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public(ip_address(address)) is public


def _certificate(folder, name: str):
    """A self-signed certificate for `name` and its key (PEM files in `folder`)."""
    import subprocess

    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}"),
            *("-addext", f"subjectAltName=DNS:{name}"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_https_to_the_pinned_address_checks_the_certificate_of_the_name(
    server, smtp, worker_settings, intranet, tmp_path
):
    # given a TLS receiver on loopback whose certificate names hooks.example.net only
    import asyncio
    import ssl

    cert, key = _certificate(tmp_path, "hooks.example.net")
    serving = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    serving.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    names: list[str] = []
    serving.sni_callback = lambda _sock, name, _ctx: names.append(name)

    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    tls = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=serving)
    port = tls.sockets[0].getsockname()[1]

    async def loopback(host: str, port: int):
        return [ip_address("127.0.0.1")]

    try:
        await _due_with_hook(server, worker_settings, f"https://hooks.example.net:{port}/ipdir")
        # when delivery posts to the checked address
        await deliver(server.clock, worker_settings, resolver=loopback, verify=trusting)
        # and to a name the certificate does not cover, pinned to the same address
        await AgencyNotification.all().update(webhook_url=f"https://other.example.net:{port}/")
        row = await Reminder.get(channel="webhook")
        assert row.status is ReminderStatus.SENT
        await Reminder.filter(id=row.id).update(status=ReminderStatus.PENDING)
        await deliver(server.clock, worker_settings, resolver=loopback, verify=trusting)
    finally:
        tls.close()
    # then the first went through under its name (SNI), the second was refused by TLS
    assert names[0] == "hooks.example.net"
    row = await Reminder.get(channel="webhook")
    assert row.status is ReminderStatus.PENDING
    assert row.last_error == "投递失败：连接失败（delivery failed: connection failed）"
