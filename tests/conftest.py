"""Shared fixtures: a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
a controllable clock, the fake LINE platform on loopback, and the real Flask app between them."""
from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from app import create_app
from bot.core.db import Database
from bot.fake_line import FakeLinePlatform
from config.settings import Settings
from handlers import worker
from models import Base

SECRET = "test-channel-secret"
TOKEN = "test-access-token"
# A key as strong as the service demands (a fixed one, so that links are the same in every run).
SIGNING_KEY = "QTYuBPpAxk16K9P8sn8uqI_xCbkX6jxd9divxF_8lXBP5prbB_CZfZWl3LGbz4GE"
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


class Clock:
    """The time as the app sees it; tests move it forward instead of sleeping."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, value: datetime) -> None:
        self.current = value


@pytest.fixture
def clock() -> Clock:
    # 2026-11-22 16:00 in Bangkok
    return Clock(datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file copied for each test (migrating every time would be slow)."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return str(path)


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    db = Database(PG_URL)
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    db.dispose()
    return PG_URL


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    db = Database(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.dispose()
    return url


@pytest.fixture
def line(clock):
    """The fake LINE platform, serving the Messaging API on a loopback port."""
    platform = FakeLinePlatform(SECRET, access_token=TOKEN, clock=clock)
    platform.start()
    yield platform
    platform.stop()


@pytest.fixture
def real_line():
    """The fake LINE on real time: worker children run on the real clock, so reply tokens must too."""
    platform = FakeLinePlatform(SECRET, access_token=TOKEN)
    platform.start()
    yield platform
    platform.clear_failures()
    platform.stop()


def make_settings(database_url: str, line_base_url: str, **overrides) -> Settings:
    media = overrides.pop("media_dir", None) or tempfile.mkdtemp(prefix="ccpc-media-")
    values = dict(line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=line_base_url,
                  line_timeout_seconds=1.0, database_url=database_url, centre_hotlines=("08x-xxx-0000",),
                  districts=("เมืองตัวอย่าง", "หนองสมมุติ", "โคกจำลอง"), scheduler_enabled=False,
                  media_dir=media, secret_key=SIGNING_KEY,
                  push_coalesce_seconds=0)  # tests that batch pushes say so (PUSH_COALESCE_SECONDS)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url, line, tmp_path) -> Settings:
    return make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"))


def connect(line, application, handle_events: bool = True):
    """Have the fake LINE post its webhooks to this app (through Flask's test client); returns the client.

    After each post the stored events are handled at once, as the event worker would, in this thread
    (unless `handle_events` is False: then they wait, as when no worker is running).
    """
    client = application.test_client()
    services = application.extensions["ccpc"]

    def deliver(body: bytes, signature: str) -> int:
        response = client.post("/callback", data=body,
                               headers={"X-Line-Signature": signature, "Content-Type": "application/json"})
        response.close()
        if handle_events:
            worker.drain(services)
            assert services.sends.wait_idle(30), "the pushes of this event were never sent"
        return response.status_code

    line.deliver = deliver
    return client


@pytest.fixture
def app(settings, clock, line):
    application = create_app(settings, clock=clock)
    connect(line, application)
    yield application
    application.extensions["ccpc"].db.dispose()


@pytest.fixture
def services(app):
    return app.extensions["ccpc"]


@pytest.fixture
def client(app):
    return app.test_client()
