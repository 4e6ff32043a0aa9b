"""Trips people had in LINE, through signed webhooks and the fake LINE: typed labels and numbers,
stale buttons, cancel/skip/edit in every flow, per-role menus, messages after closing, waiting notices."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot.casework import deadlines
from bot.line import rich_menu
from bot.staff import groups, menus, officers
from models import CaseEntry, ChatState, FundRequest, Officer
from tests.helpers import add_officer, cases, file_report, fill_report

README = Path(__file__).resolve().parents[1] / "README.md"


def _entries(services, kind):
    with services.db.session() as session:
        return list(session.scalars(select(CaseEntry).where(CaseEntry.kind == kind).order_by(CaseEntry.id)))


def test_a_typed_button_label_is_the_tap_and_never_stored_as_an_answer(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    assert "1. ถูกล่วงละเมิดทางเพศ" in principal.last_text()  # choices listed for LINE for PC
    principal.says("6")
    assert "1. ใช้เรื่องที่แนะนำ (รายงานนักเรียนประสบอุบัติเหตุ)" in principal.last_text()
    principal.says("ใช้เรื่องที่แนะนำ")
    principal.says("วันนี้ 14:30")
    principal.says("นักเรียนพลัดตกบันได")
    principal.says("1")  # the listed "ข้าม" of an optional step
    principal.says("ผู้รายงานเอง")
    principal.says("นายตัวอย่าง ใจดี")
    principal.says("ผู้อำนวยการโรงเรียน")
    principal.says("โรงเรียนบ้านตัวอย่าง")
    principal.says("อำเภอหนองสมมุติ")  # typed with its prefix: stored as configured
    principal.says("0812345678")
    principal.says("ข้าม")
    principal.says("ยืนยัน")
    (case,) = cases(services)
    assert case.subject == "รายงานนักเรียนประสบอุบัติเหตุ" and case.category == "accident"
    assert case.initial_help is None and case.source_name == "ผู้รายงาน"
    assert case.reporter_position == "ผู้อำนวยการโรงเรียน" and case.reporter_district == "หนองสมมุติ"


def test_the_fund_request_takes_typed_labels_numbers_edit_and_cancel(app, services, line):
    principal = line.user()
    file_report(principal)
    principal.says("กองทุน")
    principal.says("ด.ช. ก.")
    principal.says("ป.5")
    assert "1. ประสบอุบัติเหตุจนเสียชีวิต (5,000 บาท)" in principal.last_text()
    principal.says("2")
    assert "โอนเข้าบัญชีธนาคาร" in principal.last_text()  # the payment choices are listed
    principal.says("โอน")
    assert "รับเงินแบบ: โอนเข้าบัญชีธนาคาร" in principal.last_text()
    principal.says("แก้ไข")
    principal.says("วิธีรับเงิน")
    principal.says("เงินสด")
    assert "รับเงินแบบ: เงินสด" in principal.last_text()
    principal.says("ยืนยัน")
    with services.db.session() as session:
        (request,) = session.scalars(select(FundRequest))
        assert request.payment_method == "cash" and request.amount_baht == 4000
    principal.says("กองทุน")
    principal.says("ยกเลิก")
    assert "ยกเลิก" in principal.last_text()
    with services.db.session() as session:
        assert session.scalars(select(ChatState)).first() is None


def test_officer_flows_take_typed_choices_skip_and_cancel(app, services, line):
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    principal = line.user()
    file_report(principal)
    first.says("ส่งต่อ 0001/2569")
    assert "1. ศูนย์ช่วยเหลือสังคม สายด่วน 1300" in first.last_text()
    first.says("2")  # police, typed by number
    first.says("ข้าม")  # no contact known yet
    assert "สถานีตำรวจ" in principal.last_text()
    first.says("โอน 0001/2569")
    assert "1. นายสอง ทดสอบ" in first.last_text()
    first.says("ยกเลิก")
    assert "ยกเลิกแล้ว" in first.last_text()
    first.says("โอน 0001/2569")
    first.says("นายสอง ทดสอบ")
    with services.db.session() as session:
        assert session.get(Officer, cases(services)[0].owner_officer_id).name == "นายสอง ทดสอบ"
    first.says("ตอบ 0001/2569")
    first.says("ยกเลิก")
    assert "ไม่มีการบันทึกหรือส่งข้อความ" in first.last_text()


def test_stale_and_foreign_buttons_are_answered_politely(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    for data in ("v1:handover:1:2", "v0:take:1", "v1:take:abc", "v1:take:99999", "v9:x", "", "garbage"):
        line.send([line.postback_event(officer.user_id, data)])
        assert "ปุ่มนี้ใช้ไม่ได้แล้ว" in officer.last_text(), data
    line.send([line.postback_event(principal.user_id, "v1:take:1")])
    assert "เฉพาะเจ้าหน้าที่" in principal.last_text()
    assert cases(services)[0].owner_officer_id is None


def test_officers_get_their_own_menu_linked_and_unlinked(app, services, line):
    installed = rich_menu.install(services.gateway)
    assert installed.ok and installed.officer_menu_id
    with services.db.session() as session:
        _, code = officers.invite(session, "นางสาวใหม่ ทดสอบ", "081-000-0009", "officer", services.now())
        session.commit()
    person = line.user()
    person.says(code)
    assert line.linked_rich_menu(person.user_id).rich_menu_id == installed.officer_menu_id
    assert line.rich_menu_of(line.user().user_id).rich_menu_id == installed.rich_menu_id  # principals
    runner = app.test_cli_runner()
    result = runner.invoke(args=["officers", "deactivate", "นางสาวใหม่ ทดสอบ"])
    assert result.exit_code == 0, result.output
    assert line.linked_rich_menu(person.user_id) is None
    with services.db.session() as session:
        assert session.scalars(select(Officer)).one().menu_linked is False
    assert menus.sync(services) == 0  # nothing left to do: running it again changes nothing


def test_an_officers_menu_words_and_unknown_text_get_the_officer_side(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.says("สถานะ")
    assert "0001/2569" in officer.last_text() and "ยังไม่มีเรื่อง" not in officer.last_text()
    officer.says("อะไรนะ")
    help_text = officer.last_text()
    section = README.read_text(encoding="utf-8").split("## What officers can do (in LINE)")[1].split("\n## ")[0]
    for command in re.findall(r"^\| `([^` ]+)", section, flags=re.M):
        assert f"• {command}" in help_text, command
    officer.says("เข้าระบบเว็บ")
    assert "ผู้ดูแลระบบ" in officer.last_text() and "PUBLIC_BASE_URL" not in officer.last_text()


def test_a_command_in_the_staff_group_gets_a_hint_and_no_case_data(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    group_id = "C" + "1" * 32
    with services.db.session() as session:
        groups.register(session, group_id, "กลุ่มศูนย์", services.now())
        session.commit()
    officer.says("เรื่องค้าง", group_id=group_id)
    hint = line.messages_to(group_id)[-1]["text"]
    assert "แชตส่วนตัว" in hint and "0001/2569" not in hint and "พลัดตก" not in hint
    before = len(line.messages_to(group_id))
    officer.says("สวัสดีครับทุกคน", group_id=group_id)
    assert len(line.messages_to(group_id)) == before  # chatter stays unanswered


def test_a_message_after_closing_reaches_the_last_owner_then_asks_which(app, services, line, clock):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.says("รับเรื่อง 0001/2569")
    officer.says("ปิดเรื่อง 0001/2569 ส่งต่อโรงพยาบาลแล้ว")
    principal.says("ขอบคุณค่ะ ผู้ปกครองขอเอกสารใบรับรองแพทย์ด้วยค่ะ")
    assert "ยังไม่เข้าใจ" not in principal.last_text() and "0001/2569" in principal.last_text()
    assert "ใบรับรองแพทย์" in officer.last_text() and "เปิดเรื่องอีกครั้ง" in officer.quick_reply_labels()
    assert _entries(services, "from_reporter")[-1].text.startswith("ขอบคุณค่ะ")
    clock.advance(days=services.settings.closed_case_messages_days + 1)
    principal.says("มีอีกเรื่องค่ะ")
    assert "ปิดไปแล้ว" in principal.last_text() and "แจ้งเหตุใหม่" in principal.quick_reply_labels()
    principal.says("1")
    assert "มีอีกเรื่องค่ะ" in officer.last_text()
    principal.says("อีกข้อความ")
    principal.says("แจ้งเหตุใหม่")
    assert "ข้อ 1" in principal.last_text()


def test_a_principal_whose_case_is_not_taken_in_time_is_told_once(app, services, line, clock):
    principal = line.user()
    file_report(principal)
    clock.advance(minutes=services.settings.take_deadline_minutes - 1)
    assert deadlines.tell_waiting_principals(services) == 0
    clock.advance(minutes=2)
    assert deadlines.tell_waiting_principals(services) == 1
    services.send_outbox()
    notice = principal.last_text()
    assert "ยังรอเจ้าหน้าที่รับเรื่อง" in notice and "08x-xxx-0000" in notice and "1669" in notice
    assert deadlines.tell_waiting_principals(services) == 0  # idempotent
    fill_report(line.user())
