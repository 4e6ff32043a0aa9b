"""The duty roster: ordinary alerts go to the officers on duty (by the weekly roster or เข้าเวร / ออกเวร),
to everyone when nobody is on duty, and escalation widens to every officer and then the supervisors."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from bot.casework.deadlines import escalate_unanswered
from bot.staff import duty
from tests.helpers import add_officer
from tests.helpers import file_report as _file_report

MONDAY_10 = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)  # Monday 23 Nov 2026, 10:00 in Bangkok


def file_report(principal):
    _file_report(principal, when="เมื่อวาน 14:30")


def flex_words(message: dict) -> str:
    """Every text inside a message (a flex bubble's too), joined: what the officer reads."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message)
    return "\n".join(found)


@pytest.fixture
def team(app, services, line, clock):
    clock.set(MONDAY_10)
    people = {
        "day": add_officer(services, line, "นางสาวเวรเช้า ทดสอบ", "081-000-0001"),
        "night": add_officer(services, line, "นายเวรดึก ทดสอบ", "081-000-0002"),
        "spare": add_officer(services, line, "นางสำรอง ทดสอบ", "081-000-0003"),
        "boss": add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor"),
    }
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roster", "add", "#1", "mon-fri", "08:30-16:30"]).exit_code == 0
    assert runner.invoke(args=["roster", "add", "#2", "mon-fri", "16:30-08:30"]).exit_code == 0
    return people


def pushes(line, person) -> int:
    return len(line.pushes_to(person.user_id))


def test_a_new_case_alerts_only_the_officer_on_duty_and_says_who_is(app, services, line, clock, team):
    principal = line.user()
    file_report(principal)
    alert = line.pushes_to(team["day"].user_id)[0].messages[0]
    assert "เวรตอนนี้: นางสาวเวรเช้า ทดสอบ" in flex_words(alert)
    assert [pushes(line, team[k]) for k in ("night", "spare", "boss")] == [0, 0, 0]

    principal.says("ตอนนี้นักเรียนฟื้นแล้วค่ะ")  # untaken: goes to those on duty only
    assert "ตอนนี้นักเรียนฟื้นแล้วค่ะ" in team["day"].last_text()
    assert [pushes(line, team[k]) for k in ("night", "spare", "boss")] == [0, 0, 0]

    team["spare"].says("เรื่องค้าง")
    assert "เวรตอนนี้: นางสาวเวรเช้า ทดสอบ" in team["spare"].last_text()


def test_the_night_shift_runs_past_midnight(app, services, line, clock, team):
    clock.set(datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc))  # Tuesday 03:00 in Bangkok
    file_report(line.user())
    assert pushes(line, team["night"]) == 1 and pushes(line, team["day"]) == 0


def test_escalation_widens_to_every_officer_then_the_supervisors(app, services, line, clock, team):
    file_report(line.user())
    clock.advance(minutes=16)
    assert escalate_unanswered(services) == 1
    services.send_outbox()
    assert "ยังไม่มีผู้รับเรื่องเกิน 15 นาที" in team["spare"].texts()[-2]
    assert pushes(line, team["night"]) == 1 and pushes(line, team["boss"]) == 0
    clock.advance(minutes=45)
    assert escalate_unanswered(services) == 1
    services.send_outbox()
    assert "แจ้งผู้บังคับบัญชา" in team["boss"].texts()[-2] and "60 นาที" in team["boss"].texts()[-2]
    team["night"].taps("รับเรื่อง")  # after escalation everyone alerted hears who took it
    assert "รับเรื่องแล้ว" in team["spare"].last_text()


def test_officers_go_on_and_off_duty_by_typing(app, services, line, clock, team):
    team["spare"].says("เข้าเวร")
    assert "คุณเข้าเวรแล้ว" in team["spare"].last_text()
    assert "นางสาวเวรเช้า ทดสอบ, นางสำรอง ทดสอบ" in team["spare"].last_text()
    team["day"].says("ออกเวร")
    assert "คุณออกเวรแล้ว" in team["day"].last_text() and "16.30 น." in team["day"].last_text()
    file_report(line.user())
    assert pushes(line, team["spare"]) == 1 and pushes(line, team["day"]) == 0

    team["spare"].says("ออกเวร")  # nobody on duty: everyone gets the next alert
    assert "ไม่มีผู้เข้าเวร" in team["spare"].last_text()
    file_report(line.user())
    assert [pushes(line, team[k]) for k in ("day", "night", "spare", "boss")] == [1, 1, 2, 1]

    clock.advance(days=1)  # the roster has the day officer on duty again the next day
    with services.db.session() as session:
        assert duty.names(duty.on_duty(session, services.now())) == "นางสาวเวรเช้า ทดสอบ"


def test_duty_lasts_for_duty_hours_after_typing(app, services, line, clock, team):
    team["spare"].says("เข้าเวร")
    clock.advance(hours=12, minutes=1)
    with services.db.session() as session:
        assert "นางสำรอง" not in duty.names(duty.on_duty(session, services.now()))


def test_the_roster_command_lists_the_week(app, services, line, clock, team):
    team["boss"].says("เวร")
    text = team["boss"].last_text()
    assert "เวรตอนนี้: นางสาวเวรเช้า ทดสอบ" in text
    assert "จันทร์ 08:30-16:30 นางสาวเวรเช้า ทดสอบ" in text and "ศุกร์ 16:30-08:30 นายเวรดึก ทดสอบ" in text


def test_a_principal_writing_a_sentence_that_starts_with_a_duty_word_is_not_refused(app, services, line, team):
    principal = line.user()
    file_report(principal)
    principal.says("เวร กลางคืนของโรงเรียนโทรแจ้งเพิ่มค่ะ")
    assert "เวร กลางคืนของโรงเรียนโทรแจ้งเพิ่มค่ะ" in team["day"].last_text()


def test_the_roster_loads_from_a_file_and_bad_input_is_explained(app, services, line, clock, team, tmp_path):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"shifts": [{"officer": "#3", "days": "all", "hours": "00:00-24:00"}]}))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roster", "load", str(path)])
    assert result.exit_code == 0 and "7 shift(s)" in result.output
    shown = runner.invoke(args=["roster", "show"]).output
    assert "on duty now: นางสำรอง ทดสอบ" in shown and "#1" not in shown
    bad = runner.invoke(args=["roster", "add", "#1", "someday", "8-9"])
    assert bad.exit_code != 0 and "hours" in bad.output
    bad = runner.invoke(args=["roster", "add", "#1", "funday", "08:00-09:00"])
    assert bad.exit_code != 0 and "funday" in bad.output


def test_a_supervisor_takes_one_officer_off_some_days_from_the_command_line(app, services, line, clock, team):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roster", "add", "#1", "sat,sun", "08:00-12:00"]).exit_code == 0
    result = runner.invoke(args=["roster", "remove", "#1", "fri"])
    assert result.exit_code == 0 and "1 shift(s) removed" in result.output
    result = runner.invoke(args=["roster", "remove", "#1", "sat,sun", "08:00-12:00"])
    assert result.exit_code == 0 and "2 shift(s) removed" in result.output
    shown = runner.invoke(args=["roster", "show"]).output
    days = [row.split("\t")[0] for row in shown.splitlines() if "\t#1 " in row]
    assert "fri" not in days and "sat" not in days and "mon" in days
    assert runner.invoke(args=["roster", "remove", "#1", "funday"]).exit_code != 0
