"""Every document's text layer is the Thai that was written: no invisible characters, words whole, lines between words."""
from __future__ import annotations

import re

import pytest

from bench.render_samples import sample_fund_request, sample_memo, sample_summary
from bot.core.thai_dates import to_thai_digits
from bot.paperwork.documents import render_fund_request, render_memo, render_summary_pdf
from bot.paperwork.documents.line_breaks import line_ends_between_words
from tests.test_documents import INVISIBLE, joined, plain, poppler_text

CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # \x0c: pdftotext's page break


def documents() -> dict[str, bytes]:
    memo = sample_memo(photos=1)
    memo.addressee = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 5"
    memo.facts += " จำนวนนักเรียนที่ได้รับบาดเจ็บ ๑ คน ได้แจ้งสำนักงานสาธารณสุขอำเภอแล้ว"
    return {"memo": render_memo(memo), "fund": render_fund_request(sample_fund_request()),
            "summary": render_summary_pdf(sample_summary())}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return documents()


@pytest.mark.parametrize("name", ["memo", "fund", "summary"])
@pytest.mark.parametrize("extract", [plain, poppler_text], ids=["pypdf", "pdftotext"])
def test_no_invisible_or_invented_characters(rendered, name, extract):
    text = extract(rendered[name])
    assert not any(c in text for c in INVISIBLE), [hex(ord(c)) for c in text if c in INVISIBLE][:5]
    assert not CONTROL.search(text), repr(CONTROL.findall(text)[:5])
    assert "\u0e4d\u0e32" not in text  # สระอำ as one character, not nikhahit + sara aa
    for broken in ("อำ นวย", "จำ นวน", "สำ นัก"):
        assert broken not in text


@pytest.mark.parametrize("extract", [plain, poppler_text], ids=["pypdf", "pdftotext"])
def test_words_with_sara_am_and_tone_marks_read_back_whole(rendered, extract):
    words = {"memo": ("ผู้อำนวยการ", "จำนวน", "สำนักงาน", "น้ำ", "เจ้าหน้าที่", "ที่มาแหล่งข้อมูล", "ข้อเท็จจริง"),
             "fund": ("จำนวนเงินที่ขออนุมัติ", "ประสบความเดือดร้อน", "สี่พันบาทถ้วน", "ผู้มีอำนาจอนุมัติ"),
             "summary": ("สำนักงานเขตพื้นที่การศึกษา", "จำนวน", "ร้อยละ", "ไม่ได้รับความเป็นธรรมทางการศึกษา")}
    for name, expected in words.items():
        text = joined(extract(rendered[name]))
        for word in expected:
            assert word in text, (name, word)


@pytest.mark.parametrize("extract", [plain, poppler_text], ids=["pypdf", "pdftotext"])
def test_memo_paragraphs_come_back_exactly_as_typed(extract):
    data = sample_memo(photos=0)
    data.facts = (data.facts + " ") * 2 + "ผู้ปกครองแจ้งว่านักเรียนอยู่ สพป.ตัวอย่าง เขต 5 มาก่อน"
    text = joined(extract(render_memo(data)))
    for typed in (data.facts, data.initial_help, data.source_name, data.reporter_name):
        assert to_thai_digits(typed.strip()) in text, typed


@pytest.mark.parametrize("extract", [plain, poppler_text], ids=["pypdf", "pdftotext"])
def test_memo_lines_end_where_the_segmenter_allows(extract):
    data = sample_memo(photos=0)
    data.facts = (data.facts + " ") * 2
    lines = [line for line in extract(render_memo(data)).split("\n") if line]
    start = next(i for i, line in enumerate(lines) if line.startswith("นักเรียนชั้นประถม"))
    end = next(i for i, line in enumerate(lines) if line.startswith("๒."))
    paragraph = lines[start:end]
    assert len(paragraph) >= 6 and line_ends_between_words(paragraph)
    assert "".join(paragraph) == to_thai_digits(data.facts.strip())
