"""A case's alert to several officers is one LINE multicast: one request, one outbox row and one push per
officer, access checked per officer, retried under one retry key, held or failed together."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app import create_app
from bot.line import budget, outbox
from bot.line.messages import text
from bot.line.send_pool import SendPool
from models import Case, Outbox
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, file_report

PUSH, MULTICAST = "/v2/bot/message/push", "/v2/bot/message/multicast"


def officers(services, line, count: int) -> list:
    return [add_officer(services, line, f"เจ้าหน้าที่ทดสอบ {n}", f"081-000-{n:04d}") for n in range(1, count + 1)]


def requests_to(line, path: str) -> list[dict]:
    return [r for r in line.requests if r["path"] == path]


def alert_rows(services) -> list[Outbox]:
    with services.db.session() as session:
        return list(session.scalars(select(Outbox).where(Outbox.purpose == "case_alert").order_by(Outbox.id)))


def alerts_to(line, person) -> list[str]:
    return [m["altText"] for m in line.messages_to(person.user_id) if "0001/2569" in m.get("altText", "")]


def test_a_case_alert_to_ten_officers_is_one_multicast_and_ten_pushes_in_the_accounts(app, services, line):
    team = officers(services, line, 10)
    file_report(line.user())
    [request] = requests_to(line, MULTICAST)
    assert sorted(request["json"]["to"]) == sorted(o.user_id for o in team)
    assert requests_to(line, PUSH) == []
    assert all(len(alerts_to(line, o)) == 1 for o in team)  # each officer's chat shows it once
    rows = alert_rows(services)
    assert [(r.status, r.pushes) for r in rows] == [("sent", 1)] * 10
    assert request["headers"]["X-Line-Retry-Key"] == rows[0].multicast_key
    assert line.push_usage == 10  # LINE counts one push per recipient
    with services.db.session() as session:
        case_id = session.scalar(select(Case.id))
        assert budget.cost_per_case(session)[case_id] == {"alert": 10}


def test_an_officer_who_lost_access_is_left_out_of_the_retry_the_others_still_get_it(app, services, line, clock):
    leaving, *staying = officers(services, line, 3)
    line.fail_next(MULTICAST, 503)
    file_report(line.user())
    assert app.test_cli_runner().invoke(args=["officers", "deactivate", leaving.user_id]).exit_code == 0
    clock.advance(seconds=5)
    assert services.send_outbox() == 2
    first, retry = requests_to(line, MULTICAST)
    assert leaving.user_id not in retry["json"]["to"] and len(retry["json"]["to"]) == 2
    assert first["headers"]["X-Line-Retry-Key"] == retry["headers"]["X-Line-Retry-Key"]
    assert alerts_to(line, leaving) == [] and all(len(alerts_to(line, o)) == 1 for o in staying)
    statuses = {r.to: r.status for r in alert_rows(services)}
    assert statuses == {leaving.user_id: "withdrawn", **{o.user_id: "sent" for o in staying}}


@pytest.mark.parametrize("line_took_it", [True, False])
def test_a_multicast_that_timed_out_is_retried_with_its_key_and_arrives_once(app, services, line, clock, line_took_it):
    team = officers(services, line, 3)
    line.fail_next(MULTICAST, 200, delay=1.5, done=line_took_it)  # the bot gives up after 1 s
    file_report(line.user())
    assert [r.status for r in alert_rows(services)] == ["pending"] * 3
    clock.advance(seconds=5)
    assert services.send_outbox() == 3
    keys = {r["headers"]["X-Line-Retry-Key"] for r in requests_to(line, MULTICAST)}
    assert len(requests_to(line, MULTICAST)) == 2 and len(keys) == 1  # the repeat is answered 409 if LINE took it
    assert all(len(alerts_to(line, o)) == 1 for o in team)
    assert [(r.status, r.attempts, r.pushes) for r in alert_rows(services)] == [("sent", 2, 1)] * 3


def test_a_used_up_quota_holds_every_row_of_the_multicast(app, services, line, clock):
    officers(services, line, 4)
    line.set_push_quota(3)  # three left, four wanted: LINE refuses the multicast whole
    file_report(line.user())
    rows = alert_rows(services)
    assert [(r.status, r.held, r.pushes) for r in rows] == [("pending", "quota", 0)] * 4
    clock.advance(minutes=30)
    services.send_outbox()
    assert len(requests_to(line, MULTICAST)) == 1 and requests_to(line, PUSH) == []  # held, not retried
    assert line.push_usage == 0


def test_a_refused_multicast_fails_every_row_and_each_sender_is_told(app, services, line):
    team = officers(services, line, 3)
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    file_report(line.user())
    line.fail_next(MULTICAST, 400, body={"message": "The request body has 1 error(s)"})
    with services.db.session() as session:
        outbox.send_after_commit(session, services.now())
        case_id = session.scalar(select(Case.id))
        for officer in team:
            outbox.enqueue_push(session, officer.user_id, [text("ประกาศทดสอบ")], services.now(), "test",
                                case_id=case_id, failure_notice_to=boss.user_id)
        session.commit()
        services.send_queued(outbox.queued(session))
    assert services.sends.wait_idle(10)
    with services.db.session() as session:
        rows = list(session.scalars(select(Outbox).where(Outbox.purpose == "test")))
    assert [(r.status, r.attempts) for r in rows] == [("failed", 1)] * 3 and all("400" in r.last_error for r in rows)
    assert len(requests_to(line, MULTICAST)) == 2  # the alert, then the refused one (never retried)
    services.send_outbox()
    notices = [t for t in boss.texts() if "ไม่สำเร็จ" in t and "0001/2569" in t]
    assert len(notices) == 3
    listed = app.test_cli_runner().invoke(args=["outbox", "failed"]).output
    assert all(f"#{r.id}" in listed for r in rows)


def test_the_principal_s_message_to_an_untaken_case_reaches_the_officers_as_one_multicast(app, services, line):
    team = officers(services, line, 3)
    principal = line.user()
    file_report(principal)
    principal.says("นักเรียนกลับบ้านแล้วค่ะ")
    relay = requests_to(line, MULTICAST)[-1]
    assert sorted(relay["json"]["to"]) == sorted(o.user_id for o in team)
    assert "นักเรียนกลับบ้านแล้วค่ะ" in relay["json"]["messages"][0]["text"]
    assert requests_to(line, PUSH) == []


def test_batched_messages_for_several_officers_still_go_as_one_multicast(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"), push_coalesce_seconds=30)
    application = create_app(settings, clock=clock)
    connect(line, application)
    services = application.extensions["ccpc"]
    team = officers(services, line, 3)
    principal = line.user()
    file_report(principal)
    for number in range(3):  # e.g. photos of an untaken case for the officers on duty, as they come
        clock.advance(seconds=3)
        with services.db.session() as session:
            outbox.send_after_commit(session, services.now(), batch_seconds=30)
            case_id = session.scalar(select(Case.id))
            for officer in team:
                outbox.enqueue_push(session, officer.user_id, [text(f"ภาพเพิ่มเติมที่ {number + 1}")],
                                    services.now(), "photo", case_id=case_id)
            session.commit()
            services.send_queued(outbox.queued(session))
    clock.advance(seconds=31)
    services.send_outbox()
    batch = requests_to(line, MULTICAST)[-1]
    assert sorted(batch["json"]["to"]) == sorted(o.user_id for o in team) and len(batch["json"]["messages"]) == 3
    assert len(requests_to(line, MULTICAST)) == 2 and requests_to(line, PUSH) == []  # the alert, the batch
    services.db.dispose()


def test_a_job_for_several_chats_keeps_each_chat_s_order():
    pool, ran, gate, other_ran = SendPool(size=2), [], threading.Event(), threading.Event()
    pool.submit("A", "first", lambda: (gate.wait(10), ran.append("first")))
    pool.submit(("A", "B"), "multicast", lambda: ran.append("multicast"))
    pool.submit("B", "later", lambda: ran.append("later"))  # B's job never overtakes the multicast to A and B
    pool.submit("C", "other", lambda: (ran.append("other"), other_ran.set()))
    assert other_ran.wait(10)  # the second thread went past the multicast and B's job to C's
    gate.set()
    assert pool.wait_idle(10)
    assert ran == ["other", "first", "multicast", "later"]
