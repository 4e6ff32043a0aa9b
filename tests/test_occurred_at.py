"""When it happened, through signed webhooks and the fake LINE: the time not known, a two-digit year of
either era, the understood date said back at once, refusals that name what was not understood."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.core.texts import say
from bot.core.thai_dates import BANGKOK, parse_datetime
from bot.intake.report_form import occurred_values
from tests.helpers import add_officer, cases, file_report, fill_report
from tests.test_documents import flat, plain

# The clock of these tests: 22 พฤศจิกายน 2569, 16.00 in Bangkok.


def start_report(principal) -> None:
    principal.says("แจ้งเหตุ")
    principal.taps("เกิดอุบัติเหตุ")
    principal.taps("ใช้เรื่องที่แนะนำ")


def memo_text(app, tmp_path) -> str:
    out = tmp_path / "memo.pdf"
    result = app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return flat(plain(out.read_bytes()))


def test_time_not_known_keeps_the_day_and_says_so_everywhere(app, services, line, tmp_path):
    officer = add_officer(services, line)
    principal = line.user()
    start_report(principal)
    assert "ไม่ทราบเวลาแน่ชัด" in principal.quick_reply_labels()
    principal.taps("ไม่ทราบเวลาแน่ชัด")
    assert "เหตุเกิดขึ้นวันใด" in principal.last_text()
    assert principal.quick_reply_labels()[:3] == ["เลือกวันที่", "วันนี้", "เมื่อวาน"]
    principal.taps("เมื่อวาน")
    assert principal.last_text().startswith("รับทราบ: 21 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)\n\nข้อ 4")
    principal.says("นักเรียนพลัดตกบันได")
    for answer in ("ข้าม", "ผู้รายงานเอง", "นายตัวอย่าง ใจดี", "ครู", "โรงเรียนบ้านตัวอย่าง", "เมืองตัวอย่าง",
                   "0812345678", "ข้าม"):
        principal.says(answer)
    assert "เกิดเหตุ: 21 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in principal.last_text()  # the summary
    principal.taps("ยืนยัน")
    (case,) = cases(services)
    assert case.occurred_time_unknown
    assert case.occurred_at.astimezone(BANGKOK) == datetime(2026, 11, 21, 0, 0, tzinfo=BANGKOK)
    alert = [m for m in officer.messages() if m["type"] == "flex"][-1]
    assert "เกิดเหตุ: 21 พ.ย. 69 (ไม่ทราบเวลาแน่ชัด)" in json.dumps(alert, ensure_ascii=False)
    officer.says("รายละเอียด 0001/2569")
    assert "เกิดเหตุ: 21 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in officer.last_text()
    text = memo_text(app, tmp_path)
    assert "เมื่อวันที่๒๑พฤศจิกายน๒๕๖๙(ไม่ทราบเวลาแน่ชัด)" in text and "เวลาประมาณ" not in text


@pytest.mark.parametrize("typed", [["ไม่ทราบเวลาแน่ชัด", "20 พ.ย. 2569"], ["1", "20/11/2569"],
                                   ["ไม่ทราบเวลา", "วานซืน"], ["20 พ.ย. 69 ไม่ทราบเวลาแน่ชัด"],
                                   ["เมื่อวานซืน จำเวลาไม่ได้"]])
def test_time_not_known_typed_as_the_label_its_number_or_beside_the_day(app, services, line, typed):
    principal = line.user()
    fill_report(principal, when=typed)
    assert "เกิดเหตุ: 20 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in principal.last_text()
    principal.says("ยืนยัน")
    (case,) = cases(services)
    assert case.occurred_time_unknown and case.occurred_at.astimezone(BANGKOK).date().day == 20


def test_the_day_alone_can_be_picked_and_a_future_day_is_refused(app, services, line):
    principal = line.user()
    start_report(principal)
    principal.says("ไม่ทราบเวลาแน่ชัดค่ะ")  # no day given with it: the day is asked
    assert "เหตุเกิดขึ้นวันใด" in principal.last_text()
    principal.says("ค่ะ")
    assert "ยังไม่ได้ระบุวันเวลา" in principal.last_text() and "เหตุเกิดขึ้นวันใด" in principal.last_text()
    principal.says("พรุ่งนี้")
    assert "พรุ่งนี้" in principal.last_text() and "เหตุเกิดขึ้นวันใด" in principal.last_text()
    principal.taps("เลือกวันที่", picks="2026-11-19")
    assert principal.last_text().startswith("รับทราบ: 19 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)")


def test_editing_the_time_to_not_known_and_back(app, services, line):
    principal = line.user()
    fill_report(principal)
    principal.says("แก้ไข")
    principal.says("วันเวลาเกิดเหตุ")
    principal.says("ไม่ทราบเวลาแน่ชัด")
    principal.says("ยกเลิกการแก้ไข")  # nothing changed: the time typed before stays
    assert "เกิดเหตุ: 22 พฤศจิกายน 2569 เวลา 14.30 น." in principal.last_text()
    principal.says("แก้ไข")
    principal.says("วันเวลาเกิดเหตุ")
    principal.says("ไม่ทราบเวลาแน่ชัด")
    principal.says("วันนี้")
    assert "เกิดเหตุ: 22 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in principal.last_text()
    principal.says("แก้ไข")
    principal.says("วันเวลาเกิดเหตุ")
    principal.says("เมื่อวาน 9 โมง")
    assert "เกิดเหตุ: 21 พฤศจิกายน 2569 เวลา 9.00 น." in principal.last_text()
    principal.says("ยืนยัน")
    assert not cases(services)[0].occurred_time_unknown


def test_a_two_digit_year_of_either_era_is_asked_about(app, services, line):
    principal = line.user()
    start_report(principal)
    principal.says("22/11/26 14.30")  # 2526 is long past; 2026 is this year
    assert principal.last_text().startswith("หมายถึง 22 พฤศจิกายน 2569 เวลา 14.30 น. ใช่ไหม")
    assert principal.quick_reply_labels()[:2] == ["ใช่", "ไม่ใช่"]
    principal.taps("ไม่ใช่")
    assert "กรุณาพิมพ์ปี พ.ศ. เต็ม 4 หลัก" in principal.last_text() and "ข้อ 3" in principal.last_text()
    principal.says("21 พ.ย. 26 บ่ายสาม")
    assert "หมายถึง 21 พฤศจิกายน 2569 เวลา 15.00 น. ใช่ไหม" in principal.last_text()
    principal.says("1")  # the listed number of "ใช่"
    assert principal.last_text().startswith("รับทราบ: 21 พฤศจิกายน 2569 เวลา 15.00 น.\n\nข้อ 4")


def test_a_two_digit_year_of_one_era_is_read_at_once_and_a_day_alone_is_asked_too(app, services, line):
    principal = line.user()
    fill_report(principal, when=["22 พ.ย. 69 บ่ายสาม"])
    assert "เกิดเหตุ: 22 พฤศจิกายน 2569 เวลา 15.00 น." in principal.last_text()
    principal.says("ยกเลิก")
    fill_report(principal, when=["ไม่ทราบเวลาแน่ชัด", "20/11/26", "ใช่"])
    assert "เกิดเหตุ: 20 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in principal.last_text()


def test_the_understood_date_is_said_back_at_once(app, services, line):
    principal = line.user()
    start_report(principal)
    principal.says("บ่ายสาม")
    reply = principal.last_text()
    assert reply.startswith("รับทราบ: 22 พฤศจิกายน 2569 เวลา 15.00 น.\n\nข้อ 4")


@pytest.mark.parametrize("typed, says", [
    ("วันนี้ 14.30 ที่ห้องสมุด", 'ยังไม่เข้าใจส่วน "ที่ห้องสมุด"'),
    ("เมื่อวาน", "กรุณาระบุเวลาที่เกิดเหตุด้วย เช่น เมื่อวาน 16.00"),
    ("31/11/2569 9.00", "ไม่มีวันที่ 31 ในเดือนพฤศจิกายน 2569"),
    ("วันนี้ 25.00", "ไม่มีเวลา 25.00"),
    ("22/11/2569 17.00", "เวลาที่ระบุยังไม่ถึง"),
])
def test_a_refusal_says_which_part_was_not_understood_and_asks_again(app, services, line, typed, says):
    principal = line.user()
    start_report(principal)
    principal.says(typed)
    reply = principal.last_text()
    assert says in reply and "ข้อ 3 เหตุเกิดขึ้นเมื่อใด" in reply and "ไม่ทราบเวลาแน่ชัด" in reply


@pytest.mark.parametrize("hour", range(24))
def test_every_example_in_the_question_is_valid_at_every_hour(hour):
    now = datetime(2026, 12, 2, hour, 7, tzinfo=BANGKOK)
    question = say("ask_occurred_at", editing=False, **occurred_values(SimpleNamespace(now=now)))
    examples = [line[2:] for line in question.splitlines() if line.startswith("• ")]
    assert len(examples) == 3
    for example in examples:
        parsed = parse_datetime(example, now)
        assert parsed <= now and now - parsed < timedelta(days=2), example


def test_the_group_notice_shows_an_unknown_time_as_approximate(database_url, line, clock, tmp_path):
    from app import create_app
    from tests.conftest import connect, make_settings
    from tests.test_groups import GROUP, register_by_code

    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"),
                             group_notice_fields=("occurred_at",))
    application = create_app(settings, clock=clock)
    connect(line, application)
    services = application.extensions["ccpc"]
    register_by_code(services, line, line.user())
    file_report(line.user(), when=["ไม่ทราบเวลาแน่ชัด", "วันนี้"])
    assert "เกิดเหตุ: 22 พฤศจิกายน 2569 (ไม่ทราบเวลาแน่ชัด)" in line.messages_to(GROUP)[-1]["text"]
    services.db.dispose()


def test_the_fund_counts_its_24_hours_from_the_end_of_a_day_whose_time_is_not_known(app, services, line):
    principal = line.user()
    file_report(principal, when=["ไม่ทราบเวลาแน่ชัด", "เมื่อวาน"])  # 21 พ.ย.; it is now 22 พ.ย. 16.00
    notice = principal.last_text()
    assert "ภายใน 23 พฤศจิกายน 2569 เวลา 0.00 น." in notice and "ล่าช้า" not in notice


def test_a_date_typed_instead_of_yes_or_no_is_a_new_answer(app, services, line):
    principal = line.user()
    start_report(principal)
    principal.says("22/11/26 9.00")
    principal.says("22/11/2569 9.30")
    assert principal.last_text().startswith("รับทราบ: 22 พฤศจิกายน 2569 เวลา 9.30 น.\n\nข้อ 4")
