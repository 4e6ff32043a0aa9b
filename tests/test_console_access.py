"""The web console's door: signing in, CSRF, cookies, headers, idle timeout, roles."""
from __future__ import annotations

from sqlalchemy import select

from models import ConsoleSession
from tests.console_helpers import csrf_token, post, sign_in_directly
from tests.helpers import add_officer


def test_console_pages_send_strangers_to_the_sign_in_page(client):
    response = client.get("/console/cases")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/sign-in")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "กรุณาเข้าระบบก่อนใช้งาน" in page and "เข้าระบบ <strong" in page


def test_cookie_and_headers_are_strict(client):
    response = client.get("/console/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # no https address configured here
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/console/static/console.css").status_code == 200
    assert client.get("/console/fonts/Sarabun-Regular.ttf").status_code == 200


def test_cookie_is_secure_behind_https(database_url, line, clock, tmp_path):
    from app import create_app
    from tests.conftest import make_settings

    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"),
                             public_base_url="https://ccpc.example.go.th")
    application = create_app(settings, clock=clock)
    try:
        cookie = application.test_client().get("/console/sign-in").headers["Set-Cookie"]
        assert "Secure" in cookie
    finally:
        application.extensions["ccpc"].db.dispose()


def test_a_signed_in_officer_sees_the_list_and_signing_out_ends_the_session(app, services, line, client):
    officer = add_officer(services, line)
    sign_in_directly(client, services, officer)
    page = client.get("/console/cases")
    assert page.status_code == 200 and "เจ้าหน้าที่ทดสอบ หนึ่ง" in page.get_data(as_text=True)
    with client.session_transaction() as cookie:
        stolen = dict(cookie)
    response = post(client, "/console/sign-out")
    assert response.status_code == 302 and "why=signed_out" in response.headers["Location"]
    with client.session_transaction() as cookie:  # a copy of the old cookie opens nothing any more
        cookie.update(stolen)
    assert client.get("/console/cases").status_code == 302
    with services.db.session() as session:
        (row,) = session.scalars(select(ConsoleSession))
        assert row.end_reason == "signed_out"


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, services, line, client):
    officer = add_officer(services, line)
    sign_in_directly(client, services, officer)
    response = client.post("/console/sign-out")
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/console/cases").status_code == 200  # still signed in
    bad = client.post("/console/sign-out", data={"csrf_token": csrf_token(client) + "x"})
    assert bad.status_code == 400


def test_a_tampered_cookie_is_not_signed_in(app, services, line, client):
    officer = add_officer(services, line)
    sign_in_directly(client, services, officer)
    cookie = client.get_cookie("ccpc_console", path="/console")
    client.set_cookie("ccpc_console", cookie.value[:-3] + "AAA", path="/console")
    assert client.get("/console/cases").status_code == 302


def test_idle_sessions_end_after_the_configured_minutes(app, services, line, client, clock):
    officer = add_officer(services, line)
    sign_in_directly(client, services, officer)
    clock.advance(minutes=29)
    assert client.get("/console/cases").status_code == 200  # a click: the idle time starts again
    clock.advance(minutes=29)
    assert client.get("/console/cases").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/console/cases")
    assert response.status_code == 302 and "why=idle" in response.headers["Location"]
    assert "หมดเวลาการใช้งาน" in client.get(response.headers["Location"]).get_data(as_text=True)
