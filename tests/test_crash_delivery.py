"""The event worker killed (SIGKILL, a real child process) mid-delivery: after its restart, every
answer arrives exactly once and every alert within seconds, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from models import Outbox
from tests.conftest import SECRET, TOKEN, connect, make_settings
from tests.helpers import add_officer, fill_report

ROOT = Path(__file__).resolve().parent.parent
REPLY, MULTICAST = "/v2/bot/message/reply", "/v2/bot/message/multicast"
FILED = "ได้รับรายงานแล้ว"
WAIT = 60  # seconds: generous for a loaded machine; the test ends as soon as everything arrived


class WorkerProcess:
    """`flask --app app scheduler run` in a child process, as beside gunicorn in production."""

    def __init__(self, settings, log_dir: Path):
        self.env = {**os.environ, "DATABASE_URL": settings.database_url, "LINE_CHANNEL_SECRET": SECRET,
                    "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": settings.line_api_base_url,
                    "LINE_TIMEOUT_SECONDS": "2", "EVENT_POLL_SECONDS": "0.05", "MEDIA_DIR": settings.media_dir,
                    "SECRET_KEY": settings.secret_key, "DISTRICTS": ",".join(settings.districts),
                    "CENTRE_HOTLINES": ",".join(settings.centre_hotlines)}
        self.log_dir, self.runs, self.process = log_dir, 0, None

    def start(self) -> None:
        self.runs += 1
        log = open(self.log_dir / f"worker-{self.runs}.log", "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
                                        cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean-up of any kind
        self.process.wait(10)

    def log(self) -> str:
        return "\n".join((self.log_dir / f"worker-{n}.log").read_text(errors="replace")
                         for n in range(1, self.runs + 1))


@pytest.fixture
def crash_rig(database_url, real_line, tmp_path):
    secret = "crash-test-signing-key-" + "k" * 40
    settings = make_settings(database_url, real_line.base_url, media_dir=str(tmp_path / "media"), secret_key=secret)
    application = create_app(settings)
    services = application.extensions["ccpc"]
    connect(line=real_line, application=application)  # while filling the forms, events are handled here
    officers = [add_officer(services, real_line, f"เจ้าหน้าที่ทดสอบ {n}", f"081-000-000{n}") for n in (1, 2)]
    principals = [real_line.user() for _ in range(3)]
    for principal in principals:
        fill_report(principal)
    connect(real_line, application, handle_events=False)  # from now on only the child handles events
    child = WorkerProcess(settings, tmp_path)
    yield services, real_line, officers, principals, child
    if child.process and child.process.poll() is None:
        child.kill()
    services.db.dispose()


def filed_answers(principal) -> int:
    return sum(FILED in t for t in principal.texts())


def alerts(line, officer) -> list[str]:
    return [m["altText"] for m in line.messages_to(officer.user_id) if m.get("type") == "flex"]


def all_sent(services) -> bool:
    with services.db.session() as session:
        return not session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status != "sent"))


def assert_everything_arrived_once(services, line, officers, principals, child) -> None:
    arrived = line.wait_until(lambda: all(filed_answers(p) for p in principals)
                              and all(len(alerts(line, o)) >= 3 for o in officers) and all_sent(services), WAIT)
    assert arrived, child.log()
    assert [filed_answers(p) for p in principals] == [1, 1, 1]
    for officer in officers:
        assert sorted(alerts(line, officer)) == sorted(set(alerts(line, officer))) and len(alerts(line, officer)) == 3


def test_killed_after_line_accepted_a_reply_before_its_answer_came_back(crash_rig):
    services, line, officers, principals, child = crash_rig
    release = line.hold_next(REPLY, done=True)  # LINE delivers the first answer; its HTTP answer waits
    child.start()
    for principal in principals:
        principal.taps("ยืนยัน")
    assert line.wait_until(lambda: any(filed_answers(p) for p in principals), WAIT), child.log()
    child.kill()  # the worker dies waiting for LINE's answer; that case's alerts are stored, not sent
    release.set()
    child.start()  # takes back its predecessor's claims at once: the reply is settled by its token
    assert_everything_arrived_once(services, line, officers, principals, child)
    assert [d.kind for d in line.deliveries if d.to in {p.user_id for p in principals}
            and FILED in str(d.messages)] == ["reply"] * 3  # no push fallback doubled an answer


def test_killed_between_storing_alerts_and_sending_them(crash_rig):
    services, line, officers, principals, child = crash_rig
    release = line.hold_next(MULTICAST)  # the first case's alerts (one multicast) hang before LINE takes them
    child.start()
    for principal in principals:
        principal.taps("ยืนยัน")
    assert line.wait_until(lambda: sum(r["path"] == MULTICAST for r in line.requests) >= 1, WAIT), child.log()
    child.kill()
    child.start()
    assert line.wait_until(lambda: all(len(alerts(line, o)) >= 3 for o in officers), WAIT), child.log()
    release.set()  # the dead worker's requests reach LINE after all: their retry keys are used (409)
    assert_everything_arrived_once(services, line, officers, principals, child)
