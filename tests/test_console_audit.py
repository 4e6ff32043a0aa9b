"""The audit trail: every view, download and change of a case, from LINE and from the console, append-only."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import create_app
from bot.core import audit
from models import AuditLog
from tests.conftest import connect, make_settings
from tests.console_helpers import post, sign_in, sign_in_directly
from tests.helpers import add_officer, cases, file_report


def rows(services, case_id=None) -> list[AuditLog]:
    with services.db.session() as session:
        return audit.records(session, case_id=case_id)[::-1]


def test_changes_and_views_from_line_are_recorded_as_line(app, services, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.taps("รับเรื่อง")
    officer.says("รายละเอียด 0001/2569")
    officer.says("บันทึก 0001/2569 โทรหาครูแล้ว")
    (case,) = cases(services)
    found = [(r.action, r.actor, r.channel, r.address) for r in rows(services, case.id)]
    assert ("case_taken", officer.user_id, "line", None) in found
    assert ("case_viewed", officer.user_id, "line", None) in found
    assert ("case_note", officer.user_id, "line", None) in found


def test_views_downloads_and_changes_in_the_console_are_recorded_with_the_address(app, services, line, client):
    officer = add_officer(services, line)
    file_report(line.user())
    (case,) = cases(services)
    sign_in(client, officer)
    client.get(f"/console/cases/{case.id}")
    client.get(f"/console/cases/{case.id}/memo.pdf")
    post(client, f"/console/cases/{case.id}/take")
    found = [(r.action, r.actor, r.channel, r.address) for r in rows(services, case.id)]
    for action in ("case_viewed", "memo_opened", "case_taken"):
        assert (action, officer.user_id, "console", "127.0.0.1") in found, action
    sign_ins = [(r.action, r.channel) for r in rows(services) if r.case_id is None]
    assert ("console_code_confirmed", "line") in sign_ins and ("console_signed_in", "console") in sign_ins
    client.get("/console/cases")  # list pages are not views of a case
    assert len([r for r in rows(services, case.id) if r.action == "case_viewed"]) == 1


def test_the_case_page_shows_who_viewed_it_and_where(app, services, line, client):
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    file_report(line.user())
    (case,) = cases(services)
    second.says("รายละเอียด 0001/2569")
    sign_in_directly(client, services, first)
    html = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    viewed = html.split("ผู้เปิดดูเรื่องนี้")[1]
    assert "นางสาวหนึ่ง ทดสอบ · 1 ครั้ง" in viewed and "(เว็บ)" in viewed
    assert "นายสอง ทดสอบ · 1 ครั้ง" in viewed and "(LINE)" in viewed


def test_a_document_link_opened_from_line_is_recorded_as_a_link(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"),
                             public_base_url="https://ccpc.example.test")
    application = create_app(settings, clock=clock)
    client = connect(line, application)
    services = application.extensions["ccpc"]
    try:
        officer = add_officer(services, line)
        file_report(line.user())
        officer.says("เอกสาร 0001/2569")
        url = next(w for w in officer.last_text().split() if w.startswith("https://"))
        assert client.get(urlsplit(url).path + "?" + urlsplit(url).query).status_code == 200
        (case,) = cases(services)
        found = [(r.action, r.channel) for r in rows(services, case.id)]
        assert ("documents_linked", "line") in found and ("memo_opened", "link") in found
    finally:
        services.db.dispose()


def test_audit_records_cannot_be_changed(app, services, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.taps("รับเรื่อง")
    with services.db.session() as session:
        with pytest.raises(DBAPIError):
            session.execute(text("UPDATE audit_log SET actor = 'someone else'"))
            session.flush()
    with services.db.session() as session:
        assert "someone else" not in session.scalars(select(AuditLog.actor)).all()


def test_what_a_command_does_is_recorded_as_cli(app, services, line):
    file_report(line.user())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["officers", "add", "--name", "นางสาวสาม ทดสอบ", "--phone", "081-000-0003",
                                 "--line-user-id", "U" + "a" * 32])
    assert result.exit_code == 0, result.output
    added = [r for r in rows(services) if r.action == "officer_added"]
    assert [(r.actor, r.channel) for r in added] == [("cli", "cli")]
    add_officer(services, line)  # outside any command: no channel is made up
    assert [r.channel for r in rows(services) if r.action == "officer_added"][-1] is None
