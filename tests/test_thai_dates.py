"""Tests for bot.core.thai_dates: Buddhist Era formatting and parsing of typed Thai dates."""
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.core.thai_dates import (
    BANGKOK,
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    DateParseError,
    be_year,
    format_date,
    format_datetime,
    parse_datetime,
    to_thai_digits,
)

NOW = datetime(2026, 11, 22, 16, 0, tzinfo=BANGKOK)


def bkk(*args):
    """An aware Asia/Bangkok datetime."""
    return datetime(*args, tzinfo=BANGKOK)


def parse_error(text, now=NOW):
    """Parse text expecting a DateParseError and return it."""
    with pytest.raises(DateParseError) as info:
        parse_datetime(text, now)
    return info.value


# ---------------------------------------------------------------- formatting

def test_bangkok_zone():
    assert str(BANGKOK) == "Asia/Bangkok"
    assert bkk(2026, 11, 22).utcoffset() == timedelta(hours=7)


def test_month_tables():
    assert isinstance(THAI_MONTHS, tuple) and isinstance(THAI_MONTHS_SHORT, tuple)
    assert THAI_MONTHS == (
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
        "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    )
    assert THAI_MONTHS_SHORT == (
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
        "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    )


@pytest.mark.parametrize("d, full, short", [
    (date(2026, 11, 22), "22 พฤศจิกายน 2569", "22 พ.ย. 69"),
    (date(2026, 12, 31), "31 ธันวาคม 2569", "31 ธ.ค. 69"),
    (date(2027, 1, 1), "1 มกราคม 2570", "1 ม.ค. 70"),
    (date(2026, 2, 28), "28 กุมภาพันธ์ 2569", "28 ก.พ. 69"),
    (date(2028, 2, 29), "29 กุมภาพันธ์ 2571", "29 ก.พ. 71"),
    (date(2457, 3, 5), "5 มีนาคม 3000", "5 มี.ค. 00"),
    (datetime(2026, 11, 22, 23, 59), "22 พฤศจิกายน 2569", "22 พ.ย. 69"),  # naive: as is
    (bkk(2026, 11, 22, 0, 1), "22 พฤศจิกายน 2569", "22 พ.ย. 69"),
])
def test_format_date(d, full, short):
    assert format_date(d) == full
    assert format_date(d, style="full") == full
    assert format_date(d, style="short") == short


@pytest.mark.parametrize("dt, full, short", [
    # 18:30 UTC on 31 Dec is already 01:30 on 1 Jan in Bangkok: a new BE year.
    (datetime(2026, 12, 31, 18, 30, tzinfo=timezone.utc),
     "1 มกราคม 2570 เวลา 1.30 น.", "1 ม.ค. 70 1.30 น."),
    (datetime(2026, 12, 31, 16, 59, tzinfo=timezone.utc),
     "31 ธันวาคม 2569 เวลา 23.59 น.", "31 ธ.ค. 69 23.59 น."),
    (bkk(2026, 11, 22, 14, 30), "22 พฤศจิกายน 2569 เวลา 14.30 น.", "22 พ.ย. 69 14.30 น."),
    (bkk(2026, 11, 22, 9, 5), "22 พฤศจิกายน 2569 เวลา 9.05 น.", "22 พ.ย. 69 9.05 น."),
    (bkk(2026, 11, 22, 0, 0), "22 พฤศจิกายน 2569 เวลา 0.00 น.", "22 พ.ย. 69 0.00 น."),
])
def test_format_datetime(dt, full, short):
    assert format_datetime(dt) == full
    assert format_datetime(dt, style="short") == short


def test_aware_datetime_is_converted_to_bangkok_for_dates_and_years():
    utc = datetime(2026, 12, 31, 18, 30, tzinfo=timezone.utc)
    assert format_date(utc) == "1 มกราคม 2570"
    assert format_date(utc, style="short") == "1 ม.ค. 70"
    assert be_year(utc) == 2570
    assert be_year(utc.replace(tzinfo=None)) == 2569  # naive: taken as written


@pytest.mark.parametrize("d, expected", [
    (date(2026, 11, 22), 2569),
    (date(2027, 1, 1), 2570),
    (bkk(2026, 12, 31, 23, 59), 2569),
])
def test_be_year(d, expected):
    assert be_year(d) == expected


@pytest.mark.parametrize("text, expected", [
    ("0123456789", "๐๑๒๓๔๕๖๗๘๙"),
    ("22/11/2569 14.30", "๒๒/๑๑/๒๕๖๙ ๑๔.๓๐"),
    ("ไม่มีตัวเลข", "ไม่มีตัวเลข"),
    ("", ""),
])
def test_to_thai_digits(text, expected):
    assert to_thai_digits(text) == expected


def test_thai_digit_formatting():
    dt = bkk(2026, 11, 22, 14, 30)
    assert format_date(dt, thai_digits=True) == "๒๒ พฤศจิกายน ๒๕๖๙"
    assert format_date(dt, style="short", thai_digits=True) == "๒๒ พ.ย. ๖๙"
    assert format_datetime(dt, thai_digits=True) == "๒๒ พฤศจิกายน ๒๕๖๙ เวลา ๑๔.๓๐ น."
    assert format_datetime(dt, style="short", thai_digits=True) == "๒๒ พ.ย. ๖๙ ๑๔.๓๐ น."


def test_unknown_style_is_refused():
    with pytest.raises(ValueError):
        format_date(date(2026, 11, 22), style="long")


# ---------------------------------------------------------- parsing: success

@pytest.mark.parametrize("text, expected", [
    # relative days
    ("วันนี้ 14:30", bkk(2026, 11, 22, 14, 30)),
    ("เมื่อวาน 14:30", bkk(2026, 11, 21, 14, 30)),
    ("เมื่อวานนี้ 14:30", bkk(2026, 11, 21, 14, 30)),
    ("วานซืน 14:30", bkk(2026, 11, 20, 14, 30)),
    ("เมื่อวานซืน 14:30", bkk(2026, 11, 20, 14, 30)),
    ("today 14:30", bkk(2026, 11, 22, 14, 30)),
    ("yesterday 14:30", bkk(2026, 11, 21, 14, 30)),
    ("Yesterday 9.05", bkk(2026, 11, 21, 9, 5)),
    ("เมื่อคืน 2 ทุ่ม", bkk(2026, 11, 21, 20, 0)),
    ("เมื่อคืนนี้ 22:15", bkk(2026, 11, 21, 22, 15)),
    ("เมื่อคืน ตี 2", bkk(2026, 11, 22, 2, 0)),  # small hours of last night = this morning
    ("เมื่อคืน เที่ยงคืน", bkk(2026, 11, 22, 0, 0)),
    ("เมื่อคืน ตี 5", bkk(2026, 11, 22, 5, 0)),
    ("เมื่อคืน 5:59", bkk(2026, 11, 22, 5, 59)),
    ("เมื่อคืน 6 โมงเย็น", bkk(2026, 11, 21, 18, 0)),
    # times alone mean today
    ("14:30", bkk(2026, 11, 22, 14, 30)),
    ("14.30", bkk(2026, 11, 22, 14, 30)),
    ("14.30 น.", bkk(2026, 11, 22, 14, 30)),
    ("14:30น", bkk(2026, 11, 22, 14, 30)),
    ("14.30น.", bkk(2026, 11, 22, 14, 30)),
    ("เวลา 14.30 น.", bkk(2026, 11, 22, 14, 30)),
    ("9.05", bkk(2026, 11, 22, 9, 5)),
    ("0:00", bkk(2026, 11, 22, 0, 0)),
    ("14 นาฬิกา", bkk(2026, 11, 22, 14, 0)),
    ("14.30 นาฬิกา", bkk(2026, 11, 22, 14, 30)),
    ("14 นาฬิกา 30 นาที", bkk(2026, 11, 22, 14, 30)),
    ("9 โมง", bkk(2026, 11, 22, 9, 0)),
    ("9 โมงเช้า", bkk(2026, 11, 22, 9, 0)),
    ("9โมงเช้า", bkk(2026, 11, 22, 9, 0)),
    ("10 โมงครึ่ง", bkk(2026, 11, 22, 10, 30)),
    ("2 โมง", bkk(2026, 11, 22, 14, 0)),
    ("บ่าย 2", bkk(2026, 11, 22, 14, 0)),
    ("บ่าย 2 โมง", bkk(2026, 11, 22, 14, 0)),
    ("บ่าย2โมง", bkk(2026, 11, 22, 14, 0)),
    ("บ่าย 2.30", bkk(2026, 11, 22, 14, 30)),
    ("บ่าย 3 โมงครึ่ง", bkk(2026, 11, 22, 15, 30)),
    ("บ่าย 3 โมง 15 นาที", bkk(2026, 11, 22, 15, 15)),
    ("บ่ายโมง", bkk(2026, 11, 22, 13, 0)),
    ("บ่ายโมงครึ่ง", bkk(2026, 11, 22, 13, 30)),
    ("4 โมงเย็น", bkk(2026, 11, 22, 16, 0)),
    ("เที่ยง", bkk(2026, 11, 22, 12, 0)),
    ("เที่ยงวัน", bkk(2026, 11, 22, 12, 0)),
    ("เที่ยงคืน", bkk(2026, 11, 22, 0, 0)),
    ("ตี 2", bkk(2026, 11, 22, 2, 0)),
    ("ตี2", bkk(2026, 11, 22, 2, 0)),
    ("ตี 5 ครึ่ง", bkk(2026, 11, 22, 5, 30)),
    # time-of-day words that are later than NOW, on a past day
    ("เมื่อวาน 6 โมงเย็น", bkk(2026, 11, 21, 18, 0)),
    ("เมื่อวาน 2 ทุ่ม", bkk(2026, 11, 21, 20, 0)),
    ("เมื่อวาน 5 ทุ่ม", bkk(2026, 11, 21, 23, 0)),
    ("เมื่อวาน 1 ทุ่ม", bkk(2026, 11, 21, 19, 0)),
    ("เมื่อวาน 5 โมง", bkk(2026, 11, 21, 17, 0)),  # plain "N โมง": 1-5 is afternoon
    ("เมื่อวาน 6 โมง", bkk(2026, 11, 21, 6, 0)),
    ("เมื่อวาน 11 โมง", bkk(2026, 11, 21, 11, 0)),
    # absolute dates
    ("22/11/2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22/11/69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22-11-2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22.11.2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22/11/2026 14.30", bkk(2026, 11, 22, 14, 30)),
    ("1/2/69 8:00", bkk(2026, 2, 1, 8, 0)),
    ("01/02/2569 08:00", bkk(2026, 2, 1, 8, 0)),
    ("2026-11-22 14:30", bkk(2026, 11, 22, 14, 30)),
    ("2026-11-22T14:30", bkk(2026, 11, 22, 14, 30)),
    ("2026-11-22T14:30:45", bkk(2026, 11, 22, 14, 30, 45)),
    ("22 พ.ย. 69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พ.ย. 2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พฤศจิกายน 2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พย 69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พย. 69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22พ.ย.69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พ.ย. พ.ศ. 2569 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พฤศจิกา 69 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พฤศจิกายน 14.30", bkk(2026, 11, 22, 14, 30)),
    ("22 พ.ย. 10 โมง", bkk(2026, 11, 22, 10, 0)),  # "10" is the hour, not the year
    ("22 พ.ย. 14 นาฬิกา", bkk(2026, 11, 22, 14, 0)),
    ("21 พฤศจิกายน 2 ทุ่ม", bkk(2026, 11, 21, 20, 0)),
    ("23 พฤศจิกายน 10:00", bkk(2025, 11, 23, 10, 0)),  # no year, day not reached: last year
    ("15/6 10:00", bkk(2026, 6, 15, 10, 0)),
    ("1 ม.ค. 69 9:00", bkk(2026, 1, 1, 9, 0)),
    ("3 มี.ค. 69 9:00", bkk(2026, 3, 3, 9, 0)),
    ("3 มีค 69 9:00", bkk(2026, 3, 3, 9, 0)),
    ("10 เม.ย. 69 9:00", bkk(2026, 4, 10, 9, 0)),
    ("10 มิ.ย. 69 9:00", bkk(2026, 6, 10, 9, 0)),
    ("31 ธันวาคม 2568 23:59", bkk(2025, 12, 31, 23, 59)),
    ("31 ธ.ค. 68 23:59", bkk(2025, 12, 31, 23, 59)),
    # Thai digits anywhere
    ("๒๒/๑๑/๒๕๖๙ ๑๔.๓๐", bkk(2026, 11, 22, 14, 30)),
    ("๒๒ พ.ย. ๖๙ บ่าย ๒", bkk(2026, 11, 22, 14, 0)),
    ("วันนี้ ๙ โมง", bkk(2026, 11, 22, 9, 0)),
    # order, separators, spacing, case, "วันที่", trailing "น."
    ("14.30 22/11/2569", bkk(2026, 11, 22, 14, 30)),
    ("บ่าย 2 เมื่อวาน", bkk(2026, 11, 21, 14, 0)),
    ("22/11/2569 เวลา 14.30 น.", bkk(2026, 11, 22, 14, 30)),
    ("วันที่ 22 พ.ย. 69 เวลา 14.30 น.", bkk(2026, 11, 22, 14, 30)),
    ("วันที่22/11/2569เวลา14.30น.", bkk(2026, 11, 22, 14, 30)),
    ("เมื่อวันที่ 21 พ.ย. 69 ตอน 9 โมง", bkk(2026, 11, 21, 9, 0)),
    ("   วันนี้     14:30   ", bkk(2026, 11, 22, 14, 30)),
    ("TODAY 14:30", bkk(2026, 11, 22, 14, 30)),
    ("วันนี้ 14.30 น.", bkk(2026, 11, 22, 14, 30)),
    ("วันนี้ 14.30 น", bkk(2026, 11, 22, 14, 30)),
    ("วันนี้ 14.30 น.ค่ะ", bkk(2026, 11, 22, 14, 30)),
    ("เมื่อวาน บ่าย 2 ครับ", bkk(2026, 11, 21, 14, 0)),
    ("22/11/2569, 14:30", bkk(2026, 11, 22, 14, 30)),
    ("วันนี้\u200b14:30", bkk(2026, 11, 22, 14, 30)),
    # "just now"
    ("ตอนนี้", bkk(2026, 11, 22, 16, 0)),
    ("เมื่อกี้", bkk(2026, 11, 22, 16, 0)),
    ("เมื่อสักครู่", bkk(2026, 11, 22, 16, 0)),
    # tolerance: up to 5 minutes ahead of NOW is accepted
    ("16:05", bkk(2026, 11, 22, 16, 5)),
    # oldest accepted: exactly 365 days before NOW
    ("22/11/2568 16:00", bkk(2025, 11, 22, 16, 0)),
])
def test_parse_datetime(text, expected):
    result = parse_datetime(text, NOW)
    assert result == expected
    assert result.tzinfo is BANGKOK
    assert (result.year, result.month, result.day, result.hour, result.minute) == (
        expected.year, expected.month, expected.day, expected.hour, expected.minute)


def test_leap_day_is_accepted():
    now = bkk(2028, 3, 1, 12, 0)
    assert parse_datetime("29 กุมภาพันธ์ 2571 9:00", now) == bkk(2028, 2, 29, 9, 0)
    assert parse_datetime("29/2/71 9:00", now) == bkk(2028, 2, 29, 9, 0)


def test_now_in_another_zone_is_read_in_bangkok():
    now_utc = datetime(2026, 11, 21, 17, 30, tzinfo=timezone.utc)  # 00:30 on 22 Nov in Bangkok
    result = parse_datetime("วันนี้ 0:10", now_utc)
    assert result == bkk(2026, 11, 22, 0, 10)
    assert result.tzinfo is BANGKOK
    assert parse_datetime("เมื่อวาน 23:00", now_utc) == bkk(2026, 11, 21, 23, 0)


def test_relative_days_cross_month_and_year():
    now = bkk(2027, 1, 1, 8, 0)
    assert parse_datetime("เมื่อวาน 20:00", now) == bkk(2026, 12, 31, 20, 0)
    assert parse_datetime("วานซืน 20:00", now) == bkk(2026, 12, 30, 20, 0)
    assert parse_datetime("31 ธันวาคม 2 ทุ่ม", now) == bkk(2026, 12, 31, 20, 0)


def test_now_words_drop_seconds():
    now = bkk(2026, 11, 22, 16, 7, 42, 123)
    assert parse_datetime("ตอนนี้", now) == bkk(2026, 11, 22, 16, 7)


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError) as info:
        parse_datetime("14:30", datetime(2026, 11, 22, 16, 0))
    assert not isinstance(info.value, DateParseError)


# ----------------------------------------------------------- parsing: errors

@pytest.mark.parametrize("text", [
    "",
    "   ",
    "สวัสดีครับ",
    "(emoji)",
    "(sticker)",
    "😀😀",
    "abc",
    "เมื่อไหร่ก็ไม่รู้",
    "1430",
    "วันนี้ 14:30 (emoji)",
    "14:30 15:00",
    "22 พ.ย. 69 ประมาณ บ่ายๆ",
])
def test_unreadable(text):
    error = parse_error(text)
    assert error.reason == "unreadable"
    assert isinstance(error, ValueError)
    assert str(error).endswith("กรุณาพิมพ์ใหม่ เช่น วันนี้ 15.30 หรือ เมื่อวาน บ่าย 2")  # valid at this hour
    assert ("ยังไม่เข้าใจส่วน" in str(error)) == bool((text or "").strip())  # says which part


def test_none_text_is_unreadable():
    assert parse_error(None).reason == "unreadable"


@pytest.mark.parametrize("text", [
    "22/11/2569", "วันนี้", "เมื่อวาน", "22 พ.ย. 69", "2026-11-22", "วันที่ 21 พฤศจิกายน", "today",
])
def test_date_without_time_asks_for_the_time(text):
    error = parse_error(text)
    assert error.reason == "unreadable"
    assert str(error) == f"กรุณาระบุเวลาที่เกิดเหตุด้วย เช่น {text} 16.00"


def test_last_night_without_time_asks_for_the_time():
    error = parse_error("เมื่อคืน")
    assert error.reason == "unreadable"
    assert str(error) == "กรุณาระบุเวลาของเมื่อคืนด้วย เช่น เมื่อคืน 2 ทุ่ม หรือ เมื่อคืน ตี 2"


@pytest.mark.parametrize("text, message", [
    ("31/02/2569 10:00", "ไม่มีวันที่ 31 ในเดือนกุมภาพันธ์ 2569 (เดือนนี้มีถึงวันที่ 28) "
                         "กรุณาตรวจสอบวันที่อีกครั้ง เช่น 22/11/2569 16.00"),
    ("31/11/2569 10:00", "ไม่มีวันที่ 31 ในเดือนพฤศจิกายน 2569 (เดือนนี้มีถึงวันที่ 30) "
                         "กรุณาตรวจสอบวันที่อีกครั้ง เช่น 22/11/2569 16.00"),
    ("29 ก.พ. 69 10:00", "ไม่มีวันที่ 29 ในเดือนกุมภาพันธ์ 2569 (เดือนนี้มีถึงวันที่ 28) "
                         "กรุณาตรวจสอบวันที่อีกครั้ง เช่น 22/11/2569 16.00"),
    ("0/11/2569 10:00", "ไม่มีวันที่ 0 ในเดือนพฤศจิกายน 2569 (เดือนนี้มีถึงวันที่ 30) "
                        "กรุณาตรวจสอบวันที่อีกครั้ง เช่น 22/11/2569 16.00"),
    ("2026-02-30T10:00", "ไม่มีวันที่ 30 ในเดือนกุมภาพันธ์ 2569 (เดือนนี้มีถึงวันที่ 28) "
                         "กรุณาตรวจสอบวันที่อีกครั้ง เช่น 22/11/2569 16.00"),
    ("22/13/2569 10:00", "ไม่มีเดือนที่ 13 กรุณาระบุเดือน 1–12 เช่น 22/11/2569 16.00"),
    ("22/0/2569 10:00", "ไม่มีเดือนที่ 0 กรุณาระบุเดือน 1–12 เช่น 22/11/2569 16.00"),
])
def test_invalid_date(text, message):
    error = parse_error(text)
    assert error.reason == "invalid_date"
    assert str(error) == message


@pytest.mark.parametrize("text, shown", [
    ("25:00", "25:00"),
    ("24:00", "24:00"),
    ("วันนี้ 25.00 น.", "25.00"),
    ("14:60", "14:60"),
    ("14:30:61", "14:30:61"),
    ("25 นาฬิกา", "25 นาฬิกา"),
    ("ตี 9", "ตี 9"),
    ("บ่าย 7", "บ่าย 7"),
    ("7 ทุ่ม", "7 ทุ่ม"),
    ("6 ทุ่ม", "6 ทุ่ม"),
    ("ตี 6", "ตี 6"),
    ("0 โมง", "0 โมง"),
    ("24 โมง", "24 โมง"),
    ("12 โมงเช้า", "12 โมงเช้า"),
    ("8 โมงเย็น", "8 โมงเย็น"),
])
def test_impossible_time(text, shown):
    error = parse_error(text)
    assert error.reason == "invalid_date"
    assert str(error) == (f"ไม่มีเวลา {shown} กรุณาตรวจสอบอีกครั้ง "
                          "(ชั่วโมง 0–23 นาที 0–59) เช่น 14.30 หรือ บ่าย 2 โมง")


@pytest.mark.parametrize("text, shown", [
    ("17:00", "22 พ.ย. 69 17.00 น."),  # a time alone is today; it is NOT moved to yesterday
    ("16:06", "22 พ.ย. 69 16.06 น."),  # just past the 5-minute tolerance
    ("2 ทุ่ม", "22 พ.ย. 69 20.00 น."),
    ("6 โมงเย็น", "22 พ.ย. 69 18.00 น."),
    ("วันนี้ 23:59", "22 พ.ย. 69 23.59 น."),
    ("23/11/2569 9:00", "23 พ.ย. 69 9.00 น."),
    ("22 พฤศจิกายน 17:00", "22 พ.ย. 69 17.00 น."),  # no year, today: stays this year
    ("1/1/2027 0:00", "1 ม.ค. 70 0.00 น."),
])
def test_future_is_refused(text, shown):
    error = parse_error(text)
    assert error.reason == "future"
    assert str(error) == (f"เวลาที่ระบุยังไม่ถึง ({shown} แต่ตอนนี้คือ 22 พ.ย. 69 16.00 น.) "
                          "กรุณาตรวจสอบอีกครั้ง เช่น 22/11/2569 16.00")


@pytest.mark.parametrize("text, shown", [
    ("22/11/2568 15:59", "22 พฤศจิกายน 2568"),
    ("1/1/2568 10:00", "1 มกราคม 2568"),
    ("22/11/2025 10:00", "22 พฤศจิกายน 2568"),
    ("2020-05-01 10:00", "1 พฤษภาคม 2563"),
])
def test_too_old_is_refused(text, shown):
    error = parse_error(text)
    assert error.reason == "too_old"
    assert str(error) == (f"วันที่ที่ระบุ ({shown}) ย้อนหลังเกิน 1 ปี ระบบนี้ใช้รายงานเหตุการณ์ที่เพิ่งเกิดขึ้น "
                          "กรุณาตรวจสอบวันที่และปีอีกครั้ง เช่น 22/11/2569 16.00")


def test_error_examples_follow_now():
    now = bkk(2027, 1, 3, 9, 5)
    error = parse_error("ไม่รู้", now)
    assert str(error) == 'ยังไม่เข้าใจส่วน "ไม่รู้" ของวันเวลาที่พิมพ์ กรุณาพิมพ์ใหม่ เช่น วันนี้ 8.30 หรือ เมื่อวาน บ่าย 2'
    assert str(parse_error("วันนี้", now)) == "กรุณาระบุเวลาที่เกิดเหตุด้วย เช่น วันนี้ 9.05"
