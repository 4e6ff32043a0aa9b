"""Signing in to the web console with a one-time code sent from the officer's own LINE."""
from __future__ import annotations

from flask import Blueprint
from sqlalchemy import func, select

from bot.staff import officers as officer_admin
from handlers.console import guard, supervisor_required
from models import AuditLog, ConsoleSession, ConsoleSignIn
from tests.console_helpers import shown_code, sign_in, sign_in_directly
from tests.helpers import add_officer


def signed_in_rows(services) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count()).select_from(ConsoleSession))


def test_an_officer_signs_in_by_sending_the_code_from_line(app, services, line, client):
    officer = add_officer(services, line)
    code = shown_code(client)
    assert client.get("/console/sign-in").get_data(as_text=True).count(code) >= 2  # a reload shows the same code
    assert client.get("/console/sign-in/status.json").get_json() == {"signed_in": False, "expired": False}
    officer.says(f"เข้าระบบ {code}")
    assert "เข้าระบบหน้าเว็บเจ้าหน้าที่ในนามของท่านแล้ว เมื่อ 22 พฤศจิกายน 2569 เวลา 16.00 น." in officer.last_text()
    status = client.get("/console/sign-in/status.json").get_json()
    assert status == {"signed_in": True, "next": "/console/cases"}
    page = client.get("/console/cases").get_data(as_text=True)
    assert "เจ้าหน้าที่ทดสอบ หนึ่ง" in page
    with services.db.session() as session:
        actions = list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert "console_code_confirmed" in actions and "console_signed_in" in actions


def test_the_menu_tap_asks_for_the_code_and_takes_it_typed_alone(app, services, line, client):
    officer = add_officer(services, line)
    code = shown_code(client)
    officer.says("เข้าระบบเว็บ")  # what the officers' rich menu sends
    assert "รหัส 6 หลัก" in officer.last_text()
    officer.says("12")
    assert "ตัวเลข 6 หลัก" in officer.last_text()
    officer.says(code)
    assert "เข้าระบบหน้าเว็บเจ้าหน้าที่ในนามของท่านแล้ว" in officer.last_text()
    assert client.get("/console/sign-in/status.json").get_json()["signed_in"] is True


def test_the_code_signs_in_only_the_browser_that_showed_it_and_only_once(app, services, line):
    officer = add_officer(services, line)
    mine, other = app.test_client(), app.test_client()
    code = shown_code(mine)
    shown_code(other)  # another browser waiting with its own code
    officer.says(f"เข้าระบบ {code}")
    assert other.get("/console/sign-in/status.json").get_json()["signed_in"] is False
    assert other.get("/console/cases").status_code == 302
    assert mine.get("/console/sign-in/status.json").get_json()["signed_in"] is True
    officer.says(f"เข้าระบบ {code}")  # the same code twice
    assert "ไม่พบรหัสเข้าระบบนี้ หรือรหัสหมดอายุแล้ว" in officer.last_text()
    assert signed_in_rows(services) == 1
    thief = app.test_client()  # a browser with no nonce of its own learns nothing from the code either
    assert thief.get("/console/sign-in/continue").status_code == 302
    assert thief.get("/console/cases").status_code == 302
    assert signed_in_rows(services) == 1


def test_a_guessed_or_expired_code_changes_nothing(app, services, line, client, clock):
    officer = add_officer(services, line)
    code = shown_code(client)
    guess = f"{(int(code) + 1) % 1_000_000:06d}"
    officer.says(f"เข้าระบบ {guess}")
    assert "ไม่พบรหัสเข้าระบบนี้" in officer.last_text()
    clock.advance(minutes=5, seconds=1)
    officer.says(f"เข้าระบบ {code}")
    assert "หมดอายุแล้ว" in officer.last_text()
    assert client.get("/console/sign-in/status.json").get_json() == {"signed_in": False, "expired": True}
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleSignIn)
                              .where(ConsoleSignIn.officer_id.is_not(None))) == 0
    assert signed_in_rows(services) == 0


def test_guessing_stops_after_five_wrong_codes(app, services, line, client):
    officer = add_officer(services, line)
    code = shown_code(client)
    for attempt in range(5):
        officer.says(f"เข้าระบบ {(int(code) + 1 + attempt) % 1_000_000:06d}")
    officer.says(f"เข้าระบบ {code}")  # even the right one is not checked any more for a while
    assert "หลายครั้งเกินไป" in officer.last_text()
    assert client.get("/console/sign-in/status.json").get_json()["signed_in"] is False


def test_principals_and_strangers_are_refused_politely(app, services, line, client):
    add_officer(services, line)
    code = shown_code(client)
    stranger = line.user()
    stranger.says(f"เข้าระบบ {code}")
    assert "ใช้ได้เฉพาะเจ้าหน้าที่ของศูนย์" in stranger.last_text()
    assert client.get("/console/sign-in/status.json").get_json()["signed_in"] is False
    assert signed_in_rows(services) == 0


def test_a_deactivated_officer_is_stopped_at_the_next_click(app, services, line, client):
    officer = add_officer(services, line)
    sign_in(client, officer)
    assert client.get("/console/cases").status_code == 200
    with services.db.session() as session:
        officer_admin.deactivate(session, officer.user_id, services.now())
        session.commit()
    response = client.get("/console/cases")
    assert response.status_code == 302 and "why=deactivated" in response.headers["Location"]
    assert "ถูกระงับการใช้งานแล้ว" in client.get(response.headers["Location"]).get_data(as_text=True)
    fresh = app.test_client()  # and cannot sign in again
    code = shown_code(fresh)
    officer.says(f"เข้าระบบ {code}")
    assert fresh.get("/console/sign-in/status.json").get_json()["signed_in"] is False


def test_asking_for_codes_too_often_from_one_address_is_refused(app):
    for _ in range(10):
        assert app.test_client().get("/console/sign-in").status_code == 200
    response = app.test_client().get("/console/sign-in")
    assert response.status_code == 429
    assert "ขอรหัสเข้าระบบบ่อยเกินไป" in response.get_data(as_text=True)


def test_an_officer_gets_403_on_a_supervisor_page(app, services, line, client):
    extra = guard(Blueprint("console_test_only", __name__, url_prefix="/console/test-only"))
    extra.add_url_rule("", "page", supervisor_required(lambda: "สำหรับหัวหน้าศูนย์"))
    app.register_blueprint(extra)
    officer = add_officer(services, line)
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    sign_in_directly(client, services, officer)
    refused = client.get("/console/test-only")
    assert refused.status_code == 403 and "สำหรับหัวหน้าศูนย์ (ผู้ดูแล) เท่านั้น" in refused.get_data(as_text=True)
    supervisor = app.test_client()
    sign_in_directly(supervisor, services, boss)
    assert supervisor.get("/console/test-only").get_data(as_text=True) == "สำหรับหัวหน้าศูนย์"


def test_after_signing_in_the_browser_returns_to_the_page_it_asked_for(app, services, line, client):
    officer = add_officer(services, line)
    first = client.get("/console/cases?state=closed")
    assert first.status_code == 302
    client.get(first.headers["Location"])
    assert sign_in(client, officer) == "/console/cases?state=closed"
    evil = app.test_client()
    evil.get("/console/sign-in?next=https://evil.example/console/")
    assert sign_in(evil, officer) == "/console/cases"
