"""Officers and the reporting principal work a case together in LINE."""
from __future__ import annotations

from sqlalchemy import select

from bot.staff import officers as officer_admin
from models import AuditLog, CaseEntry
from tests.helpers import add_officer, cases, file_report, jpeg


def setup_case(services, line, supervisors: int = 0):
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    bosses = [add_officer(services, line, f"นายหัวหน้า {i}", f"081-000-010{i}", role="supervisor")
              for i in range(supervisors)]
    principal = line.user()
    file_report(principal)
    return principal, first, second, bosses


def entries(services, kind=None) -> list[CaseEntry]:
    with services.db.session() as session:
        query = select(CaseEntry).order_by(CaseEntry.id)
        if kind:
            query = query.where(CaseEntry.kind == kind)
        return list(session.scalars(query))


def test_first_officer_to_take_owns_it_and_everyone_is_told(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    assert "ท่านรับเรื่อง 0001/2569 แล้ว" in first.last_text()
    assert "นางสาวหนึ่ง ทดสอบ รับเรื่องแล้ว" in second.last_text()
    told = principal.last_text()
    assert "รับเรื่องแล้ว" in told and "นางสาวหนึ่ง ทดสอบ" in told and "081-000-0001" in told
    (case,) = cases(services)
    assert case.state == "taken" and case.owner_officer_id is not None


def test_a_second_take_says_who_owns_it_instead_of_taking_over(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    second.says("รับเรื่อง 1/2569")
    assert "มีผู้รับผิดชอบแล้ว คือ นางสาวหนึ่ง ทดสอบ" in second.last_text()
    first.says("รับเรื่อง #1")
    assert "เป็นผู้รับผิดชอบเรื่อง 0001/2569 อยู่แล้ว" in first.last_text()
    assert len(entries(services, "taken")) == 1


def test_handover_is_explicit_and_tells_the_new_owner_and_the_principal(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    first.says("โอน 0001/2569")
    first.taps("นายสอง ทดสอบ")
    assert "โอนเรื่อง 0001/2569 ให้ นายสอง ทดสอบ แล้ว" in first.last_text()
    assert "โอนเรื่อง 0001/2569" in second.last_text() and "ให้ท่านเป็นผู้รับผิดชอบ" in second.last_text()
    assert "นายสอง ทดสอบ" in principal.last_text() and "081-000-0002" in principal.last_text()


def test_reply_mode_relays_the_next_message_and_then_ends(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    first.taps("ตอบกลับ")
    assert "ข้อความถัดไปของท่านจะถูกส่งถึงผู้รายงาน" in first.last_text()
    first.says("ขอเบอร์ผู้ปกครองของนักเรียนด้วยครับ")
    relayed = principal.last_text()
    assert "ข้อความจากศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน เรื่อง 0001/2569" in relayed
    assert "ขอเบอร์ผู้ปกครองของนักเรียนด้วยครับ" in relayed
    assert "ส่งข้อความถึงผู้รายงานเรื่อง 0001/2569 แล้ว" in first.last_text()
    first.says("ข้อความนี้ไม่ควรถูกส่ง")
    assert "ข้อความนี้ไม่ควรถูกส่ง" not in principal.last_text()


def test_reply_mode_ends_with_cancel_or_after_ten_minutes(app, services, clock, line):
    principal, first, _, _ = setup_case(services, line)
    first.taps("ตอบกลับ")
    first.says("ยกเลิก")
    assert "ยกเลิกแล้ว" in first.last_text()
    first.says("ตอบ 0001/2569")  # a typed reply without text starts reply mode too
    assert "ข้อความถัดไปของท่านจะถูกส่งถึงผู้รายงาน" in first.last_text()
    clock.advance(minutes=11)
    before = len(principal.messages())
    first.says("ข้อความหลังหมดเวลา")
    assert len(principal.messages()) == before


def test_typed_reply_and_internal_note(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    first.says("ตอบ 0001/2569 พรุ่งนี้เจ้าหน้าที่จะลงพื้นที่ครับ")
    assert "พรุ่งนี้เจ้าหน้าที่จะลงพื้นที่ครับ" in principal.last_text()
    before = len(principal.messages())
    first.says("บันทึก 0001/2569 โทรคุยกับผู้ปกครองแล้ว ขอให้ติดตามอาการ")
    assert "ผู้รายงานไม่เห็นบันทึกนี้" in first.last_text()
    assert len(principal.messages()) == before
    (note,) = entries(services, "note")
    assert note.text == "โทรคุยกับผู้ปกครองแล้ว ขอให้ติดตามอาการ"


def test_principal_writes_into_the_thread_and_the_owner_can_answer(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    principal.says("นักเรียนออกจากโรงพยาบาลแล้วค่ะ")
    assert "ส่งข้อความถึงเจ้าหน้าที่ในเรื่อง 0001/2569 แล้ว" in principal.last_text()
    for officer in (first, second):  # nobody owns it yet: every officer hears
        assert "นักเรียนออกจากโรงพยาบาลแล้วค่ะ" in officer.last_text()
    first.taps("รับเรื่อง")
    principal.sends_image(jpeg(7))
    assert "ส่งภาพเพิ่มเติม 1 ภาพ" in first.last_text()
    assert "ส่งภาพเพิ่มเติม" not in second.last_text()
    first.taps("ตอบกลับ")
    first.says("ได้รับภาพแล้วครับ")
    assert "ได้รับภาพแล้วครับ" in principal.last_text()
    kinds = [e.kind for e in entries(services)]
    assert kinds == ["filed", "from_reporter", "taken", "photo_from_reporter", "to_reporter"]


def test_with_several_open_cases_the_principal_picks_which(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    file_report(principal, first_time=False)
    principal.says("ขอเพิ่มข้อมูลค่ะ")
    assert "ข้อความนี้เกี่ยวกับเรื่องใด" in principal.last_text()
    assert principal.quick_reply_labels() == ["0002/2569", "0001/2569", "ยกเลิก"]
    principal.taps("0001/2569")
    assert "ในเรื่อง 0001/2569 แล้ว" in principal.last_text()
    (entry,) = entries(services, "from_reporter")
    assert entry.text == "ขอเพิ่มข้อมูลค่ะ" and entry.case_id == cases(services)[0].id


def test_states_follow_the_process_and_the_principal_is_told_each(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    first.says("สถานะ 0001/2569")
    assert "สถานะปัจจุบัน: รับเรื่องแล้ว" in first.last_text()
    first.taps("กำลังช่วยเหลือ")
    assert "กำลังให้ความช่วยเหลือ" in principal.last_text()
    first.says("ส่งต่อ 0001/2569")
    first.taps("ตำรวจ")
    first.says("สภ.เมืองตัวอย่าง ร.ต.ท.สมมุติ 08x-xxx-1234")
    assert "ส่งต่อเรื่องให้สถานีตำรวจ ดูแลต่อ" in principal.last_text()
    first.says("สถานะ 0001/2569 ติดตามผล")
    assert "ติดตามผล" in principal.last_text()
    first.says("ปิดเรื่อง 0001/2569 นักเรียนได้รับการดูแลครบถ้วน ผู้ปกครองพอใจ")
    closed = principal.last_text()
    assert "ปิดเรื่องแล้ว" in closed and "นักเรียนได้รับการดูแลครบถ้วน" in closed
    (case,) = cases(services)
    assert case.state == "closed" and case.closing_summary.startswith("นักเรียนได้รับ")
    states = [e.detail["to"] for e in entries(services, "state")]
    assert states == ["helping", "referred", "following", "closed"]
    referral = entries(services, "state")[1].detail
    assert referral["destination"] == "police" and "สภ.เมืองตัวอย่าง" in referral["contact"]
    first.says("เปิดเรื่อง 0001/2569")
    assert "เปิดเรื่องนี้อีกครั้ง" in principal.last_text()
    assert cases(services)[0].state == "following"


def test_closing_by_button_asks_for_the_summary(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    first.taps("เปลี่ยนสถานะ")
    first.taps("ปิดเรื่อง")
    assert "กรุณาพิมพ์สรุปผล" in first.last_text()
    first.says("ช่วยเหลือเสร็จสิ้น")
    assert "สรุป: ช่วยเหลือเสร็จสิ้น" in principal.last_text()


def test_details_show_the_thread_in_order_and_page_when_long(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    first.taps("รับเรื่อง")
    for index in range(12):
        first.says(f"บันทึก 0001/2569 บันทึกที่ {index + 1}")
    first.says("รายละเอียด 0001/2569")
    page_one = "\n".join(first.texts()[-2:])
    assert "1. สรุปเหตุการณ์ข้อเท็จจริง" in page_one and "พลัดตกสระน้ำ" in page_one
    assert "(หน้า 1/2)" in page_one and "บันทึกที่ 6" in page_one and "บันทึกที่ 7" not in page_one
    first.taps("หน้าถัดไป")
    assert "(หน้า 2/2)" in first.last_text() and "บันทึกที่ 12" in first.last_text()
    with services.db.session() as session:
        viewed = list(session.scalars(select(AuditLog).where(AuditLog.action == "case_viewed")))
        assert len(viewed) == 2


def test_open_cases_oldest_first_with_owner_and_overdue_marks(app, services, clock, line):
    principal, first, _, _ = setup_case(services, line)
    clock.advance(minutes=20)
    file_report(principal, first_time=False)
    first.says("รับเรื่อง 0002/2569")
    first.says("เรื่องค้าง")
    listing = first.last_text()
    assert listing.index("0001/2569") < listing.index("0002/2569")
    assert "⚠ 0001/2569" in listing and "ยังไม่มีผู้รับ" in listing
    assert "⚠ 0002/2569" not in listing and "นางสาวหนึ่ง ทดสอบ" in listing


def test_non_officers_get_a_polite_refusal_and_no_case_data(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    stranger = line.user()
    for command in ("รับเรื่อง 0001/2569", "รายละเอียด 0001/2569", "เรื่องค้าง", "ตอบ 1/2569 สวัสดี"):
        stranger.says(command)
        assert "ใช้ได้เฉพาะเจ้าหน้าที่" in stranger.last_text()
        assert "พลัดตกสระน้ำ" not in stranger.last_text() and "โรงเรียนบ้านหนองตัวอย่าง" not in stranger.last_text()
    principal.says("รายละเอียด 0001/2569")
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in principal.last_text()


def test_a_deactivated_officer_loses_access_at_once(app, services, line):
    principal, first, second, _ = setup_case(services, line)
    with services.db.session() as session:
        officer_admin.deactivate(session, first.user_id, services.now())
        session.commit()
    first.taps("รับเรื่อง")  # the button on the alert they already have
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in first.last_text()
    file_report(principal, first_time=False)
    assert all("0002/2569" not in str(m) for m in first.messages())


def test_unknown_reference_and_stale_buttons_are_explained(app, services, line):
    principal, first, _, _ = setup_case(services, line)
    first.says("รับเรื่อง 0099/2569")
    assert "ไม่พบเรื่องเลขที่" in first.last_text()
    line.send([line.postback_event(first.user_id, "v1:take:99999")])
    assert "ปุ่มนี้ใช้ไม่ได้แล้ว" in first.last_text()
    line.send([line.postback_event(first.user_id, "garbage")])
    assert "ปุ่มนี้ใช้ไม่ได้แล้ว" in first.last_text()
