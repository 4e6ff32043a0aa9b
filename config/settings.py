"""Every setting the service reads, from the environment (and an optional .env), in one place."""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _emergency_numbers(value: str) -> tuple[tuple[str, str], ...]:
    """"1669=การแพทย์ฉุกเฉิน,191=ตำรวจ": each number with what it is for, shown as a call button "1669 การแพทย์ฉุกเฉิน"."""
    from bot.line.limits import MAX_LABEL, label_length

    numbers = []
    for part in _list(value):
        number, _, name = (piece.strip() for piece in part.partition("="))
        if not re.fullmatch(r"\+?[0-9-]{3,20}", number) or not name:
            raise ValueError(f"{part!r}: write each as number=what it is for, e.g. 1669=การแพทย์ฉุกเฉิน")
        if label_length(f"{number} {name}") > MAX_LABEL:
            raise ValueError(f"{part!r}: the button \"{number} {name}\" is longer than LINE's {MAX_LABEL} characters")
        numbers.append((number, name))
    if not 1 <= len(numbers) <= MAX_EMERGENCY_NUMBERS:
        raise ValueError(f"give 1 to {MAX_EMERGENCY_NUMBERS} numbers")
    return tuple(numbers)


MAX_EMERGENCY_NUMBERS = 8  # call buttons under one message
EMERGENCY_NUMBERS = (("1669", "การแพทย์ฉุกเฉิน"), ("191", "ตำรวจ"), ("1300", "ศูนย์ช่วยเหลือสังคม"),
                     ("1323", "สายด่วนสุขภาพจิต"), ("199", "ดับเพลิง/กู้ภัย"))

GROUP_NOTICE_CHOICES = ("category", "district", "occurred_at")  # what a staff group's notice may show


def _notice_fields(value: str) -> tuple[str, ...]:
    fields_ = () if value.strip().lower() == "none" else _list(value.lower())
    unknown = [name for name in fields_ if name not in GROUP_NOTICE_CHOICES]
    if unknown:
        raise ValueError(f"unknown {', '.join(unknown)}; choose from {', '.join(GROUP_NOTICE_CHOICES)} or none")
    return fields_


SECRET_KEY_BITS = 256  # 32 bytes: far beyond trying keys against one signed link
MAKE_SECRET_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def secret_key_problem(key: str) -> str | None:
    """Why SECRET_KEY is too weak to sign links to children's data, or None when it is strong enough."""
    pools = ((str.islower, 26), (str.isupper, 26), (str.isdigit, 10))
    pool = sum(size for test, size in pools if any(test(c) and c.isascii() for c in key))
    pool += 33 if any(c.isascii() and not c.isalnum() for c in key) else 0
    pool += 100 if not key.isascii() else 0
    periodic = len(key) > 1 and (key + key).find(key, 1) < len(key)  # "abcabc…": a short key repeated
    if pool < 2 or len(set(key)) < 10 or periodic or len(key) * math.log2(pool) < SECRET_KEY_BITS:
        return (f"SECRET_KEY is too weak: it must hold at least 32 bytes of randomness, or anyone with one "
                f"signed link could guess it and sign links to every case. Make one with {MAKE_SECRET_KEY} "
                f"(or leave SECRET_KEY empty: the service then keeps a generated key in instance/secret_key).")
    return None


@dataclass(frozen=True)
class Settings:
    """The service's configuration; build it with `from_env()` or directly in tests."""

    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    line_api_base_url: str = ""
    line_timeout_seconds: float = 5.0
    database_url: str = f"sqlite:///{INSTANCE_DIR / 'ccpc.sqlite3'}"
    host: str = "127.0.0.1"
    port: int = 5000
    centre_name: str = "ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน"
    centre_hotlines: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    draft_ttl_hours: int = 24
    outbox_max_attempts: int = 8
    take_deadline_minutes: int = 15
    urgent_take_deadline_minutes: int = 5
    emergency_numbers: tuple[tuple[str, str], ...] = EMERGENCY_NUMBERS
    urgent_keywords_path: str = ""
    second_escalation_minutes: int = 60
    reminder_days: int = 3
    reply_mode_minutes: int = 10
    closed_case_messages_days: int = 14
    scheduler_enabled: bool = True
    event_poll_seconds: float = 1.0
    event_workers: int = 1
    public_base_url: str = ""
    media_dir: str = str(INSTANCE_DIR / "media")
    media_url_ttl_days: int = 7
    photo_retention_days: int = 0
    secret_key: str = field(default="", repr=False)
    province: str = ""
    office_name: str = "ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    doc_prefix: str = "ศธ ....../"
    director_title: str = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    memo_signer_name: str = "...................................."
    memo_signer_position: str = "หัวหน้าศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน"
    memo_emblem_path: str = ""
    document_digits: str = "thai"
    document_url_ttl_hours: int = 72
    fund_schedule_path: str = ""
    fund_request_hours: int = 24
    fund_reminder_hours_before: int = 4
    monthly_report_enabled: bool = False
    group_notice_fields: tuple[str, ...] = ("category", "district")
    web_workers: int = 2
    web_threads: int = 4
    web_timeout_seconds: int = 120
    db_pool_size: int = 0
    retention_days: int = 0
    outbox_retention_days: int = 30
    audit_retention_days: int = 0
    metrics_token: str = field(default="", repr=False)
    metrics_dir: str = ""
    duty_hours: int = 12
    push_coalesce_seconds: int = 30
    push_reserve: int = 0
    quota_check_minutes: int = 10
    simulator_push_quota: int = 0
    console_idle_minutes: int = 30
    console_presence_seconds: int = 90
    console_push_grace_seconds: int = 120
    line_basic_id: str = ""

    @property
    def shows_photos(self) -> bool:
        """LINE fetches images only over https, so photos are shown only with an https base URL."""
        return self.public_base_url.startswith("https://")

    @property
    def pool_size(self) -> int:
        """Database connections each process keeps: one per web thread, plus the worker's and a spare."""
        return self.db_pool_size or self.web_threads + 2

    @property
    def line_configured(self) -> bool:
        """True when the service can verify webhooks and talk to LINE."""
        return bool(self.line_channel_secret and self.line_channel_access_token)


# Environment variable name -> (field, parser). Documented in README.md and .env.example.
ENV = {
    "LINE_CHANNEL_SECRET": ("line_channel_secret", str),
    "LINE_CHANNEL_ACCESS_TOKEN": ("line_channel_access_token", str),
    "LINE_API_BASE_URL": ("line_api_base_url", str),
    "LINE_TIMEOUT_SECONDS": ("line_timeout_seconds", float),
    "DATABASE_URL": ("database_url", lambda v: database_url(v)),
    "HOST": ("host", str),
    "PORT": ("port", int),
    "CENTRE_NAME": ("centre_name", str),
    "CENTRE_HOTLINES": ("centre_hotlines", _list),
    "DISTRICTS": ("districts", _list),
    "DRAFT_TTL_HOURS": ("draft_ttl_hours", int),
    "OUTBOX_MAX_ATTEMPTS": ("outbox_max_attempts", int),
    "TAKE_DEADLINE_MINUTES": ("take_deadline_minutes", int),
    "URGENT_TAKE_DEADLINE_MINUTES": ("urgent_take_deadline_minutes", int),
    "EMERGENCY_NUMBERS": ("emergency_numbers", _emergency_numbers),
    "URGENT_KEYWORDS_PATH": ("urgent_keywords_path", str),
    "SECOND_ESCALATION_MINUTES": ("second_escalation_minutes", int),
    "REMINDER_DAYS": ("reminder_days", int),
    "REPLY_MODE_MINUTES": ("reply_mode_minutes", int),
    "CLOSED_CASE_MESSAGES_DAYS": ("closed_case_messages_days", int),
    "SCHEDULER_ENABLED": ("scheduler_enabled", _bool),
    "EVENT_POLL_SECONDS": ("event_poll_seconds", float),
    "EVENT_WORKERS": ("event_workers", int),
    "PUBLIC_BASE_URL": ("public_base_url", lambda v: v.rstrip("/")),
    "MEDIA_DIR": ("media_dir", str),
    "MEDIA_URL_TTL_DAYS": ("media_url_ttl_days", int),
    "PHOTO_RETENTION_DAYS": ("photo_retention_days", int),
    "SECRET_KEY": ("secret_key", str),
    "PROVINCE": ("province", str),
    "OFFICE_NAME": ("office_name", str),
    "DOC_PREFIX": ("doc_prefix", str),
    "DIRECTOR_TITLE": ("director_title", str),
    "MEMO_SIGNER_NAME": ("memo_signer_name", str),
    "MEMO_SIGNER_POSITION": ("memo_signer_position", str),
    "MEMO_EMBLEM_PATH": ("memo_emblem_path", str),
    "DOCUMENT_DIGITS": ("document_digits", lambda v: _choice(v, ("thai", "arabic"))),
    "DOCUMENT_URL_TTL_HOURS": ("document_url_ttl_hours", int),
    "FUND_SCHEDULE_PATH": ("fund_schedule_path", str),
    "FUND_REQUEST_HOURS": ("fund_request_hours", int),
    "FUND_REMINDER_HOURS_BEFORE": ("fund_reminder_hours_before", int),
    "MONTHLY_REPORT_ENABLED": ("monthly_report_enabled", _bool),
    "GROUP_NOTICE_FIELDS": ("group_notice_fields", _notice_fields),
    "WEB_WORKERS": ("web_workers", int),
    "WEB_THREADS": ("web_threads", int),
    "WEB_TIMEOUT_SECONDS": ("web_timeout_seconds", int),
    "DB_POOL_SIZE": ("db_pool_size", int),
    "RETENTION_DAYS": ("retention_days", int),
    "OUTBOX_RETENTION_DAYS": ("outbox_retention_days", int),
    "AUDIT_RETENTION_DAYS": ("audit_retention_days", int),
    "METRICS_TOKEN": ("metrics_token", str),
    "DUTY_HOURS": ("duty_hours", int),
    "PUSH_COALESCE_SECONDS": ("push_coalesce_seconds", int),
    "PUSH_RESERVE": ("push_reserve", int),
    "QUOTA_CHECK_MINUTES": ("quota_check_minutes", int),
    "SIMULATOR_PUSH_QUOTA": ("simulator_push_quota", int),
    # Read by prometheus_client itself too: where each process writes its counts (several processes).
    "PROMETHEUS_MULTIPROC_DIR": ("metrics_dir", str),
    "CONSOLE_IDLE_MINUTES": ("console_idle_minutes", int),
    "CONSOLE_PRESENCE_SECONDS": ("console_presence_seconds", int),
    "CONSOLE_PUSH_GRACE_SECONDS": ("console_push_grace_seconds", int),
    "LINE_BASIC_ID": ("line_basic_id", str),
}


def _choice(value: str, allowed: tuple[str, ...]) -> str:
    """value (lower-cased) when it is one of allowed."""
    if value.lower() not in allowed:
        raise ValueError(f"use one of {', '.join(allowed)}")
    return value.lower()


def database_url(url: str) -> str:
    """The URL as SQLAlchemy wants it: `postgres://` (Heroku-style) and `postgresql://` both mean psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_env(environ: dict[str, str] | None = None, dotenv: bool = True) -> Settings:
    """Read the settings from the environment, after loading `.env` if there is one."""
    if environ is None:
        if dotenv:
            from dotenv import load_dotenv

            load_dotenv(PROJECT_ROOT / ".env", override=False)
        environ = dict(os.environ)
    values = {}
    for name, (attr, parse) in ENV.items():
        raw = environ.get(name, "").strip()
        if raw:
            try:
                values[attr] = parse(raw)
            except ValueError as exc:
                raise SystemExit(f"Setting {name}={raw!r} is not valid: {exc}") from exc
    if values.get("secret_key") and (problem := secret_key_problem(values["secret_key"])):
        raise SystemExit(problem)
    return Settings(**values)


def setting_names() -> list[str]:
    """Names of all settings (used by the test that keeps .env.example complete)."""
    return list(ENV)


assert {a for a, _ in ENV.values()} <= {f.name for f in fields(Settings)}
