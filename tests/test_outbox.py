"""Alerts are never lost or doubled: retries on 5xx and timeouts, none on 4xx, 409 counts as delivered."""
from __future__ import annotations


from bot.line import outbox
from bot.line.messages import text
from models import Outbox
from tests.helpers import add_officer, file_report


def queue_push(services, to: str, body: str = "ทดสอบ") -> int:
    with services.db.session() as session:
        row = outbox.enqueue_push(session, to, [text(body)], services.now(), purpose="test")
        session.commit()
        return row.id


def row(services, row_id: int) -> Outbox:
    with services.db.session() as session:
        return session.get(Outbox, row_id)


def test_push_retries_after_a_500_with_the_same_retry_key(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next("/v2/bot/message/push", 500)
    row_id = queue_push(services, officer.user_id)
    assert services.send_outbox() == 0
    failed_once = row(services, row_id)
    assert failed_once.status == "pending" and failed_once.attempts == 1
    assert services.send_outbox() == 0  # not due yet: backoff
    clock.advance(seconds=5)
    assert services.send_outbox() == 1
    sent = row(services, row_id)
    assert sent.status == "sent"
    keys = [r["headers"].get("X-Line-Retry-Key") for r in line.requests if r["path"] == "/v2/bot/message/push"]
    assert keys == [sent.retry_key, sent.retry_key]
    assert len(line.pushes_to(officer.user_id)) == 1


def test_push_is_not_retried_after_a_400(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next("/v2/bot/message/push", 400, body={"message": "The request body has 1 error(s)"})
    row_id = queue_push(services, officer.user_id)
    services.send_outbox()
    clock.advance(hours=1)
    services.send_outbox()
    failed = row(services, row_id)
    assert failed.status == "failed" and failed.attempts == 1 and "400" in failed.last_error
    assert [r.id for r in outbox.failed_rows(services.db)] == [row_id]


def test_a_409_for_a_repeated_retry_key_counts_as_delivered(app, services, line):
    officer = add_officer(services, line)
    row_id = queue_push(services, officer.user_id)
    first = row(services, row_id)
    assert services.gateway.push(first.to, first.messages, first.retry_key).ok  # delivered, but we "crashed"
    assert services.send_outbox() == 1  # the repeat is answered 409
    assert row(services, row_id).status == "sent"
    assert len(line.pushes_to(officer.user_id)) == 1


def test_a_timeout_is_retried(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next("/v2/bot/message/push", 200, delay=1.5)  # the gateway gives up after 1 s
    row_id = queue_push(services, officer.user_id)
    services.send_outbox()
    assert row(services, row_id).status == "pending"
    clock.advance(seconds=5)
    services.send_outbox()
    assert row(services, row_id).status == "sent"


def test_alerts_stored_with_the_case_are_sent_after_a_crash(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next("/v2/bot/message/push", 503, times=1)
    principal = line.user()
    file_report(principal)
    assert line.pushes_to(officer.user_id) == []  # the send right after the webhook failed
    # the scheduler's next run (in this or a restarted process) finds the stored alert
    clock.advance(seconds=10)
    assert services.send_outbox() == 1
    assert len(line.pushes_to(officer.user_id)) == 1


def test_an_alert_that_keeps_failing_is_marked_failed_and_listed(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next("/v2/bot/message/push", 500, times=100)
    row_id = queue_push(services, officer.user_id)
    for _ in range(services.settings.outbox_max_attempts):
        services.send_outbox()
        clock.advance(minutes=31)
    failed = row(services, row_id)
    assert failed.status == "failed" and failed.attempts == services.settings.outbox_max_attempts
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "failed"])
    assert f"#{row_id}" in result.output and result.exit_code == 1
    line.clear_failures()
    assert runner.invoke(args=["outbox", "retry", str(row_id)]).exit_code == 0
    assert services.send_outbox() == 1


def test_an_expired_reply_token_falls_back_to_a_push(app, services, clock, line):
    principal = line.user()
    line.fail_next("/v2/bot/message/reply", 400, body={"message": "Invalid reply token"})
    principal.says("เมนู")
    assert "สถานะ" in principal.last_text()
    assert line.deliveries[-1].kind == "push"


def test_two_senders_never_send_the_same_row_twice(app, services, line):
    officer = add_officer(services, line)
    row_id = queue_push(services, officer.user_id)
    assert outbox._claim(services.db, row_id, services.now()) is not None
    assert outbox._claim(services.db, row_id, services.now()) is None
