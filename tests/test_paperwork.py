"""The office's paperwork from real cases: the memo, the summary, and the student aid fund in chat."""
from __future__ import annotations

import csv
import io

import docx
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import select

from app import create_app
from bot.fund import aid as fund
from bot.paperwork import case_documents as paperwork
from bot.paperwork.documents.blocks import texts
from bot.paperwork.documents.memo_docx import memo_document
from bot.paperwork.documents.word import CONTENT_TYPE as DOCX
from bot.paperwork.monthly_report import push_if_due
from models import Case, FundRequest
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, cases, file_report
from tests.test_documents import flat, page_texts, plain
from tests.test_word_files import docx_lines, fonts_declared


def test_memo_from_the_command_line_has_the_form_and_the_photos(app, services, line, tmp_path):
    file_report(line.user(), photos=3)
    out = tmp_path / "memo.pdf"
    result = app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    text = flat(plain(pdf))
    for expected in ("บันทึกข้อความ", "ส่วนราชการ", "รายงานนักเรียนประสบอุบัติเหตุ", "๐๐๐๑/๒๕๖๙",
                     "สรุปเหตุการณ์ข้อเท็จจริง", "พลัดตกสระน้ำ", "การช่วยเหลือเบื้องต้น", "ที่มาแหล่งข้อมูล",
                     "นางสาวสมมุติทดสอบ", "ผู้รายงาน", "นายตัวอย่างใจดี", "โรงเรียนบ้านหนองตัวอย่าง",
                     "๒๒พฤศจิกายน๒๕๖๙", "ผู้อำนวยการ"):
        assert expected in text, expected
    assert len(page_texts(pdf)) >= 3  # the memo, then two photos a page
    assert "ภาพประกอบเหตุการณ์" in flat(page_texts(pdf)[-1])
    assert app.test_cli_runner().invoke(args=["cases", "memo", "99/2569"]).exit_code != 0


def test_memo_as_a_word_file_from_the_command_line_has_the_same_paragraphs(app, services, line, tmp_path):
    file_report(line.user(), photos=2)
    out = tmp_path / "memo.docx"
    result = app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    lines = docx_lines(raw)
    with services.db.session() as session:
        case = session.scalars(select(Case)).one()
        expected = texts(memo_document(paperwork.memo_data(session, case, services.settings, services.now())))
    assert [line_ for line_ in lines if line_ in expected] == expected
    for paragraph in ("บันทึกข้อความ", "๔. ผู้รายงาน", "จึงเรียนมาเพื่อโปรดทราบและพิจารณา", "นายตัวอย่าง ใจดี"):
        assert paragraph in lines or any(paragraph in line_ for line_ in lines), paragraph
    assert any(line_.startswith("๑. สรุปเหตุการณ์ข้อเท็จจริง เมื่อวันที่ ๒๒ พฤศจิกายน ๒๕๖๙") for line_ in lines)
    assert any("พลัดตกสระน้ำ" in line_ for line_ in lines)
    assert len(docx.Document(io.BytesIO(raw)).inline_shapes) == 2  # the photos
    assert not any(ch in "".join(lines) for ch in "\u200b\u200c\u2060\ufeff")
    fonts_declared(raw)
    pdf = app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "--format", "docx", "-o", str(tmp_path / "m")])
    assert pdf.exit_code == 0 and (tmp_path / "m").read_bytes()[:2] == b"PK"


def test_documents_in_line_need_a_public_address(app, services, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.says("เอกสาร 0001/2569")
    assert "PUBLIC_BASE_URL" not in officer.last_text() and "ผู้ดูแลระบบ" in officer.last_text()


def test_document_links_in_line_are_signed_and_expire(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"),
                             public_base_url="https://ccpc.example.test")
    application = create_app(settings, clock=clock)
    client = connect(line, application)
    services = application.extensions["ccpc"]
    officer = add_officer(services, line)
    file_report(line.user())
    officer.says("เอกสาร 0001/2569")
    url = next(w for w in officer.last_text().split() if w.startswith("https://"))
    local = urlsplit(url).path + "?" + urlsplit(url).query
    response = client.get(local)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "๐๐๐๑/๒๕๖๙" in flat(plain(response.data))  # the memo's digits are Thai
    word_url = next(w for w in officer.last_text().split() if w.startswith("https://") and ".docx?" in w)
    word = client.get(urlsplit(word_url).path + "?" + urlsplit(word_url).query)
    assert word.status_code == 200 and word.mimetype == DOCX
    assert 'attachment; filename="memo-0001-2569.docx"' == word.headers["Content-Disposition"]
    assert "เรียน  " + services.settings.director_title in docx_lines(word.data)
    assert client.get(urlsplit(word_url).path.replace(".docx", ".pdf") + "?" + urlsplit(word_url).query) \
        .status_code == 403  # each link opens its own file only
    assert client.get(local.replace("/memo/1.pdf", "/memo/2.pdf")).status_code == 403
    clock.advance(hours=73)
    expired = client.get(local)
    assert expired.status_code == 410 and "หมดอายุ" in expired.get_data(as_text=True)
    services.db.dispose()


def test_monthly_summary_counts_the_months_work(app, services, clock, line, tmp_path):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)  # accident, taken after 10 minutes, referred to the police
    clock.advance(minutes=10)
    officer.says("รับเรื่อง 0001/2569")
    officer.says("ส่งต่อ 0001/2569")
    officer.taps("ตำรวจ")
    officer.says("สภ.เมืองตัวอย่าง 080-000-0000")
    clock.advance(minutes=1)
    file_report(principal, first_time=False)  # taken after 30 minutes: overdue
    clock.advance(minutes=30)
    officer.says("รับเรื่อง 0002/2569")
    out, sheet = tmp_path / "s.pdf", tmp_path / "s.csv"
    result = app.test_cli_runner().invoke(args=["reports", "monthly", "2569-11", "-o", str(out), "--csv", str(sheet)])
    assert result.exit_code == 0, result.output
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["หมวด", "รายการ", "จำนวน", "หน่วย"] in rows
    assert ["ภาพรวม", "เรื่องที่รับแจ้งทั้งหมด", "2", "เรื่อง"] in rows
    assert ["ภาพรวม", "ระยะเวลาตั้งแต่รับแจ้งจนเจ้าหน้าที่รับเรื่อง (มัธยฐาน)", "20.0", "นาที"] in rows
    assert ["ภาพรวม", "เรื่องที่เกินกำหนดเวลา", "1", "เรื่อง"] in rows
    assert ["ประเภทเหตุการณ์", "เกิดอุบัติเหตุ", "2", "เรื่อง"] in rows
    assert ["อำเภอ", "เมืองตัวอย่าง", "2", "เรื่อง"] in rows
    assert any(r[:3] == ["การส่งต่อหน่วยงาน", "สถานีตำรวจ", "1"] for r in rows)
    assert "เดือนพฤศจิกายน2569" in flat(plain(out.read_bytes()))
    word = app.test_cli_runner().invoke(args=["reports", "monthly", "2569-11", "--format", "docx",
                                              "-o", str(tmp_path / "s.docx")])
    assert word.exit_code == 0, word.output
    lines = docx_lines((tmp_path / "s.docx").read_bytes())
    assert "เดือนพฤศจิกายน 2569" in lines and "เกิดอุบัติเหตุ" in lines and "เกิดโรคติดต่อ" in lines
    empty = app.test_cli_runner().invoke(args=["reports", "monthly", "2570", "-o", str(tmp_path / "fy.pdf")])
    assert empty.exit_code == 0 and "ปีงบประมาณ 2570" in empty.output
    assert app.test_cli_runner().invoke(args=["reports", "monthly", "2569-13"]).exit_code != 0


def test_monthly_summary_is_pushed_to_supervisors_once(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"), monthly_report_enabled=True)
    application = create_app(settings, clock=clock)
    services = application.extensions["ccpc"]
    line.deliver = lambda body, sig: 200
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    officer = add_officer(services, line)
    clock.set(datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc))  # 07:30 on 1 Dec in Bangkok: too early
    assert push_if_due(services) is False
    clock.advance(hours=1)
    assert push_if_due(services) is True
    assert push_if_due(services) is False
    services.send_outbox()
    assert "เดือนพฤศจิกายน 2569" in boss.last_text()
    assert officer.messages() == []
    services.db.dispose()


# ---- the student aid fund -------------------------------------------------------------------

def ask_fund(principal, student="ด.ช. ก.", grade="ป.5", item="1", method="เงินสด", tap=True):
    principal.taps("ขอรับเงินกองทุน") if tap else principal.says("กองทุน")
    principal.says(student)
    principal.says(grade)
    principal.says(item)
    principal.says(method)
    principal.taps("ยืนยัน")


def test_an_accident_case_offers_the_fund_with_its_24_hour_deadline(app, services, line):
    principal = line.user()
    file_report(principal)
    offer = principal.last_text()
    assert "กองทุนช่วยเหลือนักเรียน" in offer and "ประสบอุบัติเหตุจนเสียชีวิต (5,000 บาท)" in offer
    assert "23 พฤศจิกายน 2569 เวลา 14.30 น." in offer  # 24 hours after the incident


def test_categories_the_fund_does_not_cover_are_not_offered(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("ยาเสพติด")
    principal.taps("ใช้เรื่องที่แนะนำ")
    principal.says("วันนี้ 10:00")
    for answer in ("ข้อเท็จจริง", "ข้าม", "ผู้รายงานเอง", "นายทดสอบ ระบบ", "ครู", "โรงเรียนทดสอบ",
                   "เมืองตัวอย่าง", "0812345678", "ข้าม", "ยืนยัน"):
        principal.says(answer)
    assert "เลขที่รับเรื่อง 0001/2569" in principal.last_text()
    principal.says("กองทุน")
    assert "ยังไม่มีเรื่องที่ท่านรายงานซึ่งเข้าหลักเกณฑ์" in principal.last_text()


def test_eligibility_per_category_follows_the_schedule():
    from types import SimpleNamespace

    settings = SimpleNamespace(fund_schedule_path="")
    keys = {c: [i.key for i in fund.eligible_items(SimpleNamespace(category=c), settings)]
            for c in ("accident", "sexual_abuse", "violence", "disease", "drugs", "pregnancy", "unfair", "other")}
    assert keys["accident"] == ["accident_death", "accident_disability"]
    assert keys["sexual_abuse"] == ["other_sexual_abuse"]
    assert "other_maltreatment" in keys["violence"] and "other_abandoned" in keys["violence"]
    assert keys["disease"] == ["other_serious_illness"]
    assert keys["drugs"] == keys["pregnancy"] == keys["unfair"] == []
    assert "disaster_home_100" in keys["other"]


def test_a_principal_asks_the_fund_and_follows_every_step(app, services, clock, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    ask_fund(principal, item="2", method="โอนเข้าบัญชีธนาคาร")
    assert "ยื่นคำขอเงินกองทุนแล้ว" in principal.last_text() and "4,000 บาท" in principal.last_text()
    (request,) = _requests(services)
    assert (request.item_key, request.amount_baht, request.payment_method, request.status, request.late) == \
        ("accident_disability", 4000, "transfer", "requested", False)
    assert "คำขอเงินกองทุนใหม่" in officer.last_text()

    officer.says("กองทุน")
    assert "ด.ช. ก." in officer.last_text() and "รอเสนอคณะกรรมการ" in officer.last_text()
    officer.taps(f"คำขอ {request.id}")
    officer.taps("เสนอกรรมการ")
    assert "เสนอคณะกรรมการกองทุนพิจารณาแล้ว" in principal.last_text()
    officer.says("กองทุน")
    officer.taps(f"คำขอ {request.id}")
    officer.taps("อนุมัติ")
    assert "ได้รับอนุมัติแล้ว จำนวน 4,000 บาท" in principal.last_text()
    officer.says("กองทุน")
    officer.taps(f"คำขอ {request.id}")
    officer.taps("จ่ายเงินแล้ว")
    officer.says("พรุ่งนี้")
    assert "จ่ายเงินวันที่ใด" in officer.last_text() and "วันนี้" in officer.quick_reply_labels()
    assert _requests(services)[0].status == "approved"
    officer.taps("วันนี้")
    assert "จ่ายเงินกองทุน" in principal.last_text() and "22 พฤศจิกายน 2569" in principal.last_text()
    assert _requests(services)[0].status == "paid"
    officer.says("กองทุน")
    assert "ไม่มีคำขอเงินกองทุนที่รอดำเนินการ" in officer.last_text()


def test_a_refusal_carries_its_reason_to_the_principal(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    ask_fund(principal)
    officer.taps("ดูคำขอ")
    officer.taps("เสนอกรรมการ")
    officer.says("กองทุน")
    officer.taps(f"คำขอ {_requests(services)[0].id}")
    officer.taps("ไม่อนุมัติ")
    officer.says("ไม่เข้าหลักเกณฑ์ข้อ 3")
    assert "ไม่ได้รับอนุมัติ" in principal.last_text() and "ไม่เข้าหลักเกณฑ์ข้อ 3" in principal.last_text()


def test_amounts_come_from_the_schedule_and_a_second_request_is_refused(app, services, line):
    principal = line.user()
    file_report(principal)
    principal.taps("ขอรับเงินกองทุน")
    principal.says("ด.ญ. ข.")
    principal.says("ป.3")
    principal.says("9999")  # no such item: amounts are never typed
    assert "กรุณาแตะหรือพิมพ์หมายเลข 1–2" in principal.last_text()
    principal.says("ยกเลิก")
    assert "ยกเลิกการยื่นคำขอ" in principal.last_text()
    ask_fund(principal, student="ด.ญ. ข.", tap=False)
    principal.says("กองทุน")
    principal.says("ด.ญ.ข.")  # the same student, typed a little differently
    principal.says("ป.3")
    principal.says("1")
    principal.says("เงินสด")
    principal.taps("ยืนยัน")
    assert "ยื่นซ้ำไม่ได้" in principal.last_text()
    assert len(_requests(services)) == 1


def test_principals_are_reminded_before_the_24_hour_window_closes(app, services, clock, line):
    principal = line.user()
    file_report(principal)  # happened 14:30, filed 16:00 on 22 Nov
    clock.set(datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc))  # 13:00 on 23 Nov: 1.5 hours left
    assert fund.remind_before_deadline(services) == 1
    assert fund.remind_before_deadline(services) == 0
    services.send_outbox()
    assert "กรุณายื่นคำขอภายใน 23 พฤศจิกายน 2569 เวลา 14.30 น." in principal.last_text()
    second = line.user()
    file_report(second, when="วันนี้ 10:00")
    ask_fund(second)
    assert fund.remind_before_deadline(services) == 0  # asked already: no reminder


def test_an_incident_whose_time_is_unknown_is_reminded_before_its_own_deadline(app, services, clock, line):
    principal = line.user()
    file_report(principal, when=["ไม่ทราบเวลาแน่ชัด", "วันนี้"])  # 22 Nov, time unknown: until 24 Nov 00:00
    clock.set(datetime(2026, 11, 22, 14, 0, tzinfo=timezone.utc))  # 21:00 on 22 Nov: more than a day left
    assert fund.remind_before_deadline(services) == 0
    clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc))  # 21:00 on 23 Nov: 3 hours left
    assert fund.remind_before_deadline(services) == 1
    services.send_outbox()
    assert "กรุณายื่นคำขอภายใน 24 พฤศจิกายน 2569 เวลา 0.00 น." in principal.last_text()
    clock.set(datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc))  # past it: no reminder
    assert fund.remind_before_deadline(services) == 0


def test_a_late_request_is_accepted_and_marked_on_the_form(app, services, clock, line, tmp_path):
    principal = line.user()
    file_report(principal, when="เมื่อวาน 9 โมง")  # more than 24 hours ago
    assert "ซึ่งเลยมาแล้ว" in principal.last_text()
    ask_fund(principal)
    assert _requests(services)[0].late is True
    out = tmp_path / "fund.pdf"
    result = app.test_cli_runner().invoke(args=["fund", "form", str(_requests(services)[0].id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = flat(plain(out.read_bytes()))
    assert "ยื่นเกินกำหนด๒๔ชั่วโมง" in text and "จึงเสนอให้คณะกรรมการพิจารณาเป็นกรณีไป" in text


def test_the_fund_request_form_renders_from_the_command_line(app, services, line, tmp_path):
    principal = line.user()
    file_report(principal)
    ask_fund(principal)
    out = tmp_path / "fund.pdf"
    result = app.test_cli_runner().invoke(args=["fund", "form", str(_requests(services)[0].id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = flat(plain(out.read_bytes()))
    assert "ขอรับความช่วยเหลือจากกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน" in text
    assert "ห้าพันบาทถ้วน" in text and "ด.ช.ก." in text and "0001/2569" in text
    assert "ด้วยข้าพเจ้านายตัวอย่างใจดี" in text and "เกินกำหนด" not in text and "สถานะ" not in text
    word = tmp_path / "fund.docx"
    result = app.test_cli_runner().invoke(args=["fund", "form", str(_requests(services)[0].id), "-o", str(word)])
    assert result.exit_code == 0, result.output
    lines = docx_lines(word.read_bytes())
    assert "เรื่อง  ขอรับความช่วยเหลือจากกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน" in lines
    assert "(นายตัวอย่าง ใจดี)" in lines and "☐ อนุมัติ      ☐ ไม่อนุมัติ" in lines


def _requests(services) -> list[FundRequest]:
    with services.db.session() as session:
        return list(session.scalars(select(FundRequest).order_by(FundRequest.id)))
