"""Delivery channels: e-mail over SMTP and signed webhooks, each raising `DeliveryError`."""

from __future__ import annotations

import hashlib
import hmac
import json
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType
from typing import Any

import aiosmtplib
import httpx

from directory.reminders.messages import Message
from directory.settings import Settings

SIGNATURE_HEADER = "X-IPDir-Signature"


class DeliveryError(Exception):
    """A send failed; `permanent` ones are not tried again."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


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
        self._unreachable: str | None = None  # the batch's connection error, not retried in it

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
            raise DeliveryError(self._unreachable)
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
            self._unreachable = f"SMTP: {type(exc).__name__}: {exc}"
            raise DeliveryError(self._unreachable) from None
        self._smtp = smtp
        return smtp

    def message(self, to: str, text: Message, key: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_from
        mail["To"] = to
        mail["Subject"] = text.subject
        mail["Date"] = formatdate(localtime=False)
        # The same reminder always has the same id, so a resend after a crash is recognisable.
        mail["Message-ID"] = make_msgid(hashlib.sha256(key.encode()).hexdigest()[:32], "ipdir")
        mail["X-IPDir-Reminder"] = key
        mail.set_content(text.body)
        return mail

    async def send(self, to: str, text: Message, key: str) -> None:
        if not to:
            raise DeliveryError("no e-mail address on file for this reminder", permanent=True)
        try:
            smtp = await self._connection()
            await smtp.send_message(self.message(to, text, key))
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.code}: {exc.message}", permanent=500 <= exc.code < 600
            ) from None
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            raise DeliveryError(
                f"SMTP refused the recipient: {exc.recipients[0]}",
                permanent=all(500 <= c < 600 for c in codes),
            ) from None
        except DeliveryError:
            raise
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            if self._smtp is not None:
                self._smtp.close()
            self._smtp = None
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from None


async def post_webhook(
    http: httpx.AsyncClient, url: str, secret: str, document: dict[str, Any], key: str
) -> None:
    body = webhook_body(document)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(secret, body),
        "X-IPDir-Delivery": key,  # receivers de-duplicate on it
        "User-Agent": "ipdir-worker",
    }
    try:
        answer = await http.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook: {type(exc).__name__}: {exc}") from None
    if not answer.is_success:
        raise DeliveryError(f"webhook answered HTTP {answer.status_code}")
