"""Delivery channels: e-mail over SMTP and signed webhooks, each raising `DeliveryError`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from email.message import EmailMessage
from email.utils import formatdate
from enum import StrEnum
from types import TracebackType
from typing import Any

import aiosmtplib
import httpx

from directory.reminders.destinations import NotAllowed, Unresolvable
from directory.reminders.messages import Message
from directory.settings import Settings

SIGNATURE_HEADER = "X-IPDir-Signature"


class Failure(StrEnum):
    """What went wrong with a send, as the agency and the bureau see it (never a socket error)."""

    ADDRESS_NOT_ALLOWED = "address_not_allowed"
    NO_ADDRESS = "no_address"
    CONNECTION_FAILED = "connection_failed"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    UNREADABLE = "unreadable"


FAILURE_WORDS: dict[Failure, tuple[str, str]] = {
    Failure.ADDRESS_NOT_ALLOWED: ("地址不允许", "address not allowed"),
    Failure.NO_ADDRESS: ("没有收件地址", "no address"),
    Failure.CONNECTION_FAILED: ("连接失败", "connection failed"),
    Failure.TIMEOUT: ("超时", "timed out"),
    Failure.REFUSED: ("对方拒绝", "refused by the receiver"),
    Failure.UNREADABLE: ("提醒内容无法读取", "the reminder cannot be read"),
}


class DeliveryError(Exception):
    """A send failed; `permanent` ones are not tried again.

    `str()` is what the outbox keeps and shows: "投递失败：<category>" and a short `shown`
    (an SMTP or HTTP status); `detail` goes to the worker's log only.
    """

    def __init__(
        self,
        failure: Failure,
        detail: str = "",
        permanent: bool = False,
        shown: str = "",
    ) -> None:
        zh, en = FAILURE_WORDS[failure]
        text = f"投递失败：{zh}（delivery failed: {en}）"
        super().__init__(f"{text} {shown}".strip())
        self.failure = failure
        self.permanent = permanent
        self.detail = detail or shown


def sign(secret: str, body: bytes) -> str:
    """The signature header value: sha256=<hex HMAC-SHA256 of the body under the secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class Mailer:
    """One SMTP connection for a batch, opened on first use and reopened after a drop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: aiosmtplib.SMTP | None = None
        self._unreachable: DeliveryError | None = None  # the batch's, not retried in it

    async def __aenter__(self) -> Mailer:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._smtp is not None and self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except aiosmtplib.SMTPException:
                self._smtp.close()
        self._smtp = None

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        if self._unreachable is not None:
            raise self._unreachable
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            timeout=s.smtp_timeout,
            use_tls=s.smtp_tls == "tls",
            start_tls=s.smtp_tls == "starttls",
        )
        try:
            await smtp.connect()
            if s.smtp_user:
                await smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # Not the reminder's fault (server down, settings wrong): always worth a retry.
            smtp.close()
            self._unreachable = _smtp_error(exc)
            self._unreachable.permanent = False
            raise self._unreachable from None
        self._smtp = smtp
        return smtp

    def message(self, to: str, text: Message, key: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_from
        mail["To"] = to
        mail["Subject"] = text.subject
        mail["Date"] = formatdate(localtime=False)
        # The same reminder always has the same id, so a resend after a crash is recognisable.
        mail["Message-ID"] = message_id(key, self.settings.smtp_from)
        mail["X-IPDir-Delivery"] = key  # receivers de-duplicate on it
        mail.set_content(text.body)
        if text.html:
            mail.add_alternative(text.html, subtype="html")
        return mail

    async def send(self, to: str, text: Message, key: str) -> None:
        if not to:
            raise DeliveryError(Failure.NO_ADDRESS, "no e-mail address on file", permanent=True)
        try:
            smtp = await self._connection()
            await smtp.send_message(self.message(to, text, key))
        except DeliveryError:
            raise
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            error = _smtp_error(exc)
            if error.failure is not Failure.REFUSED:  # the connection is gone
                if self._smtp is not None:
                    self._smtp.close()
                self._smtp = None
            raise error from None


def message_id(key: str, sender: str) -> str:
    """The Message-ID of a reminder: from its de-duplication key alone, never the time or pid."""
    domain = sender.rpartition("@")[2].strip("<> ") or "ipdir.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def _smtp_error(exc: BaseException) -> DeliveryError:
    """An SMTP failure as a category: 4xx answers and lost connections are worth a retry,
    5xx answers are not."""
    detail = f"SMTP: {type(exc).__name__}: {exc}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        codes = [r.code for r in exc.recipients]
        permanent = all(500 <= c < 600 for c in codes)
        return DeliveryError(Failure.REFUSED, detail, permanent, f"SMTP {codes[0]}")
    if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code > 0:
        permanent = 500 <= exc.code < 600
        return DeliveryError(Failure.REFUSED, detail, permanent, f"SMTP {exc.code}")
    if isinstance(exc, (TimeoutError, aiosmtplib.SMTPTimeoutError)):
        return DeliveryError(Failure.TIMEOUT, detail)
    return DeliveryError(Failure.CONNECTION_FAILED, detail)


_RETRY_LATER = frozenset({408, 425, 429})  # HTTP answers that ask to try again


async def post_webhook(
    http: httpx.AsyncClient,
    url: str,
    secret: str,
    document: dict[str, Any],
    key: str,
    seconds: float,
) -> None:
    """POST the signed document; the answer's status is all that is read (no body, no
    redirect followed), and the whole call is bounded by `seconds`."""
    body = webhook_body(document)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(secret, body),
        "X-IPDir-Delivery": key,  # receivers de-duplicate on it
        "User-Agent": "ipdir-worker",
    }
    try:
        async with (
            asyncio.timeout(seconds),
            http.stream("POST", url, content=body, headers=headers) as answer,
        ):
            status = answer.status_code
    except NotAllowed as exc:
        raise DeliveryError(Failure.ADDRESS_NOT_ALLOWED, str(exc), permanent=True) from None
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise DeliveryError(Failure.TIMEOUT, f"webhook: {type(exc).__name__}") from None
    except (Unresolvable, httpx.HTTPError, OSError) as exc:
        detail = f"webhook: {type(exc).__name__}: {exc}"
        raise DeliveryError(Failure.CONNECTION_FAILED, detail) from None
    if 200 <= status < 300:
        return
    # A redirect is not followed: the receiver must give its final address.
    permanent = status < 500 and status not in _RETRY_LATER
    raise DeliveryError(Failure.REFUSED, permanent=permanent, shown=f"HTTP {status}")
