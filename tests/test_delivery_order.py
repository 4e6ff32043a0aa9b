"""Replies first, pushes apart and at once; a reply LINE took is never sent twice; dead claims come back at once."""
from __future__ import annotations

import subprocess
import sys
import threading

from sqlalchemy import select, update

from bot.line import inbox, outbox
from bot.line.outbox_claims import sender_id
from handlers import events, worker
from models import Outbox
from tests.conftest import connect
from tests.helpers import add_officer, fill_report

PUSH, REPLY, MULTICAST = "/v2/bot/message/push", "/v2/bot/message/reply", "/v2/bot/message/multicast"
FILED = "ได้รับรายงานแล้ว"


def rows(services, **where) -> list[Outbox]:
    with services.db.session() as session:
        query = select(Outbox).filter_by(**where).order_by(Outbox.id)
        return list(session.scalars(query))


def answers(principal) -> list[str]:
    return [t for t in principal.texts() if FILED in t]


def test_a_principal_s_answer_never_waits_behind_another_case_s_slow_alerts(app, services, line):
    officers = [add_officer(services, line, f"เจ้าหน้าที่ทดสอบ {n}", f"081-000-000{n}") for n in range(1, 4)]
    first, second = line.user(), line.user()
    fill_report(first)
    fill_report(second)
    connect(line, app, handle_events=False)  # the event worker runs below, in this thread
    # LINE takes the first case's alerts (one multicast to the three officers) but answers only once the
    # second principal has been answered: a worker that waited on pushes would give up (and retry later).
    release = line.hold_next(MULTICAST)
    line.listen(lambda kind, record: release.set() if kind == "delivery" and record.to == second.user_id else None)
    before = len(line.deliveries)
    first.taps("ยืนยัน")
    second.taps("ยืนยัน")
    assert worker.drain(services) == 2
    assert services.sends.wait_idle(10)
    assert answers(first) and answers(second)
    assert [d.kind for d in line.deliveries[before:] if d.to in (first.user_id, second.user_id)] == ["reply"] * 2
    alerts = rows(services, purpose="case_alert")
    assert [(r.status, r.attempts) for r in alerts] == [("sent", 1)] * 6  # every alert on its first try
    assert all(len(line.pushes_to(o.user_id)) == 2 for o in officers)
    assert len([r for r in line.requests if r["path"] == MULTICAST]) == 2  # one per case, none tried twice


def test_pushes_to_one_chat_keep_their_order_while_others_go_ahead(app, services, line):
    slow, quick = line.user(), line.user()
    with services.db.session() as session:
        outbox.send_after_commit(session, services.now())
        for n in range(3):
            outbox.enqueue_push(session, slow.user_id, [{"type": "text", "text": f"ข้อความ {n}"}], services.now(), "test")
        outbox.enqueue_push(session, quick.user_id, [{"type": "text", "text": "ด่วน"}], services.now(), "test")
        session.commit()
        queued = outbox.queued_ids(session)
    release = line.hold_next(PUSH, chat=slow.user_id)  # the first push to `slow` hangs until `quick` has had theirs
    line.listen(lambda kind, record: release.set() if kind == "delivery" and record.to == quick.user_id else None)
    services.send_claimed(queued)
    assert services.sends.wait_idle(10)
    assert slow.texts() == ["ข้อความ 0", "ข้อความ 1", "ข้อความ 2"]
    assert line.deliveries[0].to == quick.user_id


def test_a_reply_line_accepted_whose_answer_was_lost_is_not_pushed_again(app, services, clock, line):
    principal = line.user()
    line.fail_next(REPLY, 500, done=True)  # LINE delivered the reply; its answer never came back
    principal.says("เมนู")
    [row] = rows(services, purpose="reply")
    assert row.status == "pending" and row.reply_unsure
    clock.advance(seconds=6)  # the retry, with the same token: LINE says it was used
    services.send_outbox()
    assert len(principal.messages()) == 1 and [d.kind for d in line.deliveries] == ["reply"]
    assert rows(services, purpose="reply")[0].status == "sent"


def test_a_reply_that_becomes_a_push_keeps_the_retry_key_it_was_stored_with(app, services, clock, line):
    principal = line.user()
    line.fail_next(REPLY, 400, body={"message": "Invalid reply token"})  # expired: a push instead
    line.fail_next(PUSH, 500, done=True)  # the push got through; its answer was lost
    principal.says("เมนู")
    clock.advance(seconds=6)
    services.send_outbox()
    [row] = rows(services, purpose="reply")
    keys = [r["headers"].get("X-Line-Retry-Key") for r in line.requests if r["path"] == PUSH]
    assert keys == [row.retry_key, row.retry_key] and row.status == "sent"
    assert len(principal.messages()) == 1


def dead_process_id() -> str:
    """A claim owner that ran on this host and has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host, _pid, token = sender_id().split(":")
    return f"{host}:{child.pid}:{token}"


def test_a_restarted_worker_sends_its_dead_predecessor_s_claims_at_once(app, services, line):
    officer = add_officer(services, line)
    connect(line, app, handle_events=False)
    principal = line.user()
    principal.says("เมนู")
    [(row_id, _chat, event)] = inbox.pending(services.db)
    assert events.handle(services, row_id, event)  # committed, claimed for 2 minutes; then the process died
    with services.db.session() as session:
        session.execute(update(Outbox).values(claimed_by=dead_process_id()))
        alive = outbox.enqueue_push(session, officer.user_id, [{"type": "text", "text": "ของผู้ส่งอื่น"}],
                                    services.now(), "test")
        alive.claimed_until, alive.claimed_by = services.now().replace(year=2100), f"{sender_id()[:-1]}x:1:abc"
        session.commit()
    assert services.send_outbox() == 0  # the clock has not moved: the claims have not run out
    assert services.reclaim_dead_claims() == 1  # the live (or unknown) sender's claim is left alone
    assert services.sends.wait_idle(10)
    assert len(principal.messages()) == 1 and line.messages_to(officer.user_id) == []


def test_two_workers_starting_together_take_a_dead_claim_once(app, services, settings, clock, line):
    from app import create_app

    principal = line.user()
    connect(line, app, handle_events=False)
    principal.says("เมนู")
    [(row_id, _chat, event)] = inbox.pending(services.db)
    events.handle(services, row_id, event)
    with services.db.session() as session:
        session.execute(update(Outbox).values(claimed_by=dead_process_id()))
        session.commit()
    other = create_app(settings, clock=clock, migrate=False).extensions["ccpc"]
    start, taken = threading.Barrier(2), []

    def restart(worker_services) -> None:
        start.wait()
        taken.append(worker_services.reclaim_dead_claims())

    threads = [threading.Thread(target=restart, args=(s,)) for s in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert services.sends.wait_idle(10) and other.sends.wait_idle(10)
    other.db.dispose()
    assert sorted(taken) == [0, 1] and len(principal.messages()) == 1
