"""A principal files a report through the chat form: the whole path, and every way it can go wrong."""
from __future__ import annotations

import pytest

from sqlalchemy import select

from models import Draft, Photo
from tests.helpers import add_officer, cases, file_report, fill_report, jpeg


def test_whole_form_files_a_numbered_case_and_alerts_every_officer(app, services, line):
    first = add_officer(services, line, "เจ้าหน้าที่ หนึ่ง", "081-000-0001")
    second = add_officer(services, line, "เจ้าหน้าที่ สอง", "081-000-0002", role="supervisor")
    principal = line.user(display_name="ผอ.ตัวอย่าง")

    fill_report(principal, photos=2)
    summary = principal.last_text()
    assert "ตรวจสอบรายงานก่อนส่ง" in summary
    assert "เกิดอุบัติเหตุ" in summary and "รายงานนักเรียนประสบอุบัติเหตุ" in summary
    assert "22 พฤศจิกายน 2569 เวลา 14.30 น." in summary
    assert "089-123-4567" in summary and "081-234-5678" in summary
    assert "ภาพประกอบ: 2 ภาพ" in summary
    assert principal.quick_reply_labels()[:3] == ["ยืนยัน", "แก้ไข", "ยกเลิก"]

    principal.taps("ยืนยัน")
    filed, fund_offer = principal.texts()[-2:]  # an accident may qualify for the aid fund: offered next
    assert "เลขที่รับเรื่อง 0001/2569" in filed and "08x-xxx-0000" in filed
    assert "กองทุน" in fund_offer

    for officer in (first, second):
        alerts = line.pushes_to(officer.user_id)
        assert len(alerts) == 1
        alert = alerts[0].messages[0]
        assert alert["type"] == "flex"
        assert "0001/2569" in alert["altText"]
        flat = str(alert["contents"])
        for expected in ("เกิดอุบัติเหตุ", "โรงเรียนบ้านหนองตัวอย่าง", "เมืองตัวอย่าง", "นายตัวอย่าง ใจดี",
                         "081-234-5678", "ภาพประกอบ: 2 ภาพ", "พลัดตกสระน้ำ", "22 พ.ย. 69 14.30 น."):
            assert expected in flat
        assert "tel:0812345678" in flat

    (case,) = cases(services)
    assert case.reference == "0001/2569" and case.state == "new" and case.category == "accident"
    with services.db.session() as session:
        photos = list(session.scalars(select(Photo).where(Photo.case_id == case.id)))
        assert len(photos) == 2 and all(p.status == "stored" and p.file_name for p in photos)
        assert session.scalars(select(Draft)).first() is None


def test_returning_principal_confirms_saved_details_with_one_tap(app, services, line):
    principal = line.user()
    file_report(principal)
    file_report(principal, first_time=False)
    assert "เลขที่รับเรื่อง 0002/2569" in principal.texts()[-2]
    second = cases(services)[1]
    assert second.reporter_name == "นายตัวอย่าง ใจดี" and second.reporter_phone == "081-234-5678"


def test_cancel_from_any_step_deletes_the_draft(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("ถูกกระทำความรุนแรง")
    principal.says("ยกเลิก")
    assert "ยกเลิกการรายงานแล้ว" in principal.last_text()
    with services.db.session() as session:
        assert session.scalars(select(Draft)).first() is None
    principal.says("cancel")
    assert "ไม่มีรายงานที่กำลังกรอก" in principal.last_text()


def test_wrong_kinds_of_answer_get_an_explanation_and_the_same_question(app, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.sends_sticker()
    assert "สติกเกอร์" in principal.last_text() and "ข้อ 1" in principal.last_text()
    principal.says("ไม่รู้จะเลือกอะไร")
    assert "ยังไม่ตรงกับประเภทที่มี" in principal.last_text()
    principal.says("6")
    principal.taps("ใช้เรื่องที่แนะนำ")
    principal.sends_location("โรงเรียน", 16.4, 102.8)
    assert "ตำแหน่งที่ตั้ง" in principal.last_text() and "เหตุเกิดขึ้นเมื่อใด" in principal.last_text()
    principal.says("พรุ่งนี้ก็ได้")
    assert "เหตุเกิดขึ้นเมื่อใด" in principal.last_text()
    principal.says("23/11/2569 10:00")
    assert "ยังไม่ถึง" in principal.last_text()
    principal.taps("เลือกวันและเวลา", picks="2026-11-22T08:15")
    assert "สรุปเหตุการณ์ข้อเท็จจริง" in principal.last_text()
    principal.says("ก" * 2001)
    assert "2,001" in principal.last_text() and "2,000" in principal.last_text()


@pytest.mark.parametrize("typed, shown", [
    ("เมื่อวาน 9 โมง", "21 พฤศจิกายน 2569 เวลา 9.00 น."),
    ("22 พ.ย. 69 14:30", "22 พฤศจิกายน 2569 เวลา 14.30 น."),
    ("22/11/2569 14.30", "22 พฤศจิกายน 2569 เวลา 14.30 น."),
    ("2026-11-22 14:30", "22 พฤศจิกายน 2569 เวลา 14.30 น."),
    ("บ่าย 2", "22 พฤศจิกายน 2569 เวลา 14.00 น."),
])
def test_typed_dates_people_use_are_understood(app, line, typed, shown):
    principal = line.user()
    fill_report(principal, when=typed)
    assert f"เกิดเหตุ: {shown}" in principal.last_text()


def test_phone_numbers_must_be_thai_numbers(app, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    for step in ("1", "ใช้เรื่องที่แนะนำ", "วันนี้ 10:00", "ข้อเท็จจริง", "ข้าม", "นายแหล่ง ข่าว"):
        principal.says(step) if step != "ใช้เรื่องที่แนะนำ" else principal.taps(step)
    principal.says("12345")
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in principal.last_text()
    principal.says("043-123-456")
    assert "ผู้รายงาน" in principal.last_text()


def test_required_steps_cannot_be_skipped_optional_ones_can(app, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.says("ข้าม")
    assert "จำเป็นต้องตอบ" in principal.last_text()


def test_edit_one_field_from_the_summary_returns_to_the_summary(app, services, line):
    principal = line.user()
    fill_report(principal)
    principal.taps("แก้ไข")
    assert "ต้องการแก้ไขข้อใด" in principal.last_text()
    principal.taps("ข้อเท็จจริง")
    principal.says("นักเรียนหญิง ป.3 จำนวน 2 คน ถูกสุนัขกัด")
    assert "ตรวจสอบรายงานก่อนส่ง" in principal.last_text()
    assert "ถูกสุนัขกัด" in principal.last_text() and "พลัดตกสระน้ำ" not in principal.last_text()
    principal.taps("แก้ไข")
    principal.says("7")  # the reporter, by number
    principal.says("นายแก้ไข ใหม่")
    principal.taps("ครู")
    principal.says("โรงเรียนบ้านใหม่")
    principal.says("หนองสมมุติ")
    principal.says("02 123 4567")
    assert "นายแก้ไข ใหม่" in principal.last_text() and "02-123-4567" in principal.last_text()
    principal.taps("ยืนยัน")
    (case,) = cases(services)
    assert case.facts.endswith("ถูกสุนัขกัด") and case.reporter_school == "โรงเรียนบ้านใหม่"


def test_a_draft_survives_a_restart_and_resumes(app, settings, clock, line):
    from app import create_app
    from tests.conftest import connect

    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("ยาเสพติด")
    # a new process: a fresh app on the same database
    restarted = create_app(settings, clock=clock)
    connect(line, restarted)
    principal.says("แจ้งเหตุ")
    assert "ยังกรอกไม่เสร็จ" in principal.last_text() and "เรื่องของรายงาน" in principal.last_text()
    principal.taps("ใช้เรื่องที่แนะนำ")
    assert "เหตุเกิดขึ้นเมื่อใด" in principal.last_text()
    restarted.extensions["ccpc"].db.dispose()


def test_a_draft_untouched_for_a_day_expires_and_the_principal_is_told(app, services, clock, line):
    from bot.scheduler import expire_drafts

    principal = line.user()
    principal.says("แจ้งเหตุ")
    clock.advance(hours=25)
    assert expire_drafts(services) == 1
    assert expire_drafts(services) == 0
    principal.says("1")
    assert "หมดอายุ" in principal.texts()[-2] or "หมดอายุ" in principal.last_text()


def test_a_stale_draft_expires_when_the_principal_returns_before_the_job_runs(app, clock, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    clock.advance(hours=24, minutes=1)
    principal.says("ยาเสพติด")
    assert any("หมดอายุ" in t for t in principal.texts()[-2:])


def test_photos_of_one_send_arrive_out_of_order_and_are_answered_once(app, services, line):
    principal = line.user()
    fill_report(principal, photos=0)
    principal.taps("แก้ไข")
    principal.taps("ภาพประกอบ")
    before = len(principal.messages())
    for index in (3, 1, 2):
        principal.sends_image(jpeg(index), image_set={"id": "set1", "index": index, "total": 3})
    assert len(principal.messages()) == before + 1
    assert "รวม 3 ภาพ" in principal.last_text()
    principal.taps("เสร็จ")
    assert "ภาพประกอบ: 3 ภาพ" in principal.last_text()


def test_a_photo_sent_before_the_photo_step_is_kept(app, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.sends_image(jpeg())
    assert "ได้รับภาพแล้ว" in principal.last_text() and "ข้อ 1" in principal.last_text()


def test_status_lists_only_the_principals_own_cases(app, services, line):
    one, other = line.user(), line.user()
    file_report(one)
    file_report(other)
    one.says("สถานะ")
    assert "0001/2569" in one.last_text() and "0002/2569" not in one.last_text()
    other.says("status")
    assert "0002/2569" in other.last_text() and "0001/2569" not in other.last_text()


def test_follow_greets_and_menu_explains(app, line):
    principal = line.user()
    principal.follows()
    assert "ยินดีต้อนรับ" in principal.last_text() and "แจ้งเหตุ" in principal.last_text()
    principal.says("เมนู")
    assert "สถานะ" in principal.last_text()
    principal.says("สวัสดีครับ")
    assert "ยังไม่เข้าใจ" in principal.last_text()


def test_case_numbers_restart_with_the_buddhist_era_year(app, services, clock, line):
    from datetime import datetime, timezone

    principal = line.user()
    clock.set(datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc))  # 23:00 on 31 Dec in Bangkok
    fill_report(principal)
    principal.taps("ยืนยัน")
    clock.advance(hours=2)  # 01:00 on 1 Jan 2570 in Bangkok (still 2026 in UTC)
    file_report(principal, first_time=False, when="เมื่อวาน 20:00")
    assert [c.reference for c in cases(services)] == ["0001/2569", "0001/2570"]
