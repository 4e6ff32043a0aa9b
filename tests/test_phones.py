"""Phone numbers as Thai people write them, through signed webhooks and the fake LINE."""
from __future__ import annotations

import json

import pytest

from tests.helpers import add_officer, cases

WALK = ("1", "ใช้เรื่องที่แนะนำ", "วันนี้ 10:00", "ข้อเท็จจริง", "ข้าม", "นายแหล่ง ข่าว")


def up_to_source_phone(principal) -> None:
    principal.says("แจ้งเหตุ")
    for answer in WALK:
        principal.says(answer)


@pytest.mark.parametrize("typed, stored", [
    ("0812345678", "081-234-5678"), ("+66 81 234 5678", "081-234-5678"), ("๐๘๑ ๒๓๔ ๕๖๗๘", "081-234-5678"),
    ("02 123 4567", "02-123-4567"), ("021234567", "02-123-4567"), ("043 123 456", "043-123456"),
    ("043-123-456", "043-123456"), ("(043) 123456", "043-123456"), ("043-123456 ต่อ 12", "043-123456 ต่อ 12"),
    ("02-123-4567ต่อ1234", "02-123-4567 ต่อ 1234"), ("043123456 ext. 7", "043-123456 ต่อ 7"),
    ("043 123 456 #12", "043-123456 ต่อ 12"),
])
def test_phones_are_stored_and_shown_as_written_in_thailand(app, services, line, typed, stored):
    officer = add_officer(services, line)
    principal = line.user()
    up_to_source_phone(principal)
    principal.says(typed)
    assert "ชื่อ-สกุล" in principal.last_text() or "ผู้รายงาน" in principal.last_text()
    for answer in ("นายตัวอย่าง ใจดี", "ครู", "โรงเรียนบ้านตัวอย่าง", "เมืองตัวอย่าง", typed, "ข้าม"):
        principal.says(answer)
    summary = principal.last_text()
    assert f"นายแหล่ง ข่าว โทร {stored}\n" in summary and summary.count(f"โทร {stored}") == 2
    principal.says("ยืนยัน")
    (case,) = cases(services)
    assert case.source_phone == stored and case.reporter_phone == stored
    alert = json.dumps([m for m in officer.messages() if m["type"] == "flex"][-1], ensure_ascii=False)
    assert f"โทร {stored}" in alert
    dialled = stored.split(" ต่อ ")[0].replace("-", "")
    assert f'"uri": "tel:{dialled}"' in alert  # the call button dials the number, not the extension


@pytest.mark.parametrize("typed", ["12345", "081234567", "0123456789", "043-123456 ต่อ", "1669"])
def test_a_number_that_is_no_thai_phone_is_refused_with_examples(app, line, typed):
    principal = line.user()
    up_to_source_phone(principal)
    principal.says(typed)
    reply = principal.last_text()
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in reply and "043-123456" in reply and "02-123-4567" in reply
