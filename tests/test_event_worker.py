"""The webhook only stores events and answers 200; the event worker handles them once each, in order."""
from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from app import create_app
from bot.line import inbox
from bot.line import outbox
from bot import scheduler
from bot.core.db import Database
from bot.fake_line import http_deliverer
from handlers import events, worker
from models import Draft, WebhookEvent
from tests.conftest import connect


def stored(services) -> list[WebhookEvent]:
    with services.db.session() as session:
        return list(session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)))


def test_the_200_comes_before_handling_and_a_restart_in_between_loses_nothing(settings, clock, line):
    first = create_app(settings, clock=clock)
    connect(line, first, handle_events=False)  # no event worker running
    principal = line.user()
    assert principal.says("แจ้งเหตุ") == 200
    assert line.deliveries == []  # acknowledged, not yet answered
    [row] = stored(first.extensions["ccpc"])
    assert row.handled_at is None and "แจ้งเหตุ" in row.payload
    clock.advance(seconds=30)
    health = first.test_client().get("/healthz").get_json()  # what the office's monitoring sees
    assert (health["events_waiting"], health["oldest_event_seconds"]) == (1, 30)
    first.extensions["ccpc"].db.dispose()  # the service stops before its worker got to the event

    restarted = create_app(settings, clock=clock)
    services = restarted.extensions["ccpc"]
    assert worker.drain(services) == 1
    assert "ประเภท" in principal.last_text()  # the form's first question, by reply
    assert [d.kind for d in line.deliveries] == ["reply"]
    [row] = stored(services)
    assert row.outcome == "handled" and row.handled_at == clock() and row.payload is None  # no child's data left here
    assert worker.drain(services) == 0
    assert restarted.test_client().get("/healthz").get_json()["events_waiting"] == 0
    services.db.dispose()


def test_answers_of_a_worker_that_died_before_sending_go_out_when_its_claim_runs_out(app, services, clock, line):
    connect(line, app, handle_events=False)
    principal = line.user()
    principal.says("แจ้งเหตุ")
    [(row_id, _chat, event)] = inbox.pending(services.db)
    queued = events.handle(services, row_id, event)  # handled and committed; the process dies before sending
    assert queued and line.deliveries == []
    assert services.send_outbox() == 0  # still claimed by the worker that queued it
    clock.advance(seconds=outbox.CLAIM_SECONDS + 1)
    assert services.send_outbox() == 1  # the scheduler's next run, in this or a restarted process
    assert "ประเภท" in principal.last_text()


def test_stored_events_are_handled_in_the_order_they_arrived(app, services, line):
    connect(line, app, handle_events=False)  # no event worker running
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.says("เกิดอุบัติเหตุ")
    principal.says("รายงานนักเรียนประสบอุบัติเหตุ")
    assert worker.drain(services) == 3
    with services.db.session() as session:
        draft = session.scalar(select(Draft).where(Draft.line_user_id == principal.user_id))
    assert draft.step == "occurred_at"
    assert draft.answers["category"] == "accident"
    assert "วันและเวลา" in principal.last_text()


def test_two_workers_at_once_handle_each_event_once(app, services, settings, clock, line):
    connect(line, app, handle_events=False)  # no event worker running
    principals = [line.user() for _ in range(3)]
    for _ in range(10):
        for principal in principals:
            principal.says("เมนู")
    other = create_app(settings, clock=clock, migrate=False).extensions["ccpc"]  # a second process's engine
    start = threading.Barrier(2)
    counts: list[int] = []

    def run(worker_services) -> None:
        start.wait()
        counts.append(worker.drain(worker_services))

    threads = [threading.Thread(target=run, args=(s,)) for s in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.db.dispose()
    assert sum(counts) == 30
    assert all(row.handled_at is not None for row in stored(services))
    for principal in principals:
        assert len([d for d in line.deliveries if d.to == principal.user_id]) == 10  # one answer per message


def test_an_event_that_cannot_be_stored_is_not_acknowledged(app, services, line):
    connect(line, app, handle_events=False)  # no event worker running
    principal = line.user()
    with services.db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE webhook_event RENAME TO webhook_event_away"))
    try:
        assert principal.says("แจ้งเหตุ") == 503  # LINE will deliver it again
    finally:
        with services.db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE webhook_event_away RENAME TO webhook_event"))
    assert line.deliveries == []
    connect(line, app)
    assert line.redeliver(line.last_event) == 200
    assert "ประเภท" in principal.last_text()


def test_a_failed_event_is_recorded_answered_once_and_not_tried_again(app, services, line, monkeypatch):
    def broken(turn, event):
        raise RuntimeError("boom")

    monkeypatch.setitem(events.HANDLERS, "message", broken)
    principal = line.user()
    principal.says("แจ้งเหตุ")
    assert "ระบบขัดข้องชั่วคราว" in principal.last_text()
    [row] = stored(services)
    assert row.outcome == "failed" and row.payload is None
    monkeypatch.undo()
    assert worker.drain(services) == 0
    assert len(principal.messages()) == 1


def test_records_of_handled_events_are_kept_a_week_then_forgotten(app, services, clock, line):
    principal = line.user()
    principal.says("เมนู")
    old_event = line.last_event
    clock.advance(days=inbox.KEEP_HANDLED_DAYS - 1)
    assert scheduler.forget_handled_events(services) == 0
    assert line.redeliver(old_event) == 200  # still recognised: not answered twice
    assert len(principal.messages()) == 1
    connect(line, app, handle_events=False)  # no event worker running
    principal.says("สถานะ")  # stored, not yet handled
    clock.advance(days=2)
    assert scheduler.forget_handled_events(services) == 1
    assert [row.outcome for row in stored(services)] == [None]  # what is waiting is never forgotten


def test_the_worker_thread_answers_webhooks_served_over_http(settings, clock, line):
    from werkzeug.serving import make_server

    application = create_app(settings, clock=clock)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    line.deliver = http_deliverer(f"http://127.0.0.1:{server.server_port}/callback")
    answered = threading.Event()
    line.listen(lambda kind, record: answered.set() if kind == "delivery" else None)
    events_worker = worker.start(application.extensions["ccpc"], jobs=False)
    try:
        principal = line.user()
        assert principal.says("แจ้งเหตุ") == 200
        assert answered.wait(10), "the worker did not answer"
        assert "ประเภท" in principal.last_text()
    finally:
        events_worker.stop()
        server.shutdown()
        application.extensions["ccpc"].db.dispose()


def test_upgrading_keeps_the_ids_of_events_handled_before(tmp_path):
    from alembic import command

    from bot.core.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    db = Database(url)
    with db.engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text("INSERT INTO processed_event (webhook_event_id, event_type, received_at) "
                                "VALUES ('01OLDEVENT', 'message', '2026-11-20 03:00:00')"))
    db.upgrade()
    with db.session() as session:
        row = session.scalar(select(WebhookEvent))
        assert (row.webhook_event_id, row.outcome, row.payload) == ("01OLDEVENT", "handled", None)
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
    assert inbox.store(db, [{"webhookEventId": "01OLDEVENT", "type": "message"}], row.received_at) == 0
    db.dispose()


def test_a_webhook_that_never_finishes_does_not_stop_the_worker(app, services, line, monkeypatch):
    connect(line, app, handle_events=False)  # no event worker running
    principal = line.user()
    principal.says("เมนู")
    monkeypatch.setattr(worker, "YIELD_SECONDS", 0)
    with services.webhooks.answering():  # the worker lets webhooks go first, but only so long
        assert worker.drain(services) == 1
    assert principal.last_text()


def run_queued(db, *writers) -> None:
    """Run `writers` in threads that all queue behind a commit under way, then let them through."""
    db._writer.acquire()  # a commit is under way: the writers queue behind it
    threads = [threading.Thread(target=writer) for writer in writers]
    for thread in threads:
        thread.start()
    waited = threading.Event()
    for _ in range(5000):  # they start at once; wait until all are queued
        with db._waiting_lock:
            if len(db._waiting) >= len(writers):
                break
        waited.wait(0.001)
    else:
        raise AssertionError("the writers never queued")
    db._writer.release()
    for thread in threads:
        thread.join()


def test_webhooks_arriving_together_share_one_commit_and_each_learns_its_own_result(services, clock):
    db = services.db
    commits = []
    from sqlalchemy import event as sa_event

    sa_event.listen(db.engine, "commit", lambda connection: commits.append(1))
    results: dict[int, int] = {}
    batches = [[{"webhookEventId": f"01TOGETHER{i}", "type": "follow"}] for i in range(3)]
    run_queued(db, *[lambda i=i: results.__setitem__(i, inbox.store(db, batches[i], clock())) for i in range(3)])
    assert results == {0: 1, 1: 1, 2: 1}
    assert len(commits) == 1
    assert inbox.store(db, batches[1], clock()) == 0  # the same event again: a redelivery


def test_in_a_shared_insert_each_webhook_counts_only_its_own_new_events(services, clock):
    db = services.db
    results: dict[int, int] = {}
    batches = [[{"webhookEventId": "01SAME", "type": "follow"}],
               [{"webhookEventId": "01SAME", "type": "follow"}, {"webhookEventId": "01OTHER", "type": "follow"}],
               [{"type": "follow"}]]  # no id: never a redelivery
    run_queued(db, *[lambda i=i: results.__setitem__(i, inbox.store(db, batches[i], clock())) for i in range(3)])
    assert results[0] + results[1] == 2 and results[2] == 1  # 01SAME counted once, by whichever came first
    assert len(stored(services)) == 3


def test_when_a_shared_commit_fails_nobody_is_told_stored(services, clock):
    from sqlalchemy import text as sql

    db = services.db
    outcomes: dict[str, object] = {}

    def store_event():
        try:
            outcomes["event"] = inbox.store(db, [{"webhookEventId": "01SHARED", "type": "follow"}], clock())
        except Exception as error:  # noqa: BLE001
            outcomes["event"] = error

    def broken_write():
        try:
            outcomes["broken"] = db.write_together(sql("INSERT INTO no_such_table VALUES (1)"))
        except Exception as error:  # noqa: BLE001
            outcomes["broken"] = error

    run_queued(db, store_event, broken_write)
    assert isinstance(outcomes["event"], Exception) and isinstance(outcomes["broken"], Exception)
    assert stored(services) == []  # so the webhook answers 503 and LINE delivers it again
    assert inbox.store(db, [{"webhookEventId": "01SHARED", "type": "follow"}], clock()) == 1
