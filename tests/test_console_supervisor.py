"""The supervisor's console pages: summary with charts and downloads, officers, failed messages, audit log."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from bot.line import outbox
from bot.line.messages import text
from models import AuditLog, ConsoleSession, Officer, Outbox
from tests.console_helpers import csrf_token, officer_row, post, sign_in_directly
from tests.helpers import add_officer, file_report

PAGES = ["/console/summary", "/console/summary/2569-11.pdf", "/console/summary/2569-11.csv", "/console/officers",
         "/console/outbox", "/console/audit"]
ACTIONS = [("/console/officers/invite", {"name": "คนใหม่", "phone": "0812223333", "role": "officer"}),
           ("/console/officers/add", {"name": "คนใหม่", "phone": "0812223333", "role": "officer",
                                      "line_user_id": "U" + "a" * 32}),
           ("/console/officers/1/role", {"role": "supervisor"}), ("/console/officers/1/deactivate", {}),
           ("/console/outbox/1/retry", {})]


def supervisor(services, line, client, name="หัวหน้าศูนย์ ทดสอบ", phone="081-000-0009"):
    person = add_officer(services, line, name=name, phone=phone, role="supervisor")
    sign_in_directly(client, services, person)
    return person


def everything(services) -> tuple:
    """What the refused requests must leave as it was."""
    with services.db.session() as session:
        return (session.scalar(select(func.count()).select_from(Officer)),
                [(o.role, o.active) for o in session.scalars(select(Officer).order_by(Officer.id))],
                [(r.status, r.attempts) for r in session.scalars(select(Outbox).order_by(Outbox.id))],
                session.scalar(select(func.count()).select_from(AuditLog)))


def failed_push(services, line, to: str) -> int:
    """A message LINE refuses (400): it is marked failed at once."""
    line.fail_next("/v2/bot/message/push", 400, body={"message": "The request body has 1 error(s)"})
    with services.db.session() as session:
        row = outbox.enqueue_push(session, to, [text("ข้อความทดสอบ")], services.now(), purpose="case_alert")
        session.commit()
    services.send_outbox([row.id])
    return row.id


# ---- refusals --------------------------------------------------------------------------------------

def test_strangers_are_sent_to_sign_in_from_every_supervisor_page(app, client):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"].startswith("/console/sign-in"), page


def test_an_officer_gets_403_on_every_supervisor_page_and_action_and_nothing_changes(app, services, line, client):
    officer = add_officer(services, line)
    failed_push(services, line, officer.user_id)
    sign_in_directly(client, services, officer)
    before = everything(services)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "หัวหน้าศูนย์" in response.get_data(as_text=True)
    for path, data in ACTIONS:
        assert post(client, path, data).status_code == 403, path
    assert everything(services) == before
    menu = client.get("/console/cases").get_data(as_text=True)
    assert "/console/officers" not in menu and "/console/audit" not in menu


def test_a_supervisor_post_without_csrf_token_is_refused_and_changes_nothing(app, services, line, client):
    officer = add_officer(services, line)
    failed_push(services, line, officer.user_id)
    supervisor(services, line, client)
    before = everything(services)
    for path, data in ACTIONS:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "CSRF" in response.get_data(as_text=True)
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400
    assert everything(services) == before


def test_bad_input_on_supervisor_pages_gets_a_thai_answer(app, services, line, client):
    supervisor(services, line, client)
    assert "ช่วงเวลาไม่ถูกต้อง" in client.get("/console/summary?period=2569-13").get_data(as_text=True)
    assert client.get("/console/summary?period=<script>").status_code == 400
    assert client.get("/console/summary/2569-13.pdf").status_code == 404
    assert client.get("/console/summary/2569-11.exe").status_code == 404
    assert client.get("/console/audit?from=yesterday").status_code == 400
    missing = client.get("/console/audit?case=999/2569")
    assert missing.status_code == 404 and "ไม่พบเรื่องเลขที่ 999/2569" in missing.get_data(as_text=True)
    assert post(client, "/console/outbox/12345/retry").status_code == 404
    assert post(client, "/console/officers/999/deactivate").status_code == 400


# ---- the summary -------------------------------------------------------------------------------------

def test_the_summary_page_shows_the_months_figures_as_svg_charts(app, services, line, client):
    file_report(line.user(display_name="ผอ."))
    officer = add_officer(services, line)
    officer.says("รับเรื่อง 1/2569")
    supervisor(services, line, client)
    response = client.get("/console/summary")  # this month by default: พฤศจิกายน 2569 on the test clock
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "เดือนพฤศจิกายน 2569" in page
    assert page.count("<svg") >= 5  # by month, by category, by district, by state, by referral
    assert "<script" not in page.split("</main>")[0]  # the charts need no JavaScript
    assert "เกิดอุบัติเหตุ: 1 เรื่อง" in page and "เมืองตัวอย่าง: 1 เรื่อง" in page
    assert "รับเรื่องแล้ว: 1 เรื่อง" in page
    assert "ต.ค. 69" in page and "พ.ย. 69" in page  # the fiscal year's months so far
    year = client.get("/console/summary?period=2570").get_data(as_text=True)
    assert "ปีงบประมาณ 2570" in year and "ก.ย. 70" in year
    empty = client.get("/console/summary?period=2569-01").get_data(as_text=True)
    assert "ไม่มีข้อมูลในช่วงนี้" in empty


def test_summary_downloads_are_the_reports_pdf_and_csv_and_are_audited(app, services, line, client):
    file_report(line.user(display_name="ผอ."))
    boss = supervisor(services, line, client)
    pdf = client.get("/console/summary/2569-11.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert "summary-2569-11.pdf" in pdf.headers["Content-Disposition"]
    sheet = client.get("/console/summary/2569-11.csv")
    rows = list(csv.reader(io.StringIO(sheet.data.decode("utf-8-sig"))))
    assert any("เกิดอุบัติเหตุ" in row for row in rows)
    with services.db.session() as session:
        logged = list(session.scalars(select(AuditLog).where(AuditLog.action == "summary_downloaded")))
    assert [(r.actor, r.channel, r.address, r.detail["kind"]) for r in logged] == [
        (boss.user_id, "console", "127.0.0.1", "pdf"), (boss.user_id, "console", "127.0.0.1", "csv")]


# ---- officers ------------------------------------------------------------------------------------------

def test_a_supervisor_invites_an_officer_who_links_with_the_code(app, services, line, client):
    boss = supervisor(services, line, client)
    page = post(client, "/console/officers/invite", {"name": "นางใหม่ มาดี", "phone": "081 222 3333",
                                                     "role": "officer"}).get_data(as_text=True)
    code = page.split('<strong id="invite-code">')[1].split("<")[0]
    assert "นางใหม่ มาดี" in page and len(code) == 9
    newcomer = line.user(display_name="นางใหม่")
    newcomer.says(code)
    with services.db.session() as session:
        officer = session.scalars(select(Officer).where(Officer.name == "นางใหม่ มาดี")).one()
        assert officer.line_user_id == newcomer.user_id and officer.phone == "081-222-3333"
        invited = session.scalars(select(AuditLog).where(AuditLog.action == "officer_invited")).one()
        assert (invited.actor, invited.channel) == (boss.user_id, "console")
    again = post(client, "/console/officers/invite", {"name": "", "phone": "12", "role": "officer"})
    assert again.status_code == 400 and "กรุณากรอกชื่อเจ้าหน้าที่" in again.get_data(as_text=True)


def test_a_supervisor_adds_an_officer_and_changes_their_role(app, services, line, client):
    supervisor(services, line, client)
    person = line.user(display_name="คนที่รู้ ID")
    response = post(client, "/console/officers/add", {"name": "นายรู้ไอดี", "phone": "0899999999",
                                                      "line_user_id": person.user_id, "role": "officer"})
    assert response.status_code == 302
    added = officer_row(services, person)
    assert added.role == "officer" and added.active
    bad = post(client, "/console/officers/add", {"name": "ซ้ำ", "phone": "0899999998",
                                                 "line_user_id": person.user_id, "role": "officer"})
    assert bad.status_code == 400 and "มีเจ้าหน้าที่ที่ใช้ LINE บัญชีนี้อยู่แล้ว" in bad.get_data(as_text=True)
    assert post(client, f"/console/officers/{added.id}/role", {"role": "supervisor"}).status_code == 302
    assert officer_row(services, person).role == "supervisor"
    assert post(client, f"/console/officers/{added.id}/role", {"role": "king"}).status_code == 400
    assert officer_row(services, person).role == "supervisor"
    with services.db.session() as session:
        changed = session.scalars(select(AuditLog).where(AuditLog.action == "officer_role_changed")).one()
        assert changed.detail == {"officer_id": added.id, "from": "officer", "to": "supervisor"}


def test_deactivation_stops_the_officers_alerts_and_console_session(app, services, line, client):
    officer = add_officer(services, line)
    officer_client = app.test_client()
    sign_in_directly(officer_client, services, officer)
    assert officer_client.get("/console/cases").status_code == 200
    boss_client = app.test_client()
    supervisor(services, line, boss_client)
    target = officer_row(services, officer)
    response = post(boss_client, f"/console/officers/{target.id}/deactivate")
    assert response.status_code == 302
    assert "ระงับบัญชีของ เจ้าหน้าที่ทดสอบ หนึ่ง แล้ว" in boss_client.get("/console/officers").get_data(as_text=True)
    refused = officer_client.get("/console/cases")  # at the very next click
    assert refused.status_code == 302 and "why=deactivated" in refused.headers["Location"]
    line.clear()
    file_report(line.user(display_name="ผอ."))
    assert line.pushes_to(officer.user_id) == []  # no alert of the new case
    with services.db.session() as session:
        assert not session.get(Officer, target.id).active
        ended = session.scalars(select(ConsoleSession).where(ConsoleSession.officer_id == target.id)).one()
        assert ended.end_reason == "deactivated"


def test_a_supervisor_cannot_lock_themselves_out(app, services, line, client):
    boss = supervisor(services, line, client)
    me = officer_row(services, boss)
    for path, data in ((f"/console/officers/{me.id}/deactivate", {}), (f"/console/officers/{me.id}/role",
                                                                        {"role": "officer"})):
        response = post(client, path, data)
        assert response.status_code == 400 and "ของตนเอง" in response.get_data(as_text=True)
    assert officer_row(services, boss).role == "supervisor" and officer_row(services, boss).active


# ---- failed messages -----------------------------------------------------------------------------------

def test_a_failed_message_is_listed_and_a_retry_delivers_it(app, services, line, client):
    officer = add_officer(services, line)
    row_id = failed_push(services, line, officer.user_id)
    assert line.pushes_to(officer.user_id) == []
    supervisor(services, line, client)
    page = client.get("/console/outbox").get_data(as_text=True)
    assert f'id="outbox-{row_id}"' in page and "เจ้าหน้าที่ทดสอบ หนึ่ง (เจ้าหน้าที่)" in page and "400" in page
    assert "แจ้งเหตุใหม่ถึงเจ้าหน้าที่" in page
    response = post(client, f"/console/outbox/{row_id}/retry", page="/console/outbox")
    assert response.status_code == 302
    assert services.sends.wait_idle(30)
    (delivery,) = line.pushes_to(officer.user_id)
    assert delivery.messages[0]["text"] == "ข้อความทดสอบ"
    with services.db.session() as session:
        assert session.get(Outbox, row_id).status == "sent"
        logged = session.scalars(select(AuditLog).where(AuditLog.action == "outbox_retried")).one()
        assert logged.detail["outbox_id"] == row_id and logged.channel == "console"
    assert "ไม่มีข้อความค้างส่ง" in client.get("/console/outbox").get_data(as_text=True)
    assert post(client, f"/console/outbox/{row_id}/retry").status_code == 404  # sent: nothing to retry


# ---- the audit log -------------------------------------------------------------------------------------

def test_the_audit_log_filters_by_case_person_and_date(app, services, line, client, clock):
    file_report(line.user(display_name="ผอ. หนึ่ง"))
    officer = add_officer(services, line)
    officer.says("รับเรื่อง 1/2569")
    clock.advance(days=2)
    file_report(line.user(display_name="ผอ. สอง"))
    boss = supervisor(services, line, client)
    everything_page = client.get("/console/audit").get_data(as_text=True)
    assert everything_page.count("แจ้งเรื่องใหม่") == 2 and "รับเรื่อง" in everything_page
    by_case = client.get("/console/audit?case=2/2569").get_data(as_text=True)
    assert by_case.count("แจ้งเรื่องใหม่") == 1 and "เรื่องเลขที่ 0002/2569" in by_case
    by_person = client.get(f"/console/audit?person={officer.user_id}").get_data(as_text=True)
    assert "รับเรื่อง" in by_person and "แจ้งเรื่องใหม่" not in by_person
    assert "เจ้าหน้าที่ทดสอบ หนึ่ง" in by_person
    first_day = client.get("/console/audit?from=2026-11-22&to=2026-11-22").get_data(as_text=True)
    assert first_day.count("แจ้งเรื่องใหม่") == 1
    later = client.get("/console/audit?from=2026-11-24").get_data(as_text=True)
    assert later.count("แจ้งเรื่องใหม่") == 1 and "รับเรื่อง</td>" not in later
    assert boss.user_id  # the supervisor's own look at the log is not a case view: nothing to record


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>"])
def test_typed_filters_are_shown_escaped(app, services, line, client, typed):
    supervisor(services, line, client)
    response = client.get("/console/audit", query_string={"case": typed})
    assert response.status_code == 404 and "<script>alert" not in response.get_data(as_text=True)
