"""Several event worker processes share the events on PostgreSQL: each chat's events are handled
once and in order, different chats in parallel, and the periodic jobs run in one process only.

Real child processes (`flask --app app scheduler run`), the fake LINE on loopback, the webhook of
the real app in this process storing the events. Principals type a whole report without waiting
for the answers, all of them at once, interleaved: any event handled out of order, twice or not
at all changes what they read.
"""
from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import create_app
from models import Case, WebhookEvent
from tests.conftest import connect, make_settings
from tests.processes import Process, flask, service_env, wait_for

PRINCIPALS = 6
WAIT = 90  # seconds, for a loaded machine; the test goes on as soon as everything arrived
FILED = "ได้รับรายงานแล้ว"
# The report form typed without waiting (a typed label counts as its button).
SCRIPT = ["แจ้งเหตุ", "เกิดอุบัติเหตุ", "ใช้เรื่องที่แนะนำ", "เมื่อวาน 14:30",
          "นักเรียนชาย ป.5 จำนวน 1 คน พลัดตกสระน้ำหลังโรงเรียน ครูช่วยขึ้นมาได้",
          "ปฐมพยาบาลและนำส่งโรงพยาบาลชุมชน", "นางสาวสมมุติ ทดสอบ", "089 123 4567", "นายตัวอย่าง ใจดี",
          "ผู้อำนวยการโรงเรียน", "โรงเรียนบ้านหนองตัวอย่าง", "เมืองตัวอย่าง", "0812345678", "ข้าม", "ยืนยัน"]


@pytest.fixture
def rig(database_url, real_line, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several event workers share the events on PostgreSQL only (SQLite has one)")
    settings = make_settings(database_url, real_line.base_url, media_dir=str(tmp_path / "media"))
    application = create_app(settings)
    yield application, real_line
    application.extensions["ccpc"].db.dispose()


def replies(line, person) -> list[str]:
    """What the bot answered this person, one entry per reply, with the digits (case numbers) masked."""
    return [re.sub(r"\d", "#", " | ".join(m.get("text") or m.get("altText", "") for m in d.messages))
            for d in line.deliveries if d.to == person.user_id and d.kind == "reply"]


def alone(application, line) -> list[str]:
    """The answers to SCRIPT for one principal whose events are handled here, one at a time."""
    connect(line, application)
    principal = line.user(display_name="ผอ.ทดสอบ")
    for words in SCRIPT:
        principal.says(words)
    return replies(line, principal)


@pytest.mark.parametrize("how", ["two processes", "EVENT_WORKERS=2"])
def test_two_worker_processes_share_the_events_each_chat_in_order(rig, tmp_path, how):
    application, line = rig
    services = application.extensions["ccpc"]
    expected = alone(application, line)
    assert len(expected) == len(SCRIPT) and FILED in expected[-1]

    connect(line, application, handle_events=False)  # from now on only the worker processes handle events
    env = service_env(services.settings.database_url, line.base_url, tmp_path, EVENT_POLL_SECONDS="0.5",
                      EVENT_WORKERS="2" if how == "EVENT_WORKERS=2" else "1")
    workers = [Process("worker-1", flask("scheduler", "run"), env, tmp_path)]
    if how == "two processes":
        workers.append(Process("worker-2", flask("scheduler", "run"), env, tmp_path))
    try:
        wait_for(lambda: _listeners(services) == 2, 60, "two event workers to LISTEN", workers[0])
        principals = [line.user(display_name="ผอ.ทดสอบ") for n in range(PRINCIPALS)]
        for words in SCRIPT:  # interleaved: each principal's next message before anyone's answer
            for principal in principals:
                assert principal.says(words) == 200
        sent = len(SCRIPT) * PRINCIPALS
        everything = line.wait_until(lambda: all(len(replies(line, p)) >= len(SCRIPT) for p in principals), WAIT)
        assert everything, "\n".join(w.output[-3000:] for w in workers)

        for principal in principals:  # in order: the same answers as when handled alone
            assert replies(line, principal) == expected
        with services.db.session() as session:
            outcomes = session.execute(select(WebhookEvent.outcome, func.count()).where(
                WebhookEvent.received_at.is_not(None)).group_by(WebhookEvent.outcome)).all()
            filed = session.scalar(select(func.count()).select_from(Case))
        assert dict(outcomes) == {"handled": sent + len(SCRIPT)}  # every event once (and the solo run's)
        assert filed == PRINCIPALS + 1
        assert _chat_lockers(services) == 2, "both workers should have taken chats"
        output = "".join(w.output for w in workers)
        assert output.count("scheduler started:") == 1  # the jobs run in one process only
        assert "Traceback" not in output, output
    finally:
        for worker in workers:
            worker.stop()


def _activity(services, application_name: str) -> int:
    with services.db.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                       " AND application_name = :name"), {"name": application_name}).scalar()


def _listeners(services) -> int:
    return _activity(services, "ccpc-event-listener")


def _chat_lockers(services) -> int:
    return _activity(services, "ccpc-chat-locks")


def _children(process: Process) -> list[int]:
    """The pids of the processes `process` started (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{process.popen.pid}/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def test_an_event_worker_that_dies_mid_burst_is_started_again_and_no_event_is_lost(rig, tmp_path):
    application, line = rig
    services = application.extensions["ccpc"]
    expected = alone(application, line)
    connect(line, application, handle_events=False)
    env = service_env(services.settings.database_url, line.base_url, tmp_path, EVENT_POLL_SECONDS="0.5",
                      EVENT_WORKERS="2")
    worker = Process("worker", flask("scheduler", "run"), env, tmp_path)
    try:
        wait_for(lambda: _listeners(services) == 2, 60, "two event workers to LISTEN", worker)
        child = wait_for(lambda: _children(worker), 10, "the second event worker's process", worker)[0]
        principals = [line.user(display_name="ผอ.ทดสอบ") for n in range(PRINCIPALS)]
        for position, words in enumerate(SCRIPT):
            if position == len(SCRIPT) // 2:  # a crash in the middle of the burst, no clean-up
                os.kill(child, signal.SIGKILL)
            for principal in principals:
                assert principal.says(words) == 200
        wait_for(lambda: _children(worker) and _children(worker)[0] != child, 30, "the event worker started again",
                 worker)
        wait_for(lambda: _listeners(services) == 2, 60, "the new event worker to LISTEN", worker)
        everything = line.wait_until(lambda: all(len(replies(line, p)) >= len(SCRIPT) for p in principals), WAIT)
        assert everything, worker.output[-3000:]
        for principal in principals:  # every event handled, once, in order
            got = replies(line, principal)
            assert got == expected, (len(got), len(expected), [d.kind for d in line.deliveries if d.to == principal.user_id],
                                     [g[:30] for g in got])
        assert "starting it again" in worker.output
    finally:
        worker.stop()
