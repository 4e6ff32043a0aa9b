"""Exactly one process runs the periodic jobs: a second one waits and takes over when the first dies."""
from __future__ import annotations

from bot.line import outbox
from bot.line.messages import text
from tests.helpers import add_officer
from tests.processes import Process, flask, service_env, wait_for

TAKE_OVER_SECONDS = 30  # the lock is retried every 2 s; the rest is start-up on a busy machine


def test_a_second_worker_waits_and_takes_over_when_the_first_dies(services, line, tmp_path):
    officer = add_officer(services, line)
    env = service_env(services.settings.database_url, line.base_url, tmp_path)
    first = Process("first", flask("scheduler", "run"), env, tmp_path)
    second = None
    try:
        wait_for(lambda: "scheduler started:" in first.output, 60, "the first worker to start", first)
        second = Process("second", flask("scheduler", "run"), env, tmp_path)
        wait_for(lambda: "waits to take over" in second.output, 60, "the second worker to wait", second)
        assert "scheduler started:" not in second.output and "worker lock taken" not in second.output

        first.kill()  # a crash: no chance to release anything itself
        with services.db.session() as session:  # a job's work: a message due now
            outbox.enqueue_push(session, officer.user_id, [text("หลังเปลี่ยนเครื่อง")], services.now(), "test")
            session.commit()
        wait_for(lambda: "scheduler started:" in second.output, TAKE_OVER_SECONDS, "the second to take over", second)
        wait_for(lambda: line.pushes_to(officer.user_id), TAKE_OVER_SECONDS, "the second's jobs to send", second)
        assert len(line.pushes_to(officer.user_id)) == 1
        assert "Traceback" not in second.output, second.output  # waiting and taking over are quiet
        assert second.output.count("waits to take over") == 1
    finally:
        first.stop()
        if second is not None:
            second.stop()
