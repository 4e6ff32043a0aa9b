"""The documented production set, started for real: gunicorn (2 workers) and the worker process on PostgreSQL.

Principals file reports at the same time over several connections to gunicorn, as LINE would;
the worker process, woken by NOTIFY (its poll is set to a minute), answers each of them, files
every case once and alerts every officer once. Runs only with TEST_DATABASE_URL.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.core.db import Database
from bot.fake_line import FakeLinePlatform, http_deliverer
from bot.staff import officers
from models import Case, Outbox
from tests.conftest import PG_URL, SECRET, TOKEN
from tests.helpers import fill_report
from tests.processes import BIN, Process, flask, free_port, scratch_database, service_env, wait_for

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")

PRINCIPALS = 6
OFFICERS = 3
POLL_SECONDS = "60"  # the fallback poll: any answer sooner than this came from the NOTIFY wake-up
ANSWER_SECONDS = 10  # each answer must arrive within this (a person would notice the 60 s poll)
START_SECONDS = 90


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database of its own (never migrated): the processes must migrate it together."""
    with scratch_database(PG_URL, "production") as url:
        yield url


class Answered:
    """Waits for the bot's answer after each message a person sends, and notes how long it took."""

    def __init__(self, platform: FakeLinePlatform):
        self.platform = platform
        self.seen = threading.Condition()
        self.latencies: list[float] = []
        self.delivered: Counter[str] = Counter()
        platform.listen(self._record)

    def _record(self, kind: str, record):
        # Called by the fake LINE under its own lock: count here, so that the waiting threads never
        # ask the platform for anything while holding `seen` (the two locks in the other order).
        with self.seen:
            if kind == "delivery":
                self.delivered[record.to] += 1
            self.seen.notify_all()

    def count(self, chat_id: str) -> int:
        with self.seen:
            return self.delivered[chat_id]

    def person(self, user):
        return _Waiting(self, user)


class _Waiting:
    def __init__(self, answered: Answered, user):
        self.answered, self.user = answered, user

    def _act(self, act, *args):
        before = self.answered.count(self.user.user_id)
        started = time.monotonic()
        assert act(*args) == 200
        with self.answered.seen:
            got = self.answered.seen.wait_for(lambda: self.answered.count(self.user.user_id) > before,
                                              timeout=ANSWER_SECONDS)
        assert got, f"no answer within {ANSWER_SECONDS} s to {args[0]!r}"
        self.answered.latencies.append(time.monotonic() - started)

    def says(self, words: str):
        self._act(self.user.says, words)

    def taps(self, label: str, picks=None):
        self._act(lambda *_: self.user.taps(label, picks), label)


def test_gunicorn_and_the_worker_process_file_every_case_once(fresh_database, tmp_path):
    line = FakeLinePlatform(SECRET, access_token=TOKEN)
    line.start()
    port = free_port()
    env = service_env(fresh_database, line.base_url, tmp_path, PORT=str(port), HOST="127.0.0.1",
                      WEB_WORKERS="2", WEB_THREADS="4", SCHEDULER_ENABLED="false",
                      EVENT_POLL_SECONDS=POLL_SECONDS, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    # All three at once on an empty database: the migration lock lets one migrate, the others wait.
    web = Process("gunicorn", [str(BIN / "gunicorn"), "app:create_app()"], env, tmp_path)
    work = Process("worker", flask("scheduler", "run"), env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _healthy(base), START_SECONDS, "gunicorn to answer /healthz", web)
        wait_for(lambda: _listening(fresh_database), START_SECONDS, "the worker to LISTEN", work)
        db = Database(fresh_database)
        staff = [line.user(display_name=f"เจ้าหน้าที่ทดสอบ {n}") for n in range(OFFICERS)]
        with db.session() as session:
            for n, person in enumerate(staff):
                officers.add(session, f"เจ้าหน้าที่ทดสอบ {n}", f"081-000-000{n}", person.user_id, "officer",
                             _now())
            session.commit()
        line.deliver = http_deliverer(f"{base}/callback")  # a new connection per webhook, several at once
        answered = Answered(line)
        failures: list[BaseException] = []

        def report(n: int):
            try:
                principal = answered.person(line.user(display_name=f"ผอ.ทดสอบ {n}"))
                fill_report(principal)
                principal.taps("ยืนยัน")
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=report, args=(n,)) for n in range(PRINCIPALS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(ANSWER_SECONDS * 20)
        assert not failures, failures[0]
        sent = len(answered.latencies)  # one per message sent, each answered within ANSWER_SECONDS
        assert sent >= PRINCIPALS * 12

        with db.session() as session:
            cases = list(session.scalars(select(Case)))
            assert len(cases) == PRINCIPALS  # every case exists once
            assert len({(c.year_be, c.number) for c in cases}) == PRINCIPALS
            assert len({c.reporter_line_user_id for c in cases}) == PRINCIPALS

        def alerts_sent():
            with db.session() as session:
                return session.scalar(select(func.count()).where(Outbox.purpose == "case_alert",
                                                                 Outbox.status == "sent"))
        wait_for(lambda: alerts_sent() == PRINCIPALS * OFFICERS, ANSWER_SECONDS, "every alert to be sent", work)
        for person in staff:  # every alert went once: one push per case to each officer, none repeated
            pushes = line.pushes_to(person.user_id)
            assert len(pushes) == PRINCIPALS
            assert len({p.retry_key for p in pushes}) == PRINCIPALS
        metrics = requests.get(f"{base}/metrics", timeout=10).text
        assert f"ccpc_cases_open {PRINCIPALS}.0" in metrics
        assert "ccpc_events_waiting 0.0" in metrics
        webhooks = sum(float(row.rsplit(" ", 1)[1]) for row in metrics.splitlines()
                       if row.startswith('ccpc_webhook_requests_total{status="200"}'))
        assert webhooks == sent  # counted by both gunicorn workers, added up
        for process in (web, work):
            assert "Traceback" not in process.output, process.output
        db.dispose()
    finally:
        web.stop()
        work.stop()
        line.stop()
    assert not web.alive() and not work.alive()


def _healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _listening(url: str) -> bool:
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ccpc-event-listener' "
                "AND datname = current_database()")))
    except Exception:  # noqa: BLE001 - not up yet
        return False
    finally:
        engine.dispose()


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
