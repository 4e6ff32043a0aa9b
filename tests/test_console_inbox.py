"""Console-first delivery: what an officer at the console is told appears there and costs no push;
what nobody's console showed in time is pushed after the grace; essential pushes always go at once.
All through the real app, the real SDK and the fake LINE, with the injected clock."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select, update

from bot.casework.deadlines import escalate_unanswered, remind_quiet_owners
from bot.line import budget
from bot.staff import officers as officer_admin
from models import AuditLog, Case, Outbox
from tests.console_helpers import csrf_token, sign_in_directly
from tests.helpers import add_officer, cases, file_report

WORDS = "นักเรียนอยู่กับครูประจำชั้นแล้ว ผู้ปกครองกำลังมารับ"
GRACE = 120  # CONSOLE_PUSH_GRACE_SECONDS by default


def rows(services, purpose: str) -> list[Outbox]:
    with services.db.session() as session:
        return list(session.scalars(select(Outbox).where(Outbox.purpose == purpose).order_by(Outbox.id)))


def polls(client) -> list[dict]:
    """The console page's background poll: what it shows now (it also marks the officer present)."""
    response = client.get("/console/inbox.json", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.status_code
    return response.get_json()["messages"]


def acknowledges(client, ids: list[int]) -> list[int]:
    """What the page does with what it showed: tells the server, with the page's CSRF token."""
    response = client.post("/console/inbox/seen", json={"ids": ids},
                           headers={"X-CSRFToken": csrf_token(client), "Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["settled"]


def taken_case(services, line, client):
    """An officer who took a new case from LINE and has the console open; the principal who filed it."""
    officer = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    principal = line.user()
    file_report(principal)
    officer.taps("รับเรื่อง")
    sign_in_directly(client, services, officer)
    assert polls(client) == []
    return officer, principal


def test_an_officer_at_the_console_gets_the_principals_words_there_and_no_push(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    pushes_before = len(line.pushes_to(officer.user_id))
    clock.advance(seconds=20)
    principal.says(WORDS)
    assert len(line.pushes_to(officer.user_id)) == pushes_before  # not pushed at once
    (waiting,) = rows(services, "reporter_wrote")
    assert (waiting.status, waiting.kind, waiting.console_until) == ("pending", "push", clock() + timedelta(seconds=GRACE))

    clock.advance(seconds=15)
    (shown,) = polls(client)
    assert shown["id"] == waiting.id and shown["reference"] == "0001/2569"
    assert shown["url"] == f"/console/cases/{waiting.case_id}" and WORDS in shown["parts"][0]["text"]
    assert acknowledges(client, [shown["id"]]) == [waiting.id]
    assert polls(client) == []  # delivered: not shown again by the server (the page keeps it)

    clock.advance(seconds=GRACE * 3)
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == pushes_before  # never pushed
    (settled,) = rows(services, "reporter_wrote")
    assert (settled.status, settled.kind, settled.pushes) == ("sent", "console", 0)
    with services.db.session() as session:
        assert budget.cost_per_case(session).get(settled.case_id, {}).get("relay", 0) == 0
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "console_messages_shown")).one()
        assert (audit.case_id, audit.detail["outbox"], audit.channel) == (settled.case_id, [settled.id], "console")
    assert acknowledges(client, [settled.id]) == []  # twice is once


def test_every_console_page_has_the_panel_that_polls(app, services, line, client):
    taken_case(services, line, client)
    for path in ("/console/cases", f"/console/cases/{cases(services)[0].id}"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="inbox"' in html and "ข้อความใหม่" in html and "inbox.js" in html, path


def test_opening_the_case_page_delivers_what_waited_about_that_case(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    pushes_before = len(line.pushes_to(officer.user_id))
    principal.says(WORDS)
    (waiting,) = rows(services, "reporter_wrote")
    assert WORDS in client.get(f"/console/cases/{waiting.case_id}").get_data(as_text=True)  # in the timeline
    clock.advance(seconds=GRACE + 1)
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == pushes_before
    assert (rows(services, "reporter_wrote")[0].status, rows(services, "reporter_wrote")[0].kind) == ("sent", "console")


def test_a_console_that_stopped_polling_gets_the_push_after_the_grace(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    pushes_before = len(line.pushes_to(officer.user_id))
    principal.says(WORDS)  # the console polled just now; then the tab is closed: no poll, no acknowledgement
    clock.advance(seconds=GRACE - 1)
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == pushes_before
    clock.advance(seconds=2)
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == pushes_before + 1 and WORDS in officer.texts()[-1]
    (pushed,) = rows(services, "reporter_wrote")
    assert (pushed.status, pushed.kind, pushed.pushes) == ("sent", "push", 1) and pushed.console_until is not None
    assert acknowledges(client, [pushed.id]) == []  # a page showing it late changes nothing


def test_an_officer_not_at_the_console_gets_the_push_at_once(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    clock.advance(seconds=91)  # CONSOLE_PRESENCE_SECONDS since the last poll: the officer is away
    pushes_before = len(line.pushes_to(officer.user_id))
    principal.says(WORDS)
    assert len(line.pushes_to(officer.user_id)) == pushes_before + 1 and WORDS in officer.texts()[-1]
    assert rows(services, "reporter_wrote")[0].console_until is None
    assert polls(client) == []

    client.post("/console/sign-out", data={"csrf_token": csrf_token(client)})
    principal.says("ขอเพิ่มเติมอีกหนึ่งเรื่องค่ะ")  # signed out just now: not at the console either
    assert len(line.pushes_to(officer.user_id)) == pushes_before + 2


def test_a_reminder_to_the_owner_is_shown_at_the_console_too(app, services, line, client, clock):
    officer, _ = taken_case(services, line, client)
    clock.advance(days=3, hours=1)
    sign_in_directly(client, services, officer)  # the next morning, at the desk
    polls(client)
    pushes_before = len(line.pushes_to(officer.user_id))
    assert remind_quiet_owners(services) == 1
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == pushes_before
    (shown,) = polls(client)
    assert shown["kind"] == "reminder" and acknowledges(client, [shown["id"]]) == [shown["id"]]


def test_new_case_alerts_escalations_and_urgent_cases_are_always_pushed(app, services, line, client, clock):
    officer = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    sign_in_directly(client, services, officer)
    polls(client)
    principal = line.user()
    file_report(principal)
    assert len(line.pushes_to(officer.user_id)) == 1  # the new case's alert, at once
    for minutes in (5, 5, 5, 1):  # the console keeps polling while nobody takes the case
        clock.advance(minutes=minutes)
        polls(client)
    assert escalate_unanswered(services) == 1
    services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == 2 and polls(client) == []  # the escalation too

    officer.taps("รับเรื่อง")
    with services.db.session() as session:
        session.execute(update(Case).values(urgent=True, urgent_reason="ผู้รายงานแจ้งเหตุด่วน"))
        session.commit()
    polls(client)
    pushes_before = len(line.pushes_to(officer.user_id))
    principal.says(WORDS)  # about an urgent case: no waiting for the console
    assert len(line.pushes_to(officer.user_id)) == pushes_before + 1 and WORDS in officer.texts()[-1]
    assert polls(client) == []


def test_another_officers_console_never_sees_or_settles_them(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    other = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    other_console = app.test_client()
    sign_in_directly(other_console, services, other)
    polls(client)
    principal.says(WORDS)
    (waiting,) = rows(services, "reporter_wrote")
    assert polls(other_console) == []
    assert acknowledges(other_console, [waiting.id]) == []
    assert rows(services, "reporter_wrote")[0].status == "pending"

    with services.db.session() as session:  # the officer loses access while it waits: it goes nowhere
        officer_admin.deactivate(session, officer.user_id, clock())
        session.commit()
    assert client.get("/console/inbox.json", headers={"Accept": "application/json"}).status_code == 401
    clock.advance(seconds=GRACE + 1)
    services.send_outbox()
    assert rows(services, "reporter_wrote")[0].status == "withdrawn"
    assert all(WORDS not in text for text in officer.texts())


def test_what_rode_a_reply_stays_as_it_went(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    principal.says(WORDS)
    (waiting,) = rows(services, "reporter_wrote")
    officer.says("เรื่องค้าง")  # the officer writes in LINE: the reply carries what waited for them
    assert any(WORDS in text for text in officer.texts())
    assert rows(services, "reporter_wrote")[0].status == "merged"
    assert polls(client) == [] and acknowledges(client, [waiting.id]) == []


def test_a_push_held_for_the_reserve_is_delivered_by_the_console(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    clock.advance(seconds=91)  # away: pushed (and here held, for the reserve)
    with services.db.session() as session:
        budget.record_reading(session, clock(), quota=100, used=99)
        session.commit()
    services.settings = dataclasses.replace(services.settings, push_reserve=10)
    pushes_before = len(line.pushes_to(officer.user_id))
    principal.says(WORDS)
    assert len(line.pushes_to(officer.user_id)) == pushes_before
    (held,) = rows(services, "reporter_wrote")
    assert held.held == "reserve" and held.console_until is None
    (shown,) = polls(client)  # back at the desk
    assert acknowledges(client, [shown["id"]]) == [held.id]
    assert (rows(services, "reporter_wrote")[0].status, rows(services, "reporter_wrote")[0].held) == ("sent", None)


def test_the_accounts_tell_what_the_console_delivered_apart_from_pushes(app, services, line, client, clock):
    officer, principal = taken_case(services, line, client)
    principal.says(WORDS)
    (shown,) = polls(client)
    acknowledges(client, [shown["id"]])
    report = app.test_cli_runner().invoke(args=["pushes", "report"]).output
    assert "shown in the web console instead of a push: 1 message(s)" in report
    assert "relay" not in report.split("0001/2569", 1)[1].splitlines()[0]  # the case paid no relay push

    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    sign_in_directly(client, services, boss)
    card = client.get("/console/officers").get_data(as_text=True)
    assert 'id="by-console"' in card and "<strong>1</strong> ข้อความ" in card.split('id="by-console"', 1)[1]
