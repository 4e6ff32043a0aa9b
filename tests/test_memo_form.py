"""The memo as the regulation lays it out: marks, emblem, digits, empty fields, number and issue date."""
from __future__ import annotations

import dataclasses
import io
import re

from PIL import Image
from pypdf import PdfReader

from bench.render_samples import sample_memo
from bot.paperwork.documents.memo import render_memo
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, file_report
from tests.test_documents import joined, page_texts, plain, poppler_text

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def memo(**changes) -> bytes:
    return render_memo(dataclasses.replace(sample_memo(photos=0), **changes))


def lines_of(pdf: bytes) -> list[str]:
    return [line.strip() for line in plain(pdf).split("\n") if line.strip()]


# ------------------------------------------------------------------- rendering

def test_empty_fields_print_nothing():
    pdf = memo(source_phone="", initial_help="  ", reporter_position="", reporter_phone="", province="")
    text = joined(plain(pdf))
    assert "โทร" not in text and " -" not in text and "ตำแหน่ง" not in text
    assert "โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น" not in text
    assert "๒. ที่มาแหล่งข้อมูล นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)" in text  # the sections are numbered on
    assert "๓. ผู้รายงาน" in text and "จังหวัด" not in text


def test_province_ends_the_reporter_line():
    text = joined(plain(memo(province="ตัวอย่าง")))
    assert "โรงเรียนบ้านหนองตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง  โทร ๐๘x-xxx-๕๖๗๘" in text


def test_one_digit_style_throughout():
    thai = plain(memo(doc_number="ศธ 04123/456"))
    assert not re.search(r"[0-9]", thai), re.findall(r".{5}[0-9].{5}", thai)
    assert "วันที่ ๒๒ พฤศจิกายน ๒๕๖๙" in thai and "ที่ ศธ ๐๔๑๒๓/๔๕๖" in thai
    arabic = plain(memo(doc_number="ศธ 04123/456", digits="arabic", facts="นักเรียนชั้น ป.๕ จำนวน ๒ คน"))
    assert not any(d in arabic for d in THAI_DIGITS)
    assert "ป.5 จำนวน 2 คน" in arabic and "วันที่ 22 พฤศจิกายน 2569" in arabic


def test_document_number_from_the_register_or_left_to_fill_in():
    assert "ที่ ศธ ๐๔๑๒๓/๔๕๖ " in plain(memo(doc_number="ศธ 04123/456"))
    assert "ที่ ศธ ๐๔๙๙๙/๗๘ " in plain(memo(doc_number="78"))
    assert "ที่ ศธ ๐๔๙๙๙/ " in plain(memo(doc_number=None))


def test_secrecy_on_every_page_and_urgency_above_the_heading():
    data = dataclasses.replace(sample_memo(photos=2), secrecy="ลับ", urgency="ด่วนที่สุด")
    pdf = render_memo(data)
    pages = poppler_text(pdf).split("\f")[:-1]
    assert len(pages) == len(page_texts(pdf)) == 2
    for page in pages:
        assert page.split("\n").count("ลับ") == 2, page[:200]  # top and bottom centre
    first = pages[0].split("\n")
    assert first.index("ด่วนที่สุด") < first.index("บันทึกข้อความ")
    assert first.index("ลับ") < first.index("บันทึกข้อความ")
    assert "ด่วนที่สุด" not in pages[1]


def test_no_marks_when_none_apply():
    text = plain(memo())
    assert "ลับ" not in text.split("\n") and "ด่วน" not in text


def test_emblem_is_the_offices_file_when_set(tmp_path):
    emblem = tmp_path / "garuda.png"
    Image.new("RGB", (300, 340), "black").save(emblem)
    page = PdfReader(io.BytesIO(memo(emblem_path=str(emblem)))).pages[0]
    assert len(page.images) == 1
    image = page.images[0].image
    assert abs(image.height / image.width - 340 / 300) < 0.01
    assert len(PdfReader(io.BytesIO(memo(emblem_path=str(tmp_path / "missing.png")))).pages[0].images) == 0


def test_khet_and_its_number_never_split_across_lines():
    for length in range(0, 60, 3):
        facts = "ก" * 0 + "นักเรียน" * (length // 8) + "ไปเล่นน้ำ" * 3 + " สพป.ตัวอย่าง เขต 5 แจ้งว่า" * 4
        for line in lines_of(memo(facts=facts)):
            assert not line.endswith("เขต") and not line.startswith("๕"), line


# ------------------------------------------------------------------- from LINE

def test_sexual_abuse_memo_is_secret_and_officers_change_the_marks(app, services, line, tmp_path):
    officer = add_officer(services, line)
    file_report(line.user(), category="ถูกล่วงละเมิดทางเพศ")
    out = tmp_path / "memo.pdf"

    def printed() -> str:
        result = app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)])
        assert result.exit_code == 0, result.output
        return poppler_text(out.read_bytes())  # marks on one line apart, as poppler reads them

    assert "ลับ" in printed().split("\n")
    officer.says("ชั้นความลับ 0001/2569 ลับมาก")
    assert "ลับมาก" in officer.last_text()
    officer.says("ความเร่งด่วน 0001/2569 ด่วนที่สุด")
    officer.says("เลขที่หนังสือ 0001/2569 ศธ 04123/456")
    assert "ศธ 04123/456" in officer.last_text()
    text = printed()
    assert "ลับมาก" in text.split("\n") and "ด่วนที่สุด" in text.split("\n")
    assert "ที่ ศธ ๐๔๑๒๓/๔๕๖" in text
    officer.says("ชั้นความลับ 0001/2569 ไม่มี")
    officer.says("ความเร่งด่วน 0001/2569 ด่วนเลย")
    assert "ด่วน, ด่วนมาก, ด่วนที่สุด" in officer.last_text()
    text = printed()
    assert not {"ลับ", "ลับมาก"} & set(text.split("\n")) and "ด่วนที่สุด" in text.split("\n")


def test_marks_are_for_officers_only(app, services, line):
    principal = line.user()
    file_report(principal)
    principal.says("ชั้นความลับ 0001/2569 ไม่มี")
    assert "เจ้าหน้าที่" in principal.last_text()


def test_reprint_carries_the_first_issue_date(database_url, line, clock, tmp_path):
    from app import create_app

    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"), province="ตัวอย่าง")
    application = create_app(settings, clock=clock)
    connect(line, application)
    file_report(line.user())
    out = tmp_path / "memo.pdf"
    runner = application.test_cli_runner()
    assert runner.invoke(args=["cases", "memo", "1/2569", "-o", str(out)]).exit_code == 0
    first = plain(out.read_bytes())
    assert "วันที่ ๒๒ พฤศจิกายน ๒๕๖๙" in first and "จังหวัดตัวอย่าง" in joined(first), first
    clock.advance(days=3)
    assert runner.invoke(args=["cases", "memo", "1/2569", "-o", str(out)]).exit_code == 0
    again = plain(out.read_bytes())
    assert "วันที่ ๒๒ พฤศจิกายน ๒๕๖๙" in again and "๒๕ พฤศจิกายน" not in again
    application.extensions["ccpc"].db.dispose()
