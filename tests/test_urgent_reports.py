"""Urgent reports go first: danger read in the answers, the emergency numbers at once, report first and details
after (the same case), a shorter deadline and the supervisors told at once."""
from __future__ import annotations

import pytest

from bot.casework.deadlines import escalate_unanswered, tell_waiting_principals
from bot.scheduler import expire_drafts
from bot.core.thai_dates import BANGKOK
from bot.core.urgency import danger_words
from bot.intake.report_form import URGENT_BUTTON
from bot.line import limits
from config import urgent as urgent_config
from config.settings import _emergency_numbers, from_env
from tests.conftest import make_settings
from tests.helpers import add_officer, cases, file_report, fill_report

NUMBERS = ("1669", "191", "1300", "1323", "199")


def emergency_messages(person) -> list[dict]:
    """The emergency-number bubbles this person was sent."""
    return [m for m in person.messages() if m.get("type") == "flex" and "โทรขอความช่วยเหลือ" in m["altText"]]


def call_uris(message: dict) -> list[str]:
    return [a["uri"] for a in limits.tappable_actions(message) if a.get("type") == "uri"]


def to_facts(principal, facts: str, category: str = "เกิดอุบัติเหตุ") -> None:
    principal.says("แจ้งเหตุ")
    principal.taps(category)
    principal.taps("ใช้เรื่องที่แนะนำ")
    principal.says("วันนี้ 14:30")
    principal.says(facts)


def alerts_to(line, person) -> list[dict]:
    return [d.messages[0] for d in line.pushes_to(person.user_id) if d.messages[0].get("type") == "flex"]


# ---- the words: with and without spaces, negations not counted ------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("นักเรียนจมน้ำที่สระหลังโรงเรียน", ["จมน้ำ"]),
    ("นักเรียน จม น้ำ ที่สระ", ["จมน้ำ"]),
    ("เด็กหมด\u200bสติ ไม่หายใจ", ["ไม่หายใจ", "หมดสติ"]),
    ("ยังไม่หายใจ", ["ไม่หายใจ"]),
    ("นักเรียนไม่ได้จมน้ำ เพียงลื่นล้ม", []),
    ("ไม่ได้ จม น้ำ", []),
    ("ไม่มีการทำร้ายตัวเอง", []),
    ("ไม่ได้ถูก ข่มขืน", []),
    ("นักเรียนบอกว่าไม่ได้คิดฆ่าตัวตาย", []),  # the longer word is read, and it is negated
    ("ไม่ได้จมน้ำ แต่หมด สติ", ["หมดสติ"]),
    ("นักเรียนหายตัวตั้งแต่เมื่อวาน", ["หายตัว"]),
    ("เด็กยังอยู่กับผู้กระทำ", ["ยังอยู่กับผู้กระทำ"]),
    ("นักเรียนชาย ป.5 พลัดตกสระน้ำ ครูช่วยขึ้นมาได้ รู้สึกตัวดี", []),
])
def test_urgent_words_are_read_with_or_without_spaces_and_negations_do_not_count(text, found):
    assert sorted(danger_words(text, urgent_config.load())) == sorted(found)


@pytest.mark.parametrize("facts, urgent", [
    ("นักเรียนจมน้ำ หมดสติ นำส่งโรงพยาบาล", True),
    ("นักเรียน จม น้ำ ที่ คลอง", True),
    ("นักเรียนไม่ได้จมน้ำ เพียงลื่นล้มข้างสระ", False),
    ("ไม่ได้ จม น้ำ ไม่มีการ ทำร้ายตัวเอง", False),
])
def test_facts_showing_danger_bring_the_emergency_numbers_at_once(app, line, facts, urgent):
    principal = line.user()
    to_facts(principal, facts)
    shown = emergency_messages(principal)
    assert len(shown) == (1 if urgent else 0)
    assert "ข้อ 5" in principal.last_text()  # the form goes on either way
    if urgent:
        assert principal.messages()[-2] is not None and shown[0] in principal.messages()[-3:]
        assert [uri.removeprefix("tel:") for uri in call_uris(shown[0])] == list(NUMBERS)
        principal.says("ปฐมพยาบาลแล้ว")  # said once, not at every answer
        assert len(emergency_messages(principal)) == 1


def test_a_danger_word_marks_the_filed_case_urgent_and_a_negated_one_does_not(app, services, line):
    officer = add_officer(services, line)
    urgent, calm = line.user(), line.user()
    to_facts(urgent, "นักเรียนถูกลักพาตัว ยังอยู่กับผู้กระทำ")
    to_facts(calm, "นักเรียนไม่ได้ถูกลักพาตัว กลับบ้านเองแล้ว")
    for principal in (urgent, calm):
        for answer in ("ข้าม", "ผู้รายงานเอง", "นายตัวอย่าง ใจดี", "ครู", "โรงเรียนบ้านหนองตัวอย่าง", "เมืองตัวอย่าง",
                       "0812345678", "ข้าม", "ยืนยัน"):
            principal.says(answer)
    first, second = cases(services)
    assert (first.urgent, first.urgent_reason) == (True, "ถูกลักพาตัว") and not second.urgent
    header = lambda alert: alert["contents"]["header"]["contents"][0]["text"]  # noqa: E731
    assert [header(a) for a in alerts_to(line, officer)] == ["ด่วนที่สุด · แจ้งเหตุใหม่ เลขที่ 0001/2569",
                                                             "แจ้งเหตุใหม่ เลขที่ 0002/2569"]


def test_a_category_urgent_by_itself_brings_the_numbers_after_the_first_answer(app, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("ถูกล่วงละเมิดทางเพศ")
    assert len(emergency_messages(principal)) == 1 and "ข้อ 2" in principal.last_text()


# ---- report first, details after ------------------------------------------------------------------------------

def test_the_urgent_button_files_after_three_answers_and_the_rest_joins_the_same_case(app, services, line, clock):
    officer = add_officer(services, line, "เจ้าหน้าที่ หนึ่ง", "081-000-0001")
    boss = add_officer(services, line, "หัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    principal = line.user()
    principal.says("แจ้งเหตุ")
    assert URGENT_BUTTON in principal.quick_reply_labels()

    principal.taps(URGENT_BUTTON)  # the first message of the urgent report
    (numbers,) = emergency_messages(principal)
    assert limits.problems([numbers]) == [] and len(call_uris(numbers)) == 5
    assert "แจ้งด่วน 1/3" in principal.last_text()
    principal.says("นักเรียนจมน้ำที่สระหลังโรงเรียน หมดสติ")
    assert "แจ้งด่วน 2/3" in principal.last_text()
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    assert "แจ้งด่วน 3/3" in principal.last_text() and alerts_to(line, officer) == []
    principal.says("081 234 5678")  # the third answer: filed, and the officers alerted at once

    (case,) = cases(services)
    assert case.urgent and case.details_pending and case.reporter_phone == "081-234-5678"
    assert case.urgent_reason == "ผู้รายงานแจ้งเหตุด่วน"
    (alert,) = alerts_to(line, officer)
    assert alert["altText"].startswith("ด่วนที่สุด แจ้งเหตุใหม่ 0001/2569 นักเรียนจมน้ำ")
    flat = str(alert["contents"])
    assert "081-234-5678" in flat and "โรงเรียนบ้านหนองตัวอย่าง" in flat and "ภายใน 5 นาที" in flat
    assert "tel:0812345678" in flat and "แจ้งผู้บังคับบัญชาทันที" not in flat
    assert "แจ้งผู้บังคับบัญชาทันที" in str(alerts_to(line, boss)[0]["contents"])  # supervisors at once
    filed, question = principal.texts()[-2:]
    assert "ได้รับแจ้งเหตุด่วนแล้ว เลขที่รับเรื่อง 0001/2569" in filed and "ข้อ 1" in question

    # the rest of the form: the questions answered already are not asked again; each answer joins the case
    principal.taps("เกิดอุบัติเหตุ")
    assert "ข้อ 3" in principal.last_text()  # the subject was the one line
    principal.says("วันนี้ 14:30")
    principal.says("นักเรียนชาย ป.5 พลัดตกสระน้ำ ครูช่วยขึ้นมาได้ นำส่งโรงพยาบาล")
    assert cases(services)[0].facts.startswith("นักเรียนชาย ป.5 พลัดตกสระน้ำ")
    for answer in ("ข้าม", "ผู้รายงานเอง", "นายตัวอย่าง ใจดี", "ผู้อำนวยการโรงเรียน"):
        principal.says(answer)
    assert "อำเภอ" in principal.last_text() or "อ." in principal.last_text()  # the school is not asked again
    principal.says("เมืองตัวอย่าง")
    assert "ภาพ" in principal.last_text()  # nor the phone
    principal.says("ข้าม")
    assert "ตรวจสอบรายงานก่อนส่ง" in principal.texts()[-1] or "ตรวจสอบรายงานก่อนส่ง" in principal.texts()[-2]
    principal.taps("ยืนยัน")

    (case,) = cases(services)  # still the one case
    assert not case.details_pending and case.category == "accident" and case.reporter_name == "นายตัวอย่าง ใจดี"
    assert case.subject == "นักเรียนจมน้ำที่สระหลังโรงเรียน หมดสติ" and case.reporter_district == "เมืองตัวอย่าง"
    assert "บันทึกรายละเอียดครบแล้วในเรื่องด่วน เลขที่ 0001/2569" in "\n".join(principal.texts()[-2:])
    complete = alerts_to(line, officer)[-1]
    assert len(alerts_to(line, officer)) == 2 and "ผู้รายงานกรอกรายละเอียดครบแล้ว" in str(complete["contents"])
    assert "นายตัวอย่าง ใจดี" in str(complete["contents"])
    officer.says("รายละเอียด 0001/2569")
    assert "ด่วนที่สุด" in officer.texts()[-1] or "ด่วนที่สุด" in "".join(officer.texts()[-2:])


def test_urgent_with_what_happened_reaches_officers_on_the_third_turn_for_a_returning_principal(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    before = len(alerts_to(line, officer))
    principal.says("ด่วน นักเรียนหายตัวจากโรงเรียน")  # turn 1
    assert emergency_messages(principal) and "แจ้งด่วน 2/3" in principal.last_text()
    principal.taps("ใช้ชื่อโรงเรียนเดิม")  # turn 2: prefilled from the last report
    assert len(alerts_to(line, officer)) == before
    principal.taps("ใช้เบอร์เดิม")  # turn 3
    assert len(alerts_to(line, officer)) == before + 1
    urgent = cases(services)[-1]
    assert urgent.urgent and urgent.reporter_school == "โรงเรียนบ้านหนองตัวอย่าง"
    assert urgent.reporter_phone == "081-234-5678" and urgent.reporter_name == "นายตัวอย่าง ใจดี"


@pytest.mark.parametrize("where", ["occurred_at", "photos", "summary"])
def test_urgent_typed_at_any_step_asks_only_what_is_missing(app, services, line, where):
    officer = add_officer(services, line)
    principal = line.user()
    if where == "occurred_at":
        principal.says("แจ้งเหตุ")
        principal.taps("เกิดอุบัติเหตุ")
        principal.taps("ใช้เรื่องที่แนะนำ")
    else:
        fill_report(principal)  # the summary
        if where == "photos":
            principal.taps("แก้ไข")
            principal.taps("ภาพประกอบ")
    principal.says("ด่วน")
    assert emergency_messages(principal)
    if where == "occurred_at":  # the subject is answered: the school and the phone are asked
        assert "แจ้งด่วน 2/3" in principal.last_text()
        principal.says("โรงเรียนบ้านหนองตัวอย่าง")
        principal.says("0812345678")
    (case,) = cases(services)
    assert case.urgent and len(alerts_to(line, officer)) == 1
    if where == "occurred_at":
        assert case.details_pending and case.category == "accident" and "ข้อ 3" in principal.last_text()
    else:  # everything was answered: filed at once, then the summary to confirm
        assert "ตรวจสอบรายงานก่อนส่ง" in "\n".join(principal.texts()[-3:])
        principal.taps("ยืนยัน")
        (case,) = cases(services)
        assert not case.details_pending and len(alerts_to(line, officer)) == 2


def test_urgent_again_after_filing_shows_the_numbers_and_the_same_question(app, services, line):
    principal = line.user()
    principal.says("ด่วน")
    principal.says("นักเรียนเลือดออกมาก")
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    principal.says("0812345678")
    principal.says("ด่วน")
    assert len(emergency_messages(principal)) == 2 and "ข้อ 1" in principal.last_text()
    assert len(cases(services)) == 1


def test_cancel_after_filing_keeps_the_case(app, services, line):
    principal = line.user()
    principal.says("เหตุด่วน")  # the rich menu's button
    assert emergency_messages(principal)
    principal.says("นักเรียนถูกทำร้าย เลือดออกมาก")
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    principal.says("0812345678")
    principal.taps("เกิดอุบัติเหตุ")
    principal.says("ยกเลิก")
    assert "เรื่องด่วนเลขที่ 0001/2569 ยังอยู่" in principal.last_text()
    (case,) = cases(services)
    assert case.urgent and case.category == "accident"
    assert not case.details_pending  # nobody is told the details are still coming
    principal.says("สถานะ")
    assert "0001/2569" in principal.last_text()


def test_an_urgent_case_whose_details_are_abandoned_stops_saying_they_are_coming(app, services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_urgent(principal)
    officer.says("รับเรื่อง 0001/2569")
    officer.says("รายละเอียด 0001/2569")
    assert "กำลังกรอกรายละเอียดเพิ่มเติม" in " ".join(officer.texts()[-2:])
    before = len(line.pushes_to(officer.user_id))
    clock.advance(hours=services.settings.draft_ttl_hours + 1)  # the principal never answered the rest
    expire_drafts(services)
    services.send_outbox()
    (case,) = cases(services)
    assert not case.details_pending
    (told,) = line.pushes_to(officer.user_id)[before:]
    assert "ไม่ได้กรอกรายละเอียดต่อ" in told.messages[0]["text"] and "โทร 081-234-5678" in told.messages[0]["text"]
    officer.says("รายละเอียด 0001/2569")
    shown = str([d for d in line.deliveries if d.to == officer.user_id][-1].messages)
    assert "กำลังกรอกรายละเอียดเพิ่มเติม" not in shown and "ไม่ได้กรอกรายละเอียดต่อ" in shown


# ---- the deadline, the supervisors, the open list -------------------------------------------------------------

def file_urgent(principal, what="นักเรียนจมน้ำ") -> None:
    principal.says(f"ด่วน {what}")
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    principal.says("0812345678")


def test_an_urgent_case_escalates_after_five_minutes_an_ordinary_one_after_fifteen(app, services, line, clock):
    officer = add_officer(services, line)
    boss = add_officer(services, line, "หัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    file_report(line.user())
    file_urgent(line.user())
    assert len(alerts_to(line, boss)) == 2  # the urgent one reached the supervisor at once
    clock.advance(minutes=4)
    assert escalate_unanswered(services) == 0
    assert tell_waiting_principals(services) == 0
    clock.advance(minutes=2)
    assert escalate_unanswered(services) == 1  # only the urgent case
    assert tell_waiting_principals(services) == 1  # and its principal is told it is still waiting
    services.send_outbox()
    assert "ยังไม่มีผู้รับเรื่องเกิน 5 นาที" in officer.texts()[-2] and "0002/2569" in officer.texts()[-2]
    clock.advance(minutes=10)
    assert escalate_unanswered(services) == 1  # the ordinary case at 15 minutes
    assert [c.escalation_level for c in cases(services)] == [1, 1]


def test_the_open_list_puts_urgent_cases_first_and_marks_them(app, services, line, clock):
    officer = add_officer(services, line)
    file_report(line.user())
    clock.advance(minutes=1)
    file_urgent(line.user())
    clock.advance(minutes=6)
    officer.says("เรื่องค้าง")
    lines = [row for row in officer.last_text().splitlines() if "/2569" in row]
    assert lines[0].startswith("‼ ด่วนที่สุด ⚠ 0002/2569") and lines[1].startswith("0001/2569")


# ---- the numbers are configurable and fit LINE ----------------------------------------------------------------

def test_emergency_numbers_are_configurable_and_checked_against_lines_limits():
    numbers = from_env({"EMERGENCY_NUMBERS": "1669=การแพทย์ฉุกเฉิน, 1300=ศูนย์ช่วยเหลือสังคม"}, dotenv=False)
    assert numbers.emergency_numbers == (("1669", "การแพทย์ฉุกเฉิน"), ("1300", "ศูนย์ช่วยเหลือสังคม"))
    assert from_env({}, dotenv=False).emergency_numbers[0] == ("1669", "การแพทย์ฉุกเฉิน")
    for bad in ("โทร=1669", "1669", "1669=การแพทย์ฉุกเฉินและอุบัติเหตุทุกประเภท", ",".join(["191=ตำรวจ"] * 9)):
        with pytest.raises(ValueError):
            _emergency_numbers(bad)
    with pytest.raises(SystemExit, match="EMERGENCY_NUMBERS"):
        from_env({"EMERGENCY_NUMBERS": "1669"}, dotenv=False)


def test_the_configured_numbers_are_the_call_buttons(database_url, line, tmp_path, clock):
    from app import create_app
    from tests.conftest import connect

    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path),
                             emergency_numbers=(("1669", "การแพทย์ฉุกเฉิน"), ("02-123-4567", "โรงพยาบาลอำเภอ")))
    application = create_app(settings, clock=clock)
    connect(line, application)
    try:
        principal = line.user()
        principal.says("ด่วน")
        (numbers,) = emergency_messages(principal)
        assert call_uris(numbers) == ["tel:1669", "tel:021234567"] and line.rejections == []
        assert "02-123-4567 โรงพยาบาลอำเภอ" in numbers["altText"]
    finally:
        application.extensions["ccpc"].db.dispose()


# ---- marked everywhere: the memo, the staff group, the principal's own list ----------------------------------

def test_the_urgent_case_is_marked_in_the_memo_the_group_notice_and_the_principals_list(app, services, line):
    from bot.paperwork.case_documents import memo_pdf
    from models import Case
    from tests.test_documents import plain
    from tests.test_groups import GROUP, register_by_code

    add_officer(services, line)
    register_by_code(services, line, line.user())
    file_report(line.user())
    principal = line.user()
    file_urgent(principal, "นักเรียนหมดสติ ไม่หายใจ")
    assert line.messages_to(GROUP)[-1]["text"].startswith("‼ ด่วนที่สุด มีการแจ้งเหตุใหม่ เลขที่ 0002/2569")
    assert "หมดสติ" not in str(line.messages_to(GROUP))  # the group hears that it is urgent, never what
    principal.says("สถานะ")
    assert "0002/2569 (ด่วนที่สุด)" in principal.texts()[-2] or "0002/2569 (ด่วนที่สุด)" in principal.last_text()
    with services.db.session() as session:
        ordinary, urgent = (session.get(Case, 1), session.get(Case, 2))
        assert "ด่วนที่สุด" in plain(memo_pdf(session, urgent, services.settings, services.now()))
        assert "ด่วนที่สุด" not in plain(memo_pdf(session, ordinary, services.settings, services.now()))


def test_danger_in_the_facts_offers_to_send_the_report_at_once(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    to_facts(principal, "นักเรียนคิดฆ่าตัวตาย ยังอยู่บนดาดฟ้า")
    (numbers,) = emergency_messages(principal)
    [send_now] = [a for a in limits.tappable_actions(numbers) if a.get("type") == "message"]
    principal.uses(send_now)  # the subject is answered already: the school and a phone are left
    assert "แจ้งด่วน 2/3" in principal.last_text()
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    principal.says("0812345678")
    (case,) = cases(services)
    assert case.urgent_reason == "คิดฆ่าตัวตาย" and case.facts.startswith("นักเรียนคิดฆ่าตัวตาย")
    assert "คิดฆ่าตัวตาย" in str(alerts_to(line, officer)[0]["contents"])
    assert "ข้อ 5" in principal.last_text()  # the form goes on where it was


def test_urgent_with_what_happened_in_the_middle_of_the_form_takes_it_as_the_one_line(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("ถูกกระทำความรุนแรง")
    principal.taps("ใช้เรื่องที่แนะนำ")
    principal.says("ด่วน นักเรียนถูกทำร้ายเลือดออกมาก")  # the subject was answered: this line replaces it
    assert "แจ้งด่วน 2/3" in principal.last_text()
    principal.says("โรงเรียนบ้านหนองตัวอย่าง")
    principal.says("0812345678")
    (case,) = cases(services)
    assert case.subject == "นักเรียนถูกทำร้ายเลือดออกมาก" and case.category == "violence"
    assert case.reporter_school == "โรงเรียนบ้านหนองตัวอย่าง" and "ข้อ 3" in principal.last_text()


def test_after_filing_a_date_asked_again_is_asked_again_not_skipped(app, services, line):
    principal = line.user()
    file_urgent(principal)
    principal.taps("เกิดอุบัติเหตุ")
    principal.says("22/11/26 14.30")  # which era: asked about
    principal.taps("ไม่ใช่")
    assert "ข้อ 3" in principal.last_text()  # the path comes back to the date: it is asked again
    principal.says("ไม่ทราบเวลาแน่ชัด")
    principal.says("เมื่อวาน")
    assert "ข้อ 4" in principal.last_text()
    (case,) = cases(services)
    assert case.occurred_time_unknown and case.details_pending
    assert case.occurred_at.astimezone(BANGKOK).date().isoformat() == "2026-11-21"


def test_a_follow_up_naming_a_danger_makes_the_open_case_urgent_for_everyone_at_once(app, services, line):
    officers = [add_officer(services, line), add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")]
    boss = add_officer(services, line, "หัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    principal = line.user()
    file_report(principal)
    assert not cases(services)[0].urgent
    before = {p.user_id: len(alerts_to(line, p)) for p in [*officers, boss]}
    principal.says("ตอนนี้นักเรียนไม่ ได้จมน้ำค่ะ")  # negated: nothing changes
    assert not cases(services)[0].urgent and not emergency_messages(principal)
    principal.says("ล่าสุดนักเรียน หมด สติ ที่โรงพยาบาล")
    case = cases(services)[0]
    assert case.urgent and case.urgent_reason == "หมดสติ"
    assert len(emergency_messages(principal)) == 1  # the call buttons, at once
    assert call_uris(emergency_messages(principal)[0])[0] == "tel:1669"
    for person in [*officers, boss]:  # nobody took it: everyone, supervisors included, now
        fresh = alerts_to(line, person)[before[person.user_id]:]
        assert len(fresh) == 1 and "ด่วนที่สุด" in str(fresh[0]) and "หมดสติ" in str(fresh[0])
    principal.says("นักเรียนหายใจไม่ออกอีกแล้ว หมดสติ")  # already urgent: no second alarm
    assert len(emergency_messages(principal)) == 1


def test_a_danger_on_a_taken_case_goes_to_its_owner_and_the_supervisors_are_told(app, services, line):
    owner, other = add_officer(services, line), add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    boss = add_officer(services, line, "หัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    principal = line.user()
    file_report(principal)
    owner.says("รับเรื่อง 0001/2569")
    before = {p.user_id: len(line.pushes_to(p.user_id)) for p in (owner, other, boss)}
    principal.says("นักเรียนพูดว่าคิดฆ่าตัวตายค่ะ")
    assert cases(services)[0].urgent
    assert "คิดฆ่าตัวตาย" in str(line.pushes_to(owner.user_id)[before[owner.user_id]:])
    assert "ด่วนที่สุด" in str(line.pushes_to(boss.user_id)[before[boss.user_id]:])
    assert len(line.pushes_to(other.user_id)) == before[other.user_id]


def test_urgent_about_an_open_case_is_one_tap_on_the_emergency_numbers(app, services, line):
    officer = add_officer(services, line)
    boss = add_officer(services, line, "หัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    principal = line.user()
    file_report(principal)
    officer.says("รับเรื่อง 0001/2569")
    before = {p.user_id: len(line.pushes_to(p.user_id)) for p in (officer, boss)}
    principal.says("ด่วน นักเรียนถูกทำร้ายอีกแล้ว")
    (numbers,) = emergency_messages(principal)
    assert "tel:1669" in call_uris(numbers) and "เรื่องเดิม 0001/2569" in str(numbers)
    assert limits.problems([numbers]) == []
    (button,) = [a for a in limits.tappable_actions(numbers) if a.get("label") == "เรื่องเดิม 0001/2569"]
    principal.uses(button)  # on the numbers' bubble, above the question
    (case,) = cases(services)  # no second case
    assert case.urgent and "ด่วนที่สุด" in principal.last_text()
    assert "ถูกทำร้ายอีกแล้ว" in str(line.pushes_to(officer.user_id)[before[officer.user_id]:])
    assert "ผู้รายงานแจ้งว่าเป็นเหตุด่วน" in str(line.pushes_to(boss.user_id)[before[boss.user_id]:])
    principal.says("นักเรียนอยู่ห้องพยาบาลแล้ว")  # no report draft is left open: this joins the case
    assert "ส่งข้อความถึงเจ้าหน้าที่" in principal.last_text()


def test_a_new_emergency_from_a_principal_with_an_open_case_still_files_on_the_third_turn(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    principal.says("ด่วน นักเรียนจมน้ำที่สระหลังโรงเรียน")
    principal.taps("ใช้ชื่อโรงเรียนเดิม")
    principal.taps("ใช้เบอร์เดิม")
    found = cases(services)
    assert len(found) == 2 and found[-1].urgent and not found[0].urgent


def test_typing_the_open_case_button_works_as_tapping_it(app, services, line):
    """LINE for PC users type what they see: "เรื่องเดิม 0001/2569" is never taken as the school's name."""
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.says("รับเรื่อง 0001/2569")
    principal.says("ด่วน นักเรียนถูกทำร้ายอีกแล้ว")
    principal.says("เรื่องเดิม 0001/2569")
    (case,) = cases(services)
    assert case.urgent and case.reporter_school == "โรงเรียนบ้านหนองตัวอย่าง"
    assert "ด่วนที่สุด" in principal.last_text()
    principal.says("ด่วน นักเรียนหายตัว")
    principal.says("เรื่องเดิม 9999/2569")  # no such case of theirs: said so, and the question again
    assert "ไม่พบเรื่องเลขที่ \"9999/2569\"" in principal.last_text() and "ใช้ชื่อโรงเรียนเดิม" in principal.quick_reply_labels()
    principal.taps("ใช้ชื่อโรงเรียนเดิม")
    principal.taps("ใช้เบอร์เดิม")
    assert len(cases(services)) == 2 and cases(services)[-1].reporter_school == "โรงเรียนบ้านหนองตัวอย่าง"
