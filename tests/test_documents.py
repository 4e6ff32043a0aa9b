"""The PDF/CSV documents, rendered from invented data and read back as text."""
from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from bench.render_samples import (
    render_pngs,
    sample_fund_request,
    sample_memo,
    sample_photo,
    sample_summary,
)
from bot.paperwork.documents import render_fund_request, render_memo, render_summary_csv, render_summary_pdf
from bot.paperwork.documents.summary import CSV_HEADER
from bot.paperwork.documents.thai_text import ZWSP, break_thai

THAI = "\u0e01-\u0e7f"


def _used_codes(widths) -> set[int]:
    """Glyph codes listed in a CID font's /W array."""
    used, i = set(), 0
    while i < len(widths):
        start, nxt = int(widths[i]), widths[i + 1]
        if isinstance(nxt, list):
            used.update(range(start, start + len(nxt)))
            i += 2
        else:
            used.update(range(start, int(nxt) + 1))
            i += 3
    return used


def _phantoms(page) -> set[str]:
    """Characters pypdf invents for glyphs that have no ToUnicode entry.

    fpdf2 maps a shaped cluster's text to its first glyph only; Sarabun draws SARA AM (ำ) as
    two glyphs, and pypdf decodes the unmapped second one as chr(code).
    """
    out = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        mapped = {int(code, 16) for code in re.findall(r"^<([0-9A-F]{4})> <", cmap, re.MULTILINE)}
        widths = font["/DescendantFonts"][0].get_object()["/W"]
        out |= {chr(code) for code in _used_codes(widths) - mapped - {0}}
    return out


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, without break hints and pypdf's phantom characters."""
    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = page.extract_text()
        phantoms = _phantoms(page)
        if phantoms:
            text = re.sub(f"(?<=[{THAI}])[{re.escape(''.join(phantoms))}]", "", text)
        texts.append(text)
    return texts


def plain(pdf: bytes) -> str:
    """All pages' text, break hints removed."""
    return "\n".join(page_texts(pdf)).replace(ZWSP, "")


def flat(text: str) -> str:
    """Text without any whitespace: line breaks may fall between words or at spaces alike."""
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------- memo

def test_memo_shows_every_field_with_marks_intact():
    data = sample_memo()
    text = plain(render_memo(data))
    one_line = flat(text)
    for expected in (
        "บันทึกข้อความ", "ส่วนราชการ", data.office_name, "ที่ ศธ 04999/", "วันที่ 22 พฤศจิกายน 2569",
        "เรื่อง รายงานนักเรียนประสบเหตุจมน้ำ", "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
        "๑. สรุปเหตุการณ์ข้อเท็จจริง เมื่อวันที่ 22 พฤศจิกายน 2569 เวลาประมาณ 14.30 น.",
        "๒. โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น", "๓. ที่มาแหล่งข้อมูล นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)",
        "โทร 08x-xxx-1234", "๔. ผู้รายงาน", "นางสาวมาลี ตัวอย่าง", "โรงเรียนบ้านหนองตัวอย่าง",
        "อำเภอเมืองตัวอย่าง", "โทร 08x-xxx-5678", "เรื่องเลขที่ 0001/2569", "เกิดอุบัติเหตุ",
        "จึงเรียนมาเพื่อโปรดทราบและพิจารณา", "(นางสาวมาลี ตัวอย่าง)", "ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง",
        "ผู้อำนวยการ", "เจ้าหน้าที่", "ข้อเท็จจริง", "น้ำลึก", "ปฐมพยาบาล", "ผู้ปกครอง",
    ):
        assert flat(expected) in one_line, expected
    assert flat(data.facts) in one_line
    assert flat(data.initial_help) in one_line


def test_memo_lines_break_between_words_only():
    data = sample_memo(photos=0)
    data.facts = (data.facts + " ") * 3
    lines = [line.strip() for line in page_texts(render_memo(data))[0].split("\n")]
    first = next(i for i, line in enumerate(lines) if "เวลาประมาณ" in line.replace(ZWSP, "")) + 1
    last = next(i for i, line in enumerate(lines) if line.startswith("๒."))
    fact_lines = lines[first:last]
    assert len(fact_lines) >= 8
    words = {re.sub(f"[^{THAI}]", "", w) for w in re.split(f"[{ZWSP}\\s]", break_thai(data.facts))}
    for line in fact_lines:
        pieces = re.split(f"[{ZWSP} ]", line)
        for piece in (pieces[0], pieces[-1]):
            thai = re.sub(f"[^{THAI}]", "", piece)
            assert not thai or thai in words, f"{piece!r} is not a whole word: {line!r}"


def test_memo_photos_come_two_to_a_page():
    data = sample_memo(photos=0)
    assert len(PdfReader(io.BytesIO(render_memo(data))).pages) == 1
    data.photos = [sample_photo("steelblue"), sample_photo("teal", (900, 1200), "PNG"), sample_photo("gray")]
    pdf = render_memo(data)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    assert [len(page.images) for page in reader.pages] == [0, 2, 1]
    texts = [t.replace(ZWSP, "") for t in page_texts(pdf)]
    assert "ภาพประกอบเหตุการณ์ เรื่องเลขที่ 0001/2569" in texts[1]
    assert "ภาพที่ ๓" in texts[2] and "- ๓ -" in texts[2]
    assert flat("แนบภาพเหตุการณ์ประกอบ จำนวน ๓ ภาพ") in flat(texts[0])


def test_memo_without_photos_has_no_photo_page():
    text = plain(render_memo(sample_memo(photos=0)))
    assert "ภาพประกอบเหตุการณ์" not in text and "แนบภาพ" not in text


def test_unreadable_photo_is_noted_not_fatal():
    data = sample_memo(photos=0)
    data.photos = [b"not an image", sample_photo()]
    pdf = render_memo(data)
    assert "ภาพที่ ๑ ไม่สามารถแสดงได้" in plain(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages[1].images) == 1


def test_memo_time_is_bangkok_time_and_number_may_be_filled_in():
    data = sample_memo(photos=0)
    data.occurred_at = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
    data.doc_number = "1234"
    data.addressee = "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    one_line = flat(plain(render_memo(data)))
    assert flat("เวลาประมาณ 14.30 น.") in one_line
    assert flat("ที่ ศธ 04999/1234") in one_line
    assert flat("เรียน เรียน") not in one_line


def test_long_memo_flows_onto_numbered_pages():
    data = sample_memo(photos=0)
    data.facts = "\n".join([data.facts] * 8)
    pdf = render_memo(data)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    assert "- ๒ -" in texts[1]
    assert "จึงเรียนมาเพื่อโปรดทราบและพิจารณา" in texts[-1].replace(ZWSP, "")


# ------------------------------------------------------------------- summary

def test_summary_pdf_has_tables_with_thousands_separators():
    data = sample_summary()
    pdf = render_summary_pdf(data)
    one_line = flat(plain(pdf))
    for expected in (
        data.title, data.office_name, "เดือนพฤศจิกายน 2569", "ข้อมูล ณ วันที่ 1 ธันวาคม 2569 เวลา 9.05 น.",
        "ภาพรวม", "จำแนกตามประเภทเหตุการณ์", "จำแนกตามอำเภอ", "จำแนกตามสถานะของเรื่อง",
        "จำแนกตามการส่งต่อหน่วยงาน", "ลำดับ", "ประเภท", "ร้อยละ", "รวม", "1,234", "1,243", "1,230",
        "12,000 บาท (3 ราย)", "1 ชั่วโมง 35 นาที", "2 เรื่อง", "ไม่ได้รับความเป็นธรรมทางการศึกษา",
        "บ้านพักเด็กและครอบครัวจังหวัด", "99.3",
    ):
        assert flat(expected) in one_line, expected


def test_summary_pdf_of_an_empty_period():
    data = sample_summary()
    data.by_district, data.referrals_by_destination = [], []
    data.median_minutes_to_take = None
    one_line = flat(plain(render_summary_pdf(data)))
    assert "ไม่มีข้อมูลในช่วงเวลานี้" in one_line


def test_summary_csv_opens_in_excel():
    data = sample_summary()
    data.by_district.append(("=HYPERLINK(\"x\")", 1))
    raw = render_summary_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["รายงาน", data.title]
    header = rows.index(list(CSV_HEADER))
    assert CSV_HEADER == ("หมวด", "รายการ", "จำนวน", "หน่วย")
    body = rows[header + 1:]
    assert ["ประเภทเหตุการณ์", "เกิดอุบัติเหตุ", "1234", "เรื่อง"] in body
    assert ["ภาพรวม", "เงินกองทุนช่วยเหลือนักเรียนที่จ่ายแล้ว", "12000", "บาท"] in body
    assert ["การส่งต่อหน่วยงาน", "สถานีตำรวจ", "2", "ครั้ง"] in body
    assert ["อำเภอ", "'=HYPERLINK(\"x\")", "1", "เรื่อง"] in body
    assert {row[0] for row in body} == {"ภาพรวม", "ประเภทเหตุการณ์", "อำเภอ", "สถานะของเรื่อง", "การส่งต่อหน่วยงาน"}
    assert raw.count(b"\r\n") == len(rows)


def test_summary_csv_leaves_unknown_median_empty():
    data = sample_summary()
    data.median_minutes_to_take = None
    rows = list(csv.reader(io.StringIO(render_summary_csv(data).decode("utf-8-sig"))))
    median = next(row for row in rows if len(row) > 1 and "มัธยฐาน" in row[1])
    assert median[2] == ""


# ------------------------------------------------------------------- PNG samples

def test_sample_pngs_render(tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed, so the PNG samples cannot be made")
    paths = render_pngs(tmp_path)
    assert sorted(p.name for p in paths) == ["fund_request.png", "memo.png", "summary.png"]
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG")
        width = int.from_bytes(data[16:20], "big")
        assert 400 <= width <= 600  # A4 at about 60 dpi
