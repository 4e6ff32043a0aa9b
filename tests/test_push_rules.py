"""What is worth a push (issue 15): a principal's follow-ups to a case nobody took yet wait for its
taker, "X took the case" and a bare thank-you ride the next message instead of costing a push, and
the principal's "taken" notice waits for the officer's first words — while nothing is lost: a
danger word goes at once, the escalation carries what waited, and every word stays in the thread.
Through the real app, the real SDK and the fake LINE, with PUSH_COALESCE_SECONDS on."""
from __future__ import annotations

import pytest

from app import create_app
from bot.casework import deadlines
from models import CaseEntry, Outbox
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, file_report


@pytest.fixture
def services(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"), push_coalesce_seconds=30)
    application = create_app(settings, clock=clock)
    connect(line, application)
    yield application.extensions["ccpc"]
    application.extensions["ccpc"].db.dispose()


@pytest.fixture
def two_officers(services, line):
    return add_officer(services, line), add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")


def pushed_text(line, user) -> str:
    return " ".join(str(d.messages) for d in line.pushes_to(user.user_id))


def later(services, clock, **delta) -> None:
    clock.advance(**delta)
    services.send_outbox()


def test_follow_ups_before_anyone_takes_the_case_are_in_the_takers_answer_and_pushed_to_nobody(
        services, line, clock, two_officers):
    first, second = two_officers
    principal = line.user()
    file_report(principal)
    alerts = {o.user_id: len(line.pushes_to(o.user_id)) for o in two_officers}
    clock.advance(seconds=60)
    principal.says("นักเรียนอยู่กับครูประจำชั้นแล้วค่ะ")
    clock.advance(seconds=90)
    principal.says("ผู้ปกครองกำลังเดินทางมาโรงเรียน")
    later(services, clock, seconds=60)
    assert {o.user_id: len(line.pushes_to(o.user_id)) for o in two_officers} == alerts  # nothing more yet
    first.says("รับเรื่อง 0001/2569")
    answer = [d for d in line.deliveries if d.to == first.user_id][-1]
    assert answer.kind == "reply"
    assert "นักเรียนอยู่กับครูประจำชั้นแล้วค่ะ" in answer.messages[-1]["text"]
    assert "ผู้ปกครองกำลังเดินทางมาโรงเรียน" in answer.messages[-1]["text"]
    later(services, clock, hours=2)
    for officer in two_officers:
        assert len(line.pushes_to(officer.user_id)) == alerts[officer.user_id]  # not the follow-ups, not "taken"
    with services.db.session() as session:
        kept = session.query(CaseEntry).filter(CaseEntry.kind == "from_reporter").count()
        withdrawn = {r.purpose for r in session.query(Outbox).filter(Outbox.status == "withdrawn")}
    assert kept == 2 and withdrawn == {"followup_untaken", "taken_by_other"}
    assert "รับเรื่อง" in principal.texts()[-1]  # the principal was told


def test_a_follow_up_naming_a_danger_goes_to_the_officers_on_duty_at_once(services, line, clock, two_officers):
    principal = line.user()
    file_report(principal)
    clock.advance(seconds=60)
    principal.says("ตอนนี้นักเรียน หมด สติ อีกครั้งค่ะ")
    later(services, clock, seconds=31)
    for officer in two_officers:
        assert "หมด สติ อีกครั้ง" in pushed_text(line, officer)


def test_follow_ups_of_a_case_nobody_takes_ride_the_escalation_in_one_push(services, line, clock, two_officers):
    principal = line.user()
    file_report(principal)
    before = {o.user_id: len(line.pushes_to(o.user_id)) for o in two_officers}
    clock.advance(minutes=2)
    principal.says("นักเรียนขอกลับบ้าน")
    clock.advance(minutes=14)
    deadlines.escalate_unanswered(services)
    services.send_outbox()
    for officer in two_officers:
        pushes = line.pushes_to(officer.user_id)[before[officer.user_id]:]
        assert len(pushes) == 1  # the escalation, carrying the follow-up
        assert "นักเรียนขอกลับบ้าน" in str(pushes[0].messages[0]) and len(pushes[0].messages) == 3
    later(services, clock, hours=2)
    assert all(len(line.pushes_to(o.user_id)) == before[o.user_id] + 1 for o in two_officers)


def test_an_untaken_follow_up_is_pushed_within_the_hour_if_nothing_else_carries_it(services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    clock.advance(minutes=1)
    principal.says("ข้อมูลเพิ่มเติมค่ะ")
    with services.db.session() as session:
        row = session.query(Outbox).filter(Outbox.purpose == "followup_untaken").one()
        waits = row.next_attempt_at - row.created_at
    assert waits.total_seconds() == 3600
    later(services, clock, minutes=61)  # no escalation job ran: the row's own time came
    assert "ข้อมูลเพิ่มเติมค่ะ" in pushed_text(line, officer)


def test_the_taken_notice_rides_the_other_officers_next_message_or_is_withdrawn(services, line, clock, two_officers):
    first, second = two_officers
    file_report(line.user())
    first.says("รับเรื่อง 0001/2569")
    clock.advance(minutes=10)
    second.says("เรื่องค้าง")
    answer = [d for d in line.deliveries if d.to == second.user_id][-1]
    assert answer.kind == "reply" and "รับเรื่องแล้ว" in answer.messages[0]["text"]
    file_report(line.user())  # the second case
    first.says("รับเรื่อง 0002/2569")
    before = len(line.pushes_to(second.user_id))
    later(services, clock, minutes=31)
    assert len(line.pushes_to(second.user_id)) == before
    with services.db.session() as session:
        row = session.query(Outbox).filter(Outbox.purpose == "taken_by_other", Outbox.case_id == 2).one()
    assert row.status == "withdrawn" and row.pushes == 0


def test_a_bare_thank_you_rides_the_owners_next_message_but_anything_more_is_pushed(services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.says("รับเรื่อง 0001/2569")
    later(services, clock, minutes=5)
    before = len(line.pushes_to(officer.user_id))
    principal.says("ขอบคุณมากค่ะ 🙏")
    later(services, clock, minutes=5)
    assert len(line.pushes_to(officer.user_id)) == before
    officer.says("ตอบ 0001/2569 พรุ่งนี้จะโทรติดตามค่ะ")
    answer = [d for d in line.deliveries if d.to == officer.user_id][-1]
    assert answer.kind == "reply" and "ขอบคุณมากค่ะ" in answer.messages[0]["text"]
    principal.says("ขอบคุณค่ะ ช่วยโทรหาผู้ปกครองด้วยนะคะ")
    later(services, clock, seconds=31)
    assert "ช่วยโทรหาผู้ปกครองด้วยนะคะ" in pushed_text(line, officer)
    before = len(line.pushes_to(officer.user_id))
    principal.says("รับทราบค่ะ")
    later(services, clock, hours=13)  # nothing carried it: withdrawn, and it is in the thread
    assert len(line.pushes_to(officer.user_id)) == before
    with services.db.session() as session:
        assert session.query(CaseEntry).filter(CaseEntry.text == "รับทราบค่ะ").count() == 1


def test_a_thank_you_after_the_case_is_closed_still_reaches_its_last_owner(services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.says("รับเรื่อง 0001/2569")
    officer.says("ปิดเรื่อง 0001/2569 นักเรียนปลอดภัย")
    later(services, clock, minutes=5)
    principal.says("ขอบคุณค่ะ")
    later(services, clock, seconds=31)
    assert "ขอบคุณค่ะ" in pushed_text(line, officer)


def test_the_principal_hears_taken_and_the_officers_first_words_in_one_push(services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    before = len(line.pushes_to(principal.user_id))
    officer.says("รับเรื่อง 0001/2569")
    clock.advance(seconds=55)
    services.send_outbox()
    officer.says("ตอบ 0001/2569 ศูนย์รับเรื่องแล้วค่ะ ขอเบอร์ผู้ปกครองด้วยนะคะ")
    later(services, clock, seconds=31)
    pushes = line.pushes_to(principal.user_id)[before:]
    assert len(pushes) == 1 and len(pushes[0].messages) == 2
    assert "ขอเบอร์ผู้ปกครอง" in pushes[0].messages[1]["text"]
