"""How Thai principals type when something happened: a table of phrasings and what each means."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.core.thai_dates import BANGKOK, THAI_MONTHS, DateParseError, YearQuestion, example_time, parse_date, parse_datetime

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=BANGKOK)  # a Wednesday evening, 2 ธ.ค. 2569


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


class Asks:
    """The expected question back: a two-digit year that fits either era ("หมายถึง … ใช่ไหม")."""

    def __init__(self, meant: datetime):
        self.meant = meant


PHRASINGS = [  # (typed, expected moment)
    ("2 ธ.ค. 69 บ่ายสาม", at(2, 15)), ("2 ธ.ค. 69 บ่าย 3", at(2, 15)), ("2 ธ.ค. 2569 บ่ายสามโมง", at(2, 15)),
    ("ห้าโมงเย็น", at(2, 17)), ("5 โมงเย็น", at(2, 17)), ("วันนี้ห้าโมงเย็น", at(2, 17)),
    ("เมื่อวานนี้ตอนบ่ายสามโมง", at(1, 15)), ("เมื่อวานบ่ายสาม", at(1, 15)), ("เมื่อวาน บ่าย 3 โมง", at(1, 15)),
    ("เมื่อเช้า 8 โมง", at(2, 8)), ("เมื่อเช้าแปดโมง", at(2, 8)), ("เช้านี้ 7 โมง", at(2, 7)),
    ("เช้านี้เจ็ดโมงครึ่ง", at(2, 7, 30)), ("ตอนเช้า 9 โมง", at(2, 9)), ("เมื่อวานเย็น 5 โมง", at(1, 17)),
    ("เมื่อวานตอนเย็น 6 โมง", at(1, 18)), ("เมื่อวานเช้า 10 โมง", at(1, 10)), ("เย็นนี้ 5 โมง", at(2, 17)),
    ("วันจันทร์ที่แล้ว 10.00 น.", at(30, 10, month=11)), ("วันจันทร์ 10.00", at(30, 10, month=11)),
    ("วันพุธที่แล้ว 9 โมง", at(25, 9, month=11)), ("วันพุธ 9 โมง", at(2, 9)), ("วันศุกร์ บ่าย 2", at(27, 14, month=11)),
    ("วันอาทิตย์ 8 โมงเช้า", at(29, 8, month=11)), ("วันเสาร์ 2 ทุ่ม", at(28, 20, month=11)),
    ("วันพฤหัส 11 โมง", at(26, 11, month=11)), ("วันพฤหัสบดี 11.30", at(26, 11, 30, month=11)),
    ("วันอังคาร เที่ยง", at(1, 12)), ("สามทุ่มครึ่ง", None), ("เมื่อวานสามทุ่มครึ่ง", at(1, 21, 30)),
    ("เมื่อวาน 2 ทุ่ม", at(1, 20)), ("เมื่อวานสองทุ่ม", at(1, 20)), ("เที่ยงวัน", at(2, 12)), ("เที่ยง", at(2, 12)),
    ("เที่ยงตรง", at(2, 12)), ("วันนี้เที่ยงครึ่ง", at(2, 12, 30)), ("เมื่อคืน 2 ทุ่ม", at(1, 20)),
    ("เมื่อคืนสี่ทุ่ม", at(1, 22)), ("เมื่อคืน ตี 2", at(2, 2)), ("เมื่อคืนตีสาม", at(2, 3)), ("ตีห้า", at(2, 5)),
    ("ตี 4 ครึ่ง", at(2, 4, 30)), ("เมื่อ 2 ชั่วโมงที่แล้ว", at(2, 16)), ("2 ชั่วโมงที่แล้ว", at(2, 16)),
    ("เมื่อ 30 นาทีที่แล้ว", at(2, 17, 30)), ("10 นาทีก่อน", at(2, 17, 50)), ("เมื่อ 3 ชม. ที่แล้ว", at(2, 15)),
    ("เมื่อครู่", at(2, 18)), ("เมื่อกี้", at(2, 18)), ("เมื่อสักครู่", at(2, 18)), ("ตอนนี้", at(2, 18)),
    ("วันนี้ 14:30", at(2, 14, 30)), ("วันนี้ 14.30 น.", at(2, 14, 30)), ("วันนี้ บ่ายสองโมงครึ่ง", at(2, 14, 30)),
    ("เมื่อวาน 9 โมง", at(1, 9)), ("เมื่อวานเก้าโมง", at(1, 9)), ("เมื่อวานซืน 10 โมง", at(30, 10, month=11)),
    ("บ่ายโมง", at(2, 13)), ("บ่าย 2", at(2, 14)), ("บ่ายสี่โมงครึ่ง", at(2, 16, 30)), ("4 โมงเย็น", at(2, 16)),
    ("หกโมงเย็น", at(2, 18)), ("10 โมงเช้า", at(2, 10)), ("สิบโมงเช้า", at(2, 10)), ("สิบเอ็ดโมง", at(2, 11)),
    ("2/12/2569 14.30", at(2, 14, 30)), ("2/12/69 14.30", at(2, 14, 30)), ("2/12/26 14.30", Asks(at(2, 14, 30))),
    ("1/12/2026 9:00", at(1, 9)), ("2026-12-01 09:00", at(1, 9)), ("1 ธันวาคม 2569 10.00", at(1, 10)),
    ("1 ธ.ค. 10 โมง", at(1, 10)), ("30 พ.ย. 69 บ่ายสาม", at(30, 15, month=11)),
    ("30 พฤศจิกา 2569 8 โมงเช้า", at(30, 8, month=11)), ("๒ ธ.ค. ๖๙ ๑๔.๓๐", at(2, 14, 30)),
    ("ประมาณ 9 โมงเช้าวันนี้ค่ะ", at(2, 9)), ("เมื่อวานตอน 3 ทุ่มครับ", at(1, 21)), ("14 นาฬิกา 30 นาที", at(2, 14, 30)),
    ("วันนี้ 17 นาฬิกา", at(2, 17)), ("yesterday 9:00", at(1, 9)), ("today 14:30", at(2, 14, 30)),
    ("20/11/2569 8.00", at(20, 8, month=11)), ("20 พ.ย. 8.00", at(20, 8, month=11)),
    ("1 ธ.ค. 26 9 โมง", Asks(at(1, 9))), ("30/11/26 บ่ายสาม", Asks(at(30, 15, month=11))),
    ("5/12/68 9.00", at(5, 9, year=2025)), ("5 ธ.ค. 68 บ่าย 2", at(5, 14, year=2025)),
    ("2 ธันวาคม 2026 10.00", at(2, 10)),
]
REFUSED = [  # (typed, a word the refusal must contain)
    ("พรุ่งนี้ 9 โมง", "พรุ่งนี้"), ("ไม่รู้", "ไม่รู้"), ("3 ธ.ค. 69 9 โมง", "ยังไม่ถึง"), ("วันนี้", "เวลา"),
    ("เมื่อคืน", "เวลาของเมื่อคืน"), ("32/12/2569 9.00", "ไม่มีวันที่"), ("25 ชั่วโมง", "ชั่วโมง"),
    ("1/1/2560 9.00", "ย้อนหลังเกิน 1 ปี"), ("2/12/20 9.00", "ย้อนหลังเกิน 1 ปี"),
    ("2/12/70 9.00", "ยังไม่ถึง"), ("13/13/2569 9.00", "ไม่มีเดือนที่ 13"), ("วันนี้ 25.00", "ไม่มีเวลา 25.00"),
]


@pytest.mark.parametrize("typed, expected", PHRASINGS)
def test_phrasing(typed, expected):
    if isinstance(expected, Asks):
        with pytest.raises(YearQuestion) as raised:
            parse_datetime(typed, NOW)
        assert raised.value.meant == expected.meant
        assert str(raised.value) == f"หมายถึง {expected.meant.day} {THAI_MONTHS[expected.meant.month - 1]} 2569 " \
                                    f"เวลา {expected.meant.hour}.{expected.meant.minute:02d} น. ใช่ไหม"
        return
    if expected is None:  # later tonight than now: refused as not yet happened
        with pytest.raises(DateParseError) as raised:
            parse_datetime(typed, NOW)
        assert raised.value.reason == "future"
        return
    assert parse_datetime(typed, NOW) == expected


@pytest.mark.parametrize("typed, says", REFUSED)
def test_refusals_say_what_was_not_understood(typed, says):
    with pytest.raises(DateParseError) as raised:
        parse_datetime(typed, NOW)
    assert says in str(raised.value)


def test_there_are_at_least_eighty_phrasings():
    assert len(PHRASINGS) + len(REFUSED) >= 80


@pytest.mark.parametrize("hour", range(24))
def test_the_questions_example_is_valid_at_every_hour(hour):
    now = datetime(2026, 12, 2, hour, 7, tzinfo=BANGKOK)
    example = example_time(now)
    parsed = parse_datetime(example, now)
    assert parsed <= now and now - parsed < timedelta(hours=1), example


def test_a_day_with_an_either_era_year_is_asked_about_or_read_as_the_recent_one():
    with pytest.raises(YearQuestion) as raised:
        parse_date("2/12/26", NOW, ask_year=True)
    assert str(raised.value) == "หมายถึง 2 ธันวาคม 2569 ใช่ไหม"
    assert parse_date("2/12/26", NOW) == NOW.date()  # an officer's payment date: the recent one
    assert parse_date("2/12/69", NOW, ask_year=True) == NOW.date()  # B.E.: 2069 has not come
