"""The editable Word copies (.docx): read back with python-docx, paragraph by paragraph."""
from __future__ import annotations

import io

import docx

from bench.render_samples import sample_memo, sample_photo
from bot.paperwork.documents.blocks import texts
from bot.paperwork.documents.memo_docx import memo_document, render_memo_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_lines(raw: bytes) -> list[str]:
    """Every paragraph of a .docx, table cells included, in reading order (read back with python-docx)."""
    document = docx.Document(io.BytesIO(raw))
    return [p.text for p in _paragraphs(document.element.body, document)]


def _paragraphs(element, parent):
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == f"{W}p":
            yield Paragraph(child, parent)
        elif child.tag == f"{W}tbl":
            for row in Table(child, parent).rows:
                for cell in row.cells:
                    yield from _paragraphs(cell._tc, cell)


def fonts_declared(raw: bytes) -> None:
    """The Word file declares TH SarabunPSK for Thai (complex script) and Latin text, at 16 pt."""
    document = docx.Document(io.BytesIO(raw))
    props = document.styles["Normal"].element.rPr
    fonts = props.find(f"{W}rFonts")
    assert {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "cs")} == {"TH SarabunPSK"}
    assert props.find(f"{W}szCs").get(f"{W}val") == "32" and props.find(f"{W}sz").get(f"{W}val") == "32"
    assert props.find(f"{W}lang").get(f"{W}bidi") == "th-TH"
    section = document.sections[0]
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.right_margin.cm, 1) == 2.0
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_memo_word_file_has_the_memos_paragraphs_marks_and_photos(tmp_path):
    data = sample_memo()
    data.secrecy, data.urgency, data.province = "ลับ", "ด่วนที่สุด", "ตัวอย่าง"
    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(sample_photo("gold", (300, 330), "PNG"))
    data.emblem_path = str(emblem)
    raw = render_memo_docx(data)
    lines = docx_lines(raw)
    expected = texts(memo_document(data))
    assert [line for line in lines if line in expected] == expected
    assert lines[:3] == ["ลับ", "ด่วนที่สุด", "\tบันทึกข้อความ"]  # the marks above the emblem and heading
    for paragraph in (
        "ส่วนราชการ  ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สพป.ตัวอย่าง เขต ๙",
        "ที่  ศธ ๐๔๙๙๙/\tวันที่  ๒๒ พฤศจิกายน ๒๕๖๙", "เรื่อง  รายงานนักเรียนประสบเหตุจมน้ำ",
        "๑. สรุปเหตุการณ์ข้อเท็จจริง เมื่อวันที่ ๒๒ พฤศจิกายน ๒๕๖๙ เวลาประมาณ ๑๔.๓๐ น.",
        "๒. โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น",
        "๓. ที่มาแหล่งข้อมูล นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)  โทร ๐๘x-xxx-๑๒๓๔",
        "นางสาวมาลี ตัวอย่าง  ตำแหน่ง ผู้อำนวยการโรงเรียน",
        "โรงเรียนบ้านหนองตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง  โทร ๐๘x-xxx-๕๖๗๘",
        "หมายเหตุ  แนบภาพเหตุการณ์ประกอบ จำนวน ๒ ภาพ", "จึงเรียนมาเพื่อโปรดทราบและพิจารณา",
        "(นางสาวมาลี ตัวอย่าง)", "ภาพประกอบเหตุการณ์ เรื่องเลขที่ ๐๐๐๑/๒๕๖๙", "ภาพที่ ๑", "ภาพที่ ๒",
    ):
        assert paragraph in lines, paragraph
    assert lines[6].startswith("เรียน  ผู้อำนวยการ") and "จำนวน ๑ คน" in "".join(lines)
    assert not any(ch in "".join(lines) for ch in "\u200b\u200c\u2060\ufeff")
    document = docx.Document(io.BytesIO(raw))
    assert len(document.inline_shapes) == 3  # the emblem and two photos
    assert round(document.inline_shapes[0].height.cm, 1) == 1.5
    mark = document.paragraphs[1].runs[0]
    assert mark.font.color.rgb == docx.shared.RGBColor(0xC8, 0, 0) and mark.font.bold
    fonts_declared(raw)


def test_memo_word_file_leaves_out_empty_fields_and_follows_the_digit_setting():
    data = sample_memo(photos=0)
    data.source_phone, data.initial_help, data.reporter_phone = "", "", ""
    data.digits = "arabic"
    lines = docx_lines(render_memo_docx(data))
    assert "๓. ที่มาแหล่งข้อมูล นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)" not in lines  # Arabic digits throughout
    assert "3. ที่มาแหล่งข้อมูล นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)" in lines
    assert "โรงเรียนบ้านหนองตัวอย่าง อำเภอเมืองตัวอย่าง" in lines
    assert not any("โทร" in line for line in lines) and "-" not in lines
    assert lines[lines.index("2. โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น") + 1].startswith("3.")
    assert not any("แนบภาพ" in line or "ภาพที่" in line for line in lines)


def test_memo_word_file_gives_the_day_only_when_the_time_was_not_known():
    data = sample_memo(photos=0)
    data.occurred_time_known = False  # a MemoData field of the memo's text-layer work; read with a default
    lines = docx_lines(render_memo_docx(data))
    assert "๑. สรุปเหตุการณ์ข้อเท็จจริง เมื่อวันที่ ๒๒ พฤศจิกายน ๒๕๖๙ (ไม่ทราบเวลาแน่ชัด)" in lines
    assert not any("เวลาประมาณ" in line for line in lines)
