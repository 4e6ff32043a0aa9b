"""Officers type case references of any length: a year past case 99,999 stays reachable."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.casework import references
from models import CaseCounter
from tests.helpers import add_officer, cases, file_report

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


def test_numbers_of_any_length_parse_with_or_without_year():
    assert references.parse("123456/2569", NOW) == (123456, 2569)
    assert references.parse("#123456", NOW) == (123456, 2569)
    assert references.parse("# ๑๒๓๔๕๖๗ / 69", NOW) == (1234567, 2569)
    assert references.parse("0000000000000000000042/2569", NOW) == (42, 2569)
    assert references.looks_like("1234567890123/2569")
    assert references.parse("1234567890123/2569", NOW) is None  # no case can have it
    assert references.parse("9" * 5000, NOW) is None  # far past what int() converts by default
    assert not references.looks_like("12a/2569") and references.parse("12/256", NOW) is None


def test_an_officer_takes_case_123456_by_typing_its_reference(app, services, line):
    officer = add_officer(services, line)
    with services.db.session() as session:
        session.add(CaseCounter(year_be=2569, last_number=123455))
        session.commit()
    principal = line.user()
    file_report(principal)
    (case,) = cases(services)
    assert case.reference == "123456/2569" and "123456/2569" in principal.last_text()
    officer.says("รับเรื่อง 123456/2569")
    assert "ท่านรับเรื่อง 123456/2569 แล้ว" in officer.last_text()
    officer.says("บันทึก #123456 โทรหาผู้ปกครองแล้ว")
    assert "ไม่พบเรื่องเลขที่" not in officer.last_text()
    officer.says("รับเรื่อง 99999999999999999999999/2569")
    assert 'ไม่พบเรื่องเลขที่ "99999999999999999999999/2569"' in officer.last_text()
