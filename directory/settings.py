"""Typed settings read once from the environment; the only module that reads it."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from functools import lru_cache
from ipaddress import ip_network
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "asyncpg"}
_REDIS_SCHEMES = {"redis", "rediss", "unix"}
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"(?i){_LABEL}(\.{_LABEL})*\.?")


class SettingsError(RuntimeError):
    """A configuration value is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Service configuration; every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = Field(
        default="sqlite://ipdir.sqlite3",
        description="sqlite://FILE (embedded default) or postgres://USER:PASS@HOST:PORT/DB",
    )
    redis_url: str = Field(default="redis://127.0.0.1:6379/0")
    environment: Literal["development", "production"] = "development"
    graphiql: bool | None = Field(
        default=None,
        description="serve the query page at /graphql to browsers; default: on outside production",
    )
    home_region: str = Field(
        default="511900",
        pattern=r"^[0-9]{6}$",
        description="the city the directory is for (GB/T 2260): first in the pages' region lists",
    )
    cors_origins: str = Field(
        default="",
        description="comma-separated origins (https://host[:port]) whose pages may call /graphql",
    )
    max_query_depth: int = Field(default=10, ge=2, le=50)
    max_aliases: int = Field(default=30, ge=1, le=1000)
    max_query_tokens: int = Field(default=2000, ge=100, le=100_000)
    # The bounds of one request's work (README, "Limits"; bench/limits.py measures them).
    max_query_cost: int = Field(
        default=50_000,
        ge=100,
        le=100_000_000,
        description="objects one operation may ask for, counted before it runs (first × ...)",
    )
    operation_timeout: float = Field(
        default=5.0, gt=0, le=300, description="seconds one GraphQL operation may run"
    )
    max_response_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="bytes of one /graphql answer"
    )
    max_request_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="bytes of one request body (413 above)"
    )
    introspection: bool | None = Field(
        default=None,
        description="answer __schema and __type queries; default: on outside production",
    )
    sqlite_busy_timeout: int = Field(default=5000, ge=0, description="milliseconds")
    # Outgoing mail for reminders and the bureau's alerts (the worker only).
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for reminders")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = Field(default="ipdir@localhost", description="the sender of reminders")
    smtp_tls: Literal["off", "starttls", "tls"] = Field(
        default="starttls", description="off, STARTTLS after connecting, or TLS from the start"
    )
    smtp_timeout: float = Field(default=30.0, gt=0, le=300, description="seconds")
    bureau_email: str = Field(
        default="", description="where target and late-report alerts and the monthly report go"
    )
    webhook_timeout: float = Field(
        default=5.0, gt=0, le=60, description="seconds a webhook call may take in all"
    )
    webhook_https_only: bool | None = Field(
        default=None, description="webhooks must be https; default: on in production"
    )
    webhook_allow: str = Field(
        default="",
        description="comma-separated networks (10.8.0.0/16) or host names a webhook may reach "
        "although they are not public: the bureau's own intranet receivers",
    )
    delivery_horizon_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="how long a reminder is retried before FAILED"
    )
    delivery_alert_hours: int = Field(
        default=24, ge=1, le=24 * 30, description="the bureau hears of a reminder waiting this long"
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For names the client; default: none, the socket's peer is the client",
    )
    review_rate_limit: int = Field(
        default=10, ge=0, description="reviews one client address may submit an hour; 0: off"
    )
    match_rate_limit: int = Field(
        default=120, ge=0, description="matchAgencies one client address may ask a minute; 0: off"
    )
    session_hours: int = Field(
        default=12, ge=1, le=720, description="how long a sign-in to the pages lasts"
    )
    # The response cache of /graphql reads (directory/responsecache/).
    response_cache: Literal["auto", "memory", "redis", "off"] = Field(
        default="auto",
        description="answers of queries kept until the next write: memory (this process), "
        "redis (shared by several processes), off; auto: redis when several workers serve "
        "and REDIS_URL is set, else memory",
    )
    response_cache_entries: int = Field(
        default=10_000, ge=1, description="answers the response cache keeps at most"
    )
    response_cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1024, description="bytes of answers it keeps at most"
    )
    # Compiled reads (directory/compiled/): supported reads of the agencies and practitioners
    # connections built as JSON by PostgreSQL; SQLite always runs the resolvers.
    compiled_reads: Literal["on", "off"] = Field(
        default="on", description="answer supported directory reads from SQL (PostgreSQL)"
    )
    # Serving: processes, the database pool and the collector (README, "Serving").
    database_pool_max: int = Field(
        default=20, ge=1, le=1000, description="PostgreSQL connections one process may hold"
    )
    gc_freeze: bool = Field(
        default=True,
        description="move what start-up allocated out of the collector's sight (gc.freeze)",
    )
    gc_young_threshold: int = Field(
        default=50_000,
        ge=0,
        le=10_000_000,
        description="allocations between young-generation collections; 0: Python's default",
    )
    # Engagements (directory/engagements/): the links the firms' mails carry.
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="the address the public reaches the pages at (https://host[:port]), "
        "the start of the links the firms' mails carry",
    )
    send_rate_limit: int = Field(
        default=10, ge=0, description="engagement requests one client address may send an hour"
    )
    workers: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="processes of `ipdir serve` (default: one per core in production, else 1)",
    )

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in _DATABASE_SCHEMES:
            raise ValueError(f"scheme must be one of {sorted(_DATABASE_SCHEMES)}, got {value!r}")
        if parts.scheme == "sqlite" and not (parts.netloc or parts.path):
            raise ValueError("sqlite:// needs a file name, e.g. sqlite://ipdir.sqlite3")
        if parts.scheme != "sqlite" and not (parts.hostname and parts.path.strip("/")):
            raise ValueError("a PostgreSQL URL needs a host and a database name")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_cors_origins(cls, value: str) -> str:
        for origin in _split(value):
            parts = urlsplit(origin)
            if origin != "*" and not (
                parts.scheme in ("http", "https") and parts.netloc and parts.path == ""
            ):
                raise ValueError(f"an origin is scheme://host[:port] with no path, got {origin!r}")
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(f"an address is http(s)://host[:port][/path], got {value!r}")
        return value.rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in _REDIS_SCHEMES:
            raise ValueError(f"scheme must be one of {sorted(_REDIS_SCHEMES)}, got {value!r}")
        return value

    @field_validator("webhook_allow")
    @classmethod
    def _check_webhook_allow(cls, value: str) -> str:
        for item in _items(value):
            try:
                ip_network(item, strict=False)
            except ValueError:
                if not _HOST_NAME.fullmatch(item):
                    raise ValueError(f"not a network or host name: {item!r}") from None
        return value

    @property
    def webhook_allow_list(self) -> list[str]:
        return _items(self.webhook_allow)

    @property
    def webhook_https_required(self) -> bool:
        if self.webhook_https_only is None:
            return self.environment == "production"
        return self.webhook_https_only

    @property
    def delivery_horizon(self) -> timedelta:
        return timedelta(hours=self.delivery_horizon_hours)

    @property
    def delivery_alert_after(self) -> timedelta:
        return timedelta(hours=self.delivery_alert_hours)

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.session_hours)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def serving_workers(self) -> int:
        """Processes of `ipdir serve`: WORKERS, else one per core in production, else 1."""
        if self.workers is not None:
            return self.workers
        return (os.cpu_count() or 1) if self.is_production else 1

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def cors_origin_list(self) -> list[str]:
        return _split(self.cors_origins)

    @property
    def introspection_enabled(self) -> bool:
        if self.introspection is None:
            return self.environment != "production"
        return self.introspection

    @property
    def graphiql_enabled(self) -> bool:
        if self.graphiql is None:
            return self.environment != "production"
        return self.graphiql


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _split(origins: str) -> list[str]:
    return [o.strip().rstrip("/") for o in origins.split(",") if o.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; a bad value raises SettingsError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid configuration: {problems}") from None
