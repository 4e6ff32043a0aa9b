"""Issue 15 in the console: the supervisors' officers page shows who is on duty and the weekly roster, lets a
supervisor put an officer on or off duty now and add or remove weekly shifts (the functions เข้าเวร / ออกเวร and
`flask roster` use), and shows LINE's push quota as last read, with the held pushes."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.staff import push_budget
from models import AuditLog, DutySlot, Officer
from tests.console_helpers import officer_row, post, sign_in_directly
from tests.helpers import add_officer, file_report
from tests.test_console_supervisor import supervisor
from tests.test_duty_roster import MONDAY_10, file_report as report_yesterday


def audit_rows(services, action: str) -> list[AuditLog]:
    with services.db.session() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def slots(services) -> list[tuple[int, int, str, str]]:
    with services.db.session() as session:
        return [(s.officer_id, s.weekday, s.starts, s.ends)
                for s in session.scalars(select(DutySlot).order_by(DutySlot.weekday, DutySlot.id))]


def officers_page(client) -> str:
    response = client.get("/console/officers")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def alerted(line, *people) -> list[int]:
    return [len(line.pushes_to(p.user_id)) for p in people]


def test_a_weekly_shift_added_in_the_console_decides_the_next_alert_and_removing_it_undoes_that(
        app, services, line, client, clock):
    clock.set(MONDAY_10)
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    boss = supervisor(services, line, client)
    second_id = officer_row(services, second).id
    assert "ยังไม่มีตารางเวร" in officers_page(client)

    response = post(client, "/console/officers/roster/add", {"officer": second_id, "day": ["mon", "tue"],
                                                              "starts": "08:30", "ends": "16:30"}, page="/console/officers")
    assert response.status_code == 302
    assert slots(services) == [(second_id, 0, "08:30", "16:30"), (second_id, 1, "08:30", "16:30")]
    html = officers_page(client)
    assert re.search(r"<td>จันทร์</td><td>08:30–16:30 น.</td><td>นายสอง ทดสอบ</td>", html)
    assert "ผู้อยู่เวรขณะนี้: <strong>นายสอง ทดสอบ</strong>" in html
    (row,) = audit_rows(services, "roster_shift_added")
    assert (row.actor, row.channel) == (boss.user_id, "console")
    assert row.detail == {"officer": second_id, "days": ["mon", "tue"], "hours": "08:30-16:30"}

    report_yesterday(line.user())
    assert alerted(line, first, second, boss) == [0, 1, 0]  # only the officer on duty

    with services.db.session() as session:
        monday = session.scalars(select(DutySlot).where(DutySlot.weekday == 0)).one().id
    assert post(client, f"/console/officers/roster/{monday}/remove", page="/console/officers").status_code == 302
    assert slots(services) == [(second_id, 1, "08:30", "16:30")]
    (row,) = audit_rows(services, "roster_shift_removed")
    assert row.detail == {"officer": second_id, "day": "mon", "hours": "08:30-16:30"} and row.channel == "console"
    report_yesterday(line.user())
    assert alerted(line, first, second, boss) == [1, 2, 1]  # nobody on duty: everyone
    again = post(client, f"/console/officers/roster/{monday}/remove", page="/console/officers")
    assert again.status_code == 400 and "ไม่พบเวรนี้" in again.get_data(as_text=True)


def test_a_supervisor_puts_an_officer_on_and_off_duty_now(app, services, line, client, clock):
    clock.set(MONDAY_10)
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    boss = supervisor(services, line, client)
    first_id = officer_row(services, first).id
    assert "ไม่มี (การแจ้งเตือนเรื่องใหม่จะส่งถึงเจ้าหน้าที่ทุกคน)" in officers_page(client)

    assert post(client, f"/console/officers/{first_id}/duty", {"on": "1"}, page="/console/officers").status_code == 302
    assert "ผู้อยู่เวรขณะนี้: <strong>นางสาวหนึ่ง ทดสอบ</strong>" in officers_page(client)
    report_yesterday(line.user())
    assert alerted(line, first, second, boss) == [1, 0, 0]

    clock.advance(minutes=5)
    assert post(client, f"/console/officers/{first_id}/duty", {"on": "0"}, page="/console/officers").status_code == 302
    report_yesterday(line.user())
    assert alerted(line, first, second, boss) == [2, 1, 1]
    assert [(r.actor, r.channel, r.detail) for r in audit_rows(services, "duty_started") + audit_rows(
        services, "duty_stopped")] == [(boss.user_id, "console", {"officer": first_id})] * 2


def test_the_page_shows_the_stored_quota_reading_and_held_pushes_without_calling_line(app, services, line, client):
    add_officer(services, line)
    supervisor(services, line, client)
    assert "ยังไม่มีข้อมูลโควตาจาก LINE" in officers_page(client)
    line.set_push_quota(500, used=123)
    push_budget.check(services)
    reads = len(line.requests)
    html = officers_page(client)
    assert "ใช้ไปแล้ว 123 จาก 500 ข้อความ (25%) · เหลือ 377 ข้อความ" in html
    assert "ข้อความที่พักไว้รอโควตา: <strong>0</strong>" in html
    assert len(line.requests) == reads  # the page reads the stored figures, it never asks LINE

    line.set_push_quota(500, used=500)
    push_budget.check(services)
    file_report(line.user())  # its alerts wait for the quota
    reads = len(line.requests)
    html = officers_page(client)
    assert "โควตาเดือนนี้หมดแล้ว" in html and "ข้อความที่พักไว้รอโควตา: <strong>2</strong>" in html
    assert not any(r["path"].startswith("/v2/bot/message/quota") for r in line.requests[reads:])


ACTIONS = [("/console/officers/1/duty", {"on": "1"}),
           ("/console/officers/roster/add", {"officer": "1", "day": "mon", "starts": "08:00", "ends": "12:00"}),
           ("/console/officers/roster/1/remove", {})]


def state(services):
    with services.db.session() as session:
        return ([(o.on_duty_until, o.off_duty_until) for o in session.scalars(select(Officer).order_by(Officer.id))],
                slots(services), session.scalar(select(func.count()).select_from(AuditLog)))


def test_roster_changes_are_refused_to_officers_and_without_csrf_and_bad_input_gets_thai(app, services, line, client):
    officer = add_officer(services, line)
    app.test_cli_runner().invoke(args=["roster", "add", "#1", "mon", "08:00-12:00"])
    sign_in_directly(client, services, officer)
    before = state(services)
    for path, data in ACTIONS:
        assert post(client, path, data).status_code == 403, path
    assert state(services) == before

    other = app.test_client()
    supervisor(services, line, other)
    before = state(services)
    for path, data in ACTIONS:
        assert other.post(path, data=data).status_code == 400, path
        assert other.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    assert state(services) == before

    for data, words in (({"officer": "1", "starts": "08:00", "ends": "12:00"}, "กรุณาเลือกวัน"),
                        ({"officer": "1", "day": "mon", "starts": "8", "ends": "12:00"}, "กรุณาระบุเวลาเริ่มและเลิกเวร"),
                        ({"officer": "1", "day": "mon", "starts": "08:00", "ends": "08:00"}, "ต้องไม่ตรงกัน"),
                        ({"officer": "999", "day": "mon", "starts": "08:00", "ends": "12:00"}, "ไม่พบเจ้าหน้าที่")):
        response = post(other, "/console/officers/roster/add", data, page="/console/officers")
        assert response.status_code == 400 and words in response.get_data(as_text=True), data
    assert post(other, "/console/officers/1/duty", {"on": "maybe"}, page="/console/officers").status_code == 400
    assert post(other, "/console/officers/999/duty", {"on": "1"}, page="/console/officers").status_code == 400
    assert state(services)[1] == before[1]
