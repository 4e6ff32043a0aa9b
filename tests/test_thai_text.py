"""Where Thai lines may break (PyThaiNLP's newmm, nothing inserted), and amounts in Thai words."""
from __future__ import annotations

import pytest

from bot.paperwork.documents.line_breaks import break_units, line_ends_between_words, words, wrap
from bot.paperwork.documents.thai_text import (
    baht_text,
    district_name,
    format_number,
    school_name,
    thai_number_words,
)

FACTS = ("นักเรียนชั้นประถมศึกษาปีที่ 5 ไปเล่นน้ำที่สระหลังหมู่บ้านกับเพื่อนอีกสองคนแล้วลื่นล้มลงไปในน้ำลึก "
         "ครูประจำชั้นได้ประสานโรงพยาบาลส่งเสริมสุขภาพตำบลและแจ้งผู้ปกครองทันที เจ้าหน้าที่ผู้อำนวยการ"
         "ข้อเท็จจริงเมื่อวันที่ 22 พ.ย. 2569 เวลา 14.30 น. โทร 08x-xxx-1234 LINE ป.5 ด.ช.ก. พ.ศ.๒๕๖๙")
COMBINING = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
FOLLOWING_VOWELS = "\u0e30\u0e32\u0e33\u0e45"
LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"


def breaks(text: str) -> set[int]:
    """Offsets in the text where a line may break."""
    out, offset = set(), 0
    for unit in break_units(text)[:-1]:
        offset += len(unit)
        out.add(offset)
    return out


def boundaries(*parts: str) -> set[int]:
    """All word boundaries (inner ones) of words written together."""
    out, offset = set(), 0
    for word in parts[:-1]:
        offset += len(word)
        out.add(offset)
    return out


def test_drowning_sentence_breaks_only_between_words():
    text = "นักเรียนประสบอุบัติเหตุจมน้ำ"
    found = breaks(text)
    assert found, "no break at all"
    assert found <= boundaries("นักเรียน", "ประสบ", "อุบัติเหตุ", "จม", "น้ำ")
    assert len("นักเรียน") in found  # after the subject, at least
    assert "".join(break_units(text)) == text


@pytest.mark.parametrize("text, expected", [
    ("โรงเรียนได้ดำเนินการช่วยเหลือเบื้องต้น", ["โรงเรียน", "ได้", "ดำเนินการ", "ช่วยเหลือ", "เบื้องต้น"]),
    ("จึงเรียนมาเพื่อโปรดทราบและพิจารณา", ["จึง", "เรียน", "มา", "เพื่อ", "โปรดทราบ", "และ", "พิจารณา"]),
    ("สรุปเหตุการณ์ข้อเท็จจริง", ["สรุป", "เหตุการณ์", "ข้อเท็จจริง"]),
    ("ขออนุมัติเงินกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน",
     ["ขออนุมัติ", "เงิน", "กองทุน", "ช่วยเหลือ", "นักเรียน", "ที่", "ประสบ", "ความเดือดร้อน"]),
])
def test_common_memo_phrases_split_into_dictionary_words(text, expected):
    assert break_units(text) == expected


def test_whole_words_with_marks_stay_whole():
    for word in ("ผู้อำนวยการ", "เจ้าหน้าที่", "ข้อเท็จจริง", "ทุพพลภาพ", "น้ำ", "จำนวน", "สำนักงาน"):
        assert break_units(word) == [word]


def test_breaks_only_between_thai_words_or_after_spaces():
    for offset in breaks(FACTS):
        before, after = FACTS[offset - 1], FACTS[offset]
        if before == " ":
            assert not after.isdigit() and not "\u0e50" <= after <= "\u0e59", f"number cut from {FACTS[:offset]!r}"
        else:
            assert "\u0e01" <= before <= "\u0e4f", f"break after {before!r}"
            assert "\u0e01" <= after <= "\u0e4f", f"break before {after!r}"


def test_never_separates_marks_or_vowels_from_their_consonant():
    text = FACTS * 3
    for offset in breaks(text):
        assert text[offset] not in COMBINING + FOLLOWING_VOWELS + "ๆฯ"
        assert text[offset - 1] not in LEADING_VOWELS


def test_abbreviations_numbers_and_their_words_stay_together():
    for text in ("ด.ช.ก.", "พ.ศ.๒๕๖๙", "ป.5", "14.30 น.", "เขต ๕", "จำนวน ๒ ภาพ", "วันที่ ๒๒ พฤศจิกายน ๒๕๖๙",
                 "โทร 08x-xxx-1234", "5,000 บาท", "ศธ 04123/456"):
        assert break_units(text) == [text], text
    assert break_units("สพป.ตัวอย่าง เขต 9") == ["สพป.ตัวอย่าง ", "เขต 9"]


def test_repetition_mark_keeps_to_its_word():
    assert break_units("ต่าง ๆ") == ["ต่าง ๆ"]
    assert all(not unit.startswith("ๆ") for unit in break_units("ปัญหาต่างๆนานา"))


def test_units_give_back_the_text_exactly():
    assert "".join(break_units(FACTS)) == FACTS
    assert not any(c in "".join(break_units(FACTS)) for c in "\u200b\u200c\u2060\ufeff\u00a0")


def test_wrapped_lines_fit_join_back_and_end_between_words():
    width = 60.0
    measure = lambda text: float(len(text))  # noqa: E731 - one character, one unit of width
    lines = wrap(FACTS * 2, width, measure)
    assert "".join(lines) == FACTS * 2
    assert all(measure(line.rstrip()) <= width for line in lines)
    assert line_ends_between_words(lines)
    assert len(lines) > 5


def test_a_short_last_word_is_not_left_alone():
    measure = lambda text: float(len(text))  # noqa: E731
    text = "นักเรียนไปเล่นน้ำที่สระหลังหมู่บ้าน กับเพื่อน อีก สอง คน"
    lines = wrap(text, 47, measure)
    assert len(lines[-1].split()) >= 2, lines
    assert "".join(lines) == text


def test_a_word_wider_than_the_line_is_cut_between_letters_not_marks():
    measure = lambda text: float(len(text))  # noqa: E731
    lines = wrap("ผู้อำนวยการ", 4, measure)
    assert "".join(lines) == "ผู้อำนวยการ"
    assert all(line[0] not in COMBINING + FOLLOWING_VOWELS for line in lines)


def test_empty_and_non_thai_text():
    assert break_units("") == []
    assert "".join(break_units("LINE 08x-xxx-1234")) == "LINE 08x-xxx-1234"
    assert words("ก") == ["ก"]


def test_long_unspaced_text_is_segmented():
    text = "นักเรียนไปเล่นน้ำที่สระหลังหมู่บ้าน" * 200
    assert "".join(break_units(text)) == text


@pytest.mark.parametrize("amount, words", [
    (0, "ศูนย์บาทถ้วน"),
    (1, "หนึ่งบาทถ้วน"),
    (10, "สิบบาทถ้วน"),
    (11, "สิบเอ็ดบาทถ้วน"),
    (20, "ยี่สิบบาทถ้วน"),
    (21, "ยี่สิบเอ็ดบาทถ้วน"),
    (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
    (111, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
    (2000, "สองพันบาทถ้วน"),
    (3500, "สามพันห้าร้อยบาทถ้วน"),
    (5000, "ห้าพันบาทถ้วน"),
    (12345, "หนึ่งหมื่นสองพันสามร้อยสี่สิบห้าบาทถ้วน"),
    (250_000, "สองแสนห้าหมื่นบาทถ้วน"),
    (1_000_000, "หนึ่งล้านบาทถ้วน"),
    (1_000_001, "หนึ่งล้านเอ็ดบาทถ้วน"),
    (2_500_000, "สองล้านห้าแสนบาทถ้วน"),
    (11_000_000, "สิบเอ็ดล้านบาทถ้วน"),
    (21_000_021, "ยี่สิบเอ็ดล้านยี่สิบเอ็ดบาทถ้วน"),
])
def test_baht_text(amount, words):
    assert baht_text(amount) == words


def test_baht_text_rejects_what_is_not_whole_baht():
    with pytest.raises(ValueError):
        baht_text(-1)
    for bad in (12.5, "5000", True):
        with pytest.raises(TypeError):
            baht_text(bad)


def test_number_words_and_format():
    assert thai_number_words(1_000_000_000_000) == "หนึ่งล้านล้าน"
    assert format_number(1234567) == "1,234,567"
    assert format_number(12.0) == "12"
    assert format_number(95.44) == "95.4"


def test_place_prefixes():
    assert school_name("บ้านหนองตัวอย่าง") == "โรงเรียนบ้านหนองตัวอย่าง"
    assert school_name("โรงเรียนบ้านหนองตัวอย่าง") == "โรงเรียนบ้านหนองตัวอย่าง"
    assert district_name("เมืองตัวอย่าง") == "อำเภอเมืองตัวอย่าง"
    assert district_name("อ.เมืองตัวอย่าง") == "อ.เมืองตัวอย่าง"
    assert district_name("เขตบางสมมติ") == "เขตบางสมมติ"
    assert district_name("") == ""
