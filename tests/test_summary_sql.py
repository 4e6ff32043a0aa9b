"""The summary's figures come from SQL aggregates; checked against cases counted by hand (and object by object)."""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.casework.actions import DESTINATIONS
from bot.casework.states import STATES
from bot.core.districts import canonical_district
from bot.core.thai_dates import BANGKOK
from bot.paperwork import reports
from bot.paperwork.documents import blocks as b
from bot.paperwork.documents import layout
from bot.paperwork.documents.summary import render_summary_docx, render_summary_pdf, summary_document
from config.categories import CATEGORIES
from models import Case, CaseEntry, FundRequest, Reporter
from tests.test_documents import flat, plain
from tests.test_word_files import docx_lines, fonts_declared

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BANGKOK)
CONFIGURED = ("เมืองตัวอย่าง", "หนองสมมุติ", "โคกจำลอง")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=BANGKOK)


# number, filed at, category, district as typed, state, minutes until taken (None: nobody took it)
CASES = [
    (1, at("2026-11-03"), "accident", "เมืองตัวอย่าง", "closed", 10),
    (2, at("2026-11-10"), "accident", "อำเภอเมืองตัวอย่าง", "taken", 20),
    (3, at("2026-11-12"), "violence", "อ.หนองสมมุติ", "helping", 5),
    (4, at("2026-11-15"), "sexual_abuse", "ภูผาม่าน", "new", None),
    (5, at("2026-11-20"), "other", "อำเภอ ภูผาม่าน", "referred", 40),
    (6, at("2026-11-30", 23, 55), "drugs", "โคกจำลอง", "new", None),
    (7, at("2026-10-01", 0, 0), "accident", "เมืองตัวอย่าง", "closed", 15),  # exactly the deadline: in time
    (8, at("2026-09-30", 23, 59), "violence", "หนองสมมุติ", "closed", 1),  # fiscal year 2569
    (9, at("2026-12-01", 8, 55), "disease", "เมืองตัวอย่าง", "new", None),  # waiting 5 minutes: in time
    (10, at("2026-12-01", 0, 0), "pregnancy", "หนองสมมุติ", "following", 3),  # December, not November
]
# case number, when, the state change's detail
STATE_ENTRIES = [
    (5, at("2026-11-21"), {"from": "taken", "to": "referred", "destination": "police"}),
    (3, at("2026-11-13"), {"from": "taken", "to": "referred", "destination": "hospital"}),
    (7, at("2026-10-02"), {"from": "taken", "to": "referred", "destination": "police"}),
    (1, at("2026-11-05"), {"from": "taken", "to": "closed"}),
]
# case number, status, amount, paid on
FUND = [(1, "paid", 5000, date(2026, 11, 20)), (7, "paid", 3000, date(2026, 10, 9)), (2, "approved", 4000, None)]


def fill(session) -> None:
    reporter = Reporter(line_user_id="Ureporter", name="นางสาวทดสอบ ระบบ", position="ครู", school="บ้านทดสอบ",
                        district="เมืองตัวอย่าง", phone="08x-xxx-0000", created_at=NOW, updated_at=NOW)
    session.add(reporter)
    session.flush()
    ids = {}
    for number, filed, category, district, state, minutes in CASES:
        case = Case(year_be=2569, number=number, state=state, category=category, subject="ทดสอบ",
                    category_other="ไฟไหม้บ้าน" if category == "other" else None, occurred_at=filed, facts="-",
                    source_name="-", reporter_id=reporter.id, reporter_line_user_id="Ureporter",
                    reporter_name="-", reporter_position="-", reporter_school="-", reporter_district=district,
                    reporter_phone="-", filed_at=filed,
                    taken_at=None if minutes is None else filed + timedelta(minutes=minutes))
        session.add(case)
        session.flush()
        ids[number] = case.id
    for number, when, detail in STATE_ENTRIES:
        session.add(CaseEntry(case_id=ids[number], at=when, kind="state", author="officer", detail=detail))
    session.add(CaseEntry(case_id=ids[4], at=at("2026-11-16"), kind="note", author="officer",
                          detail={"to": "referred", "destination": "police"}))  # not a state change
    for number, status, amount, paid_on in FUND:
        session.add(FundRequest(case_id=ids[number], student_label=f"คนที่ {number}", student_key=str(number),
                                student_grade="ป.1", item_key="x", item_label="x", amount_baht=amount,
                                payment_method="cash", status=status, requested_by="U", requested_at=NOW,
                                paid_on=paid_on))
    session.commit()


@pytest.fixture
def filled(services):
    with services.db.session() as session:
        fill(session)
    return services


def summary(services, period: str, **settings):
    with services.db.session() as session:
        return reports.summarise(session, reports.parse_period(period), _settings(services, **settings), NOW)


def _settings(services, **changes):
    from dataclasses import replace

    return replace(services.settings, **{"districts": CONFIGURED, "province": "ตัวอย่าง", **changes})


def test_the_months_figures_are_the_hand_counted_ones(filled):
    data = summary(filled, "2569-11")
    assert data.by_category == [("ถูกล่วงละเมิดทางเพศ", 1), ("ถูกกระทำความรุนแรง", 1), ("ยาเสพติด", 1),
                                ("เกิดโรคติดต่อ", 0), ("ท้องในวัยเรียน", 0), ("เกิดอุบัติเหตุ", 2),
                                ("ไม่ได้รับความเป็นธรรมทางการศึกษา", 0), ("อื่น ๆ", 1)]
    assert data.total_cases == 6
    assert data.by_district == [("เมืองตัวอย่าง", 2), ("หนองสมมุติ", 1), ("โคกจำลอง", 1), ("อื่น ๆ", 2)]
    assert data.by_state == [(STATES["new"], 2), (STATES["taken"], 1), (STATES["helping"], 1),
                             (STATES["referred"], 1), (STATES["following"], 0), (STATES["closed"], 1)]
    assert data.median_minutes_to_take == pytest.approx(15.0)  # 5, 10, 20, 40
    assert data.overdue == 4  # taken after 20 and 40 minutes, two never taken
    assert data.referrals_by_destination == [("สถานีตำรวจ", 1), ("โรงพยาบาล", 1)]
    assert (data.aid_paid_baht, data.aid_paid_count) == (5000, 1)
    assert data.province == "ตัวอย่าง"


def test_the_fiscal_years_figures_are_the_hand_counted_ones(filled):
    data = summary(filled, "2570")  # 1 Oct 2569 - 30 Sep 2570
    assert dict(data.by_category) == {"ถูกล่วงละเมิดทางเพศ": 1, "ถูกกระทำความรุนแรง": 1, "ยาเสพติด": 1,
                                      "เกิดโรคติดต่อ": 1, "ท้องในวัยเรียน": 1, "เกิดอุบัติเหตุ": 3,
                                      "ไม่ได้รับความเป็นธรรมทางการศึกษา": 0, "อื่น ๆ": 1}
    assert data.by_district == [("เมืองตัวอย่าง", 4), ("หนองสมมุติ", 2), ("โคกจำลอง", 1), ("อื่น ๆ", 2)]
    assert dict(data.by_state)[STATES["following"]] == 1 and dict(data.by_state)[STATES["new"]] == 3
    assert data.median_minutes_to_take == pytest.approx(12.5)  # 3, 5, 10, 15, 20, 40
    assert data.overdue == 4  # 15 minutes exactly is in time; waiting 5 minutes is not late yet
    assert data.referrals_by_destination == [("สถานีตำรวจ", 2), ("โรงพยาบาล", 1)]
    assert (data.aid_paid_baht, data.aid_paid_count) == (8000, 2)
    previous = summary(filled, "2569")
    assert previous.total_cases == 1 and previous.median_minutes_to_take == pytest.approx(1.0)


def test_without_configured_districts_the_typed_names_are_merged(filled):
    data = summary(filled, "2569-11", districts=())
    assert data.by_district == [("ภูผาม่าน", 2), ("เมืองตัวอย่าง", 2), ("หนองสมมุติ", 1), ("โคกจำลอง", 1)]


def test_an_empty_month_lists_every_category_and_district_at_zero(filled):
    data = summary(filled, "2569-06")
    assert [n for _, n in data.by_category] == [0] * len(CATEGORIES)
    assert data.by_district == [(name, 0) for name in CONFIGURED]
    assert data.median_minutes_to_take is None and data.overdue == 0
    text = flat(plain(render_summary_pdf(data)))
    for category in CATEGORIES:
        assert flat(category.name) in text, category.name


def test_the_sql_summary_equals_counting_object_by_object(filled):
    for period in ("2569-11", "2569-10", "2570", "2569"):
        span = reports.parse_period(period)
        settings = _settings(filled)
        with filled.db.session() as session:
            expected = by_objects(session, span, settings)
            data = reports.summarise(session, span, settings, NOW)
        got = (data.by_category, data.by_district, data.by_state, data.referrals_by_destination, data.overdue)
        assert got == expected[:5], period
        assert data.median_minutes_to_take == pytest.approx(expected[5]), period


def by_objects(session, span, settings):
    """The old way, every case loaded as an object (with the form's rules: zeros, districts merged)."""
    cases = list(session.scalars(select(Case).where(Case.filed_at >= span.start, Case.filed_at < span.end)))
    categories = Counter(c.category for c in cases)
    districts = Counter(canonical_district(c.reporter_district, list(settings.districts)) for c in cases)
    rows = [(name, districts.pop(name, 0)) for name in settings.districts]
    rows += [("อื่น ๆ", sum(districts.values()))] if sum(districts.values()) else []
    waits = [(c.taken_at - c.filed_at).total_seconds() / 60 for c in cases if c.taken_at]
    limit = timedelta(minutes=settings.take_deadline_minutes)
    entries = session.scalars(select(CaseEntry).where(CaseEntry.kind == "state", CaseEntry.at >= span.start,
                                                      CaseEntry.at < span.end))
    referrals = Counter(DESTINATIONS.get(e.detail.get("destination"), "อื่น ๆ") for e in entries
                        if e.detail.get("to") == "referred")
    return ([(c.name, categories[c.key]) for c in CATEGORIES], rows,
            [(name, sum(c.state == key for c in cases)) for key, name in STATES.items()],
            sorted(referrals.items(), key=lambda kv: (-kv[1], kv[0])),
            sum(((c.taken_at or NOW) - c.filed_at) > limit for c in cases),
            statistics.median(waits) if waits else None)


def test_the_summary_document_lists_zeros_the_province_the_others_and_a_chart(filled):
    data = summary(filled, "2569-11")
    pdf = render_summary_pdf(data)
    text = flat(plain(pdf))
    for expected in ("จังหวัดตัวอย่าง", "เกิดโรคติดต่อ00.0", "ท้องในวัยเรียน00.0", "อื่นๆ233.3",
                     "แผนภูมิจำนวนเรื่องจำแนกตามประเภทเหตุการณ์", "เกิดอุบัติเหตุ2เรื่อง", "เกิดโรคติดต่อ0เรื่อง"):
        assert expected in text, expected
    assert "ภูผาม่าน" not in text and "อำเภอเมืองตัวอย่าง" not in text
    raw = render_summary_docx(data)
    lines = docx_lines(raw)
    assert [line for line in lines if line in b.texts(summary_document(data))] == b.texts(summary_document(data))
    assert "จังหวัดตัวอย่าง" in lines and "เกิดโรคติดต่อ" in lines and "0.0" in lines
    assert "\u2588" * 30 in lines  # the chart's longest bar (accident, 2 cases)
    fonts_declared(raw)


def test_the_chart_draws_one_bar_per_category_with_cases():
    pdf = layout.render(b.Document("chart", [b.Bars((("ก", 3), ("ข", 0), ("ค", 1)), "เรื่อง")]))
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    bars = re.findall(r"[\d.]+ [\d.]+ ([\d.]+) -?[\d.]+ re f", content)
    assert len(bars) == 2
    assert float(bars[0]) == pytest.approx(3 * float(bars[1]), rel=0.01)  # widths in proportion to the counts
