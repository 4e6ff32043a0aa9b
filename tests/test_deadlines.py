"""Unanswered cases escalate and quiet cases remind their owner — once, whatever the scheduler does."""
from __future__ import annotations

from bot.casework.deadlines import escalate_unanswered, remind_quiet_owners
from tests.helpers import add_officer, cases, file_report


def test_unanswered_case_is_re_alerted_at_15_and_60_minutes_and_then_escalated_to_supervisors(app, services, clock,
                                                                                             line):
    officer = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    file_report(line.user())
    assert len(line.pushes_to(officer.user_id)) == 1

    clock.advance(minutes=14)
    assert escalate_unanswered(services) == 0
    clock.advance(minutes=2)
    assert escalate_unanswered(services) == 1
    assert escalate_unanswered(services) == 0  # a second run (or a second scheduler) does nothing
    services.send_outbox()
    assert "ยังไม่มีผู้รับเรื่องเกิน 15 นาที" in officer.texts()[-2]
    assert len(line.pushes_to(boss.user_id)) == 1  # every officer first; supervisors at the second step
    assert len(line.pushes_to(officer.user_id)) == 2

    clock.advance(minutes=45)
    assert escalate_unanswered(services) == 1
    services.send_outbox()
    assert "เกิน 60 นาที" in boss.texts()[-2]
    clock.advance(hours=5)
    assert escalate_unanswered(services) == 0
    assert cases(services)[0].escalation_level == 2


def test_a_taken_case_is_not_escalated(app, services, clock, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.taps("รับเรื่อง")
    clock.advance(hours=2)
    assert escalate_unanswered(services) == 0


def test_a_case_taken_while_the_job_runs_late_is_not_escalated_after_all(app, services, clock, line):
    """The database is the truth: the job re-checks each case as it claims it."""
    officer = add_officer(services, line)
    file_report(line.user())
    clock.advance(minutes=16)
    officer.taps("รับเรื่อง")
    assert escalate_unanswered(services) == 0


def test_owner_is_reminded_after_three_quiet_days_and_not_again_the_same_day(app, services, clock, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.taps("รับเรื่อง")
    clock.advance(days=2, hours=23)
    assert remind_quiet_owners(services) == 0
    clock.advance(hours=2)
    assert remind_quiet_owners(services) == 1
    assert remind_quiet_owners(services) == 0
    services.send_outbox()
    assert "ไม่มีความคืบหน้ามา 3 วันแล้ว" in officer.last_text()
    officer.says("บันทึก 0001/2569 โทรติดตามแล้ว")  # an update restarts the count
    clock.advance(days=2)
    assert remind_quiet_owners(services) == 0
    clock.advance(days=1, minutes=1)
    assert remind_quiet_owners(services) == 1


def test_closed_cases_are_never_reminded(app, services, clock, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.says("ปิดเรื่อง 0001/2569 เรียบร้อย")
    clock.advance(days=10)
    assert remind_quiet_owners(services) == 0
    assert escalate_unanswered(services) == 0
