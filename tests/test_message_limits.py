"""Every message the bot can send, rendered and checked against LINE's limits in one place."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from bot.line import limits as line_limits
from bot.casework.case_view import officer_alert
from bot.line.messages import texts
from bot.intake.report_form import STEPS
from bot.core.texts import say, template_names
from config.categories import CATEGORIES
from config.settings import Settings

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
LONGEST = {
    "category": "other", "category_other": "ก" * 100, "subject": "ส" * 200, "occurred_at": NOW.isoformat(),
    "facts": "ข" * 2000, "initial_help": "ช" * 2000, "source_name": "ท" * 200, "source_phone": "081-234-5678",
    "reporter_name": "น" * 200, "reporter_position": "ต" * 200, "reporter_school": "ร" * 200,
    "reporter_district": "อ" * 100, "reporter_phone": "081-234-5678",
    "photos": [{"message_id": str(i), "image_set": None} for i in range(50)],
    "student": "ก" * 60, "grade": "ป.5", "method": "cash", "destination": "police",
    "_known_reporter": {"name": "น" * 200, "position": "ต" * 200, "school": "ร" * 200, "district": "อ" * 100,
                        "phone": "081-234-5678"},
}


def test_every_question_of_the_form_fits_with_its_buttons():
    from bot.dialogue.engine import Chat, Progress, ask
    from bot.intake.form_engine import REPORT

    settings = Settings(districts=tuple(f"อำเภอที่{i}" for i in range(20)))
    turn = SimpleNamespace(session=None, user_id="U" + "0" * 32, now=NOW, settings=settings)
    for name in [*(step.name for step in STEPS), "summary", "edit_pick"]:
        for editing in (False, True):
            progress = Progress(REPORT.name, name, dict(LONGEST), editing)
            messages = ask(Chat(turn, REPORT, progress, store=None), prefix=say("cannot_skip"))
            assert line_limits.problems(messages) == [], name
            assert len(messages[-1].get("quickReply", {}).get("items", [])) <= 13, name


def test_the_officer_alert_fits_with_the_longest_answers():
    case = SimpleNamespace(id=123456, reference="9999/2569", category="other", category_other="ก" * 100, subject="ส" * 200,
                           reporter_school="ร" * 200, reporter_district="อ" * 100, occurred_at=NOW,
                           occurred_time_unknown=False, facts="ข" * 2000, reporter_name="น" * 200, reporter_position="ต" * 200,
                           reporter_phone="081-234-5678", photos=[SimpleNamespace(status="stored")] * 50,
                           urgent=False, urgent_reason=None, details_pending=False)
    assert line_limits.problems([officer_alert(case)]) == []
    urgent = SimpleNamespace(**{**vars(case), "urgent": True, "urgent_reason": "ก" * 100, "details_pending": True})
    assert line_limits.problems([officer_alert(urgent, "ล" * 300, 5)]) == []


def test_every_template_renders_to_a_message_that_fits():
    officer = SimpleNamespace(id=1, name="น" * 200, role="supervisor", phone="081-000-0000")
    case = SimpleNamespace(id=1, reference="0001/2569", subject="ส" * 200, reporter_school="ร" * 200,
                           reporter_district="อ" * 100, occurred_at=NOW, occurred_time_unknown=True, filed_at=NOW,
                           reporter_name="น" * 200,
                           reporter_position="ต" * 200, reporter_phone="081-234-5678", owner=officer, state="taken",
                           facts="ข" * 2000, initial_help="ช" * 2000, source_name="ท" * 200, source_phone="0",
                           closing_summary="ส" * 2000, urgent=True, urgent_reason="ก" * 100, details_pending=True)
    entry = SimpleNamespace(at=NOW, detail={"to": "referred", "destination": "ตำรวจ", "contact": "ก" * 2000,
                                            "level": 2, "days": 3}, text="ข" * 400)
    values = {
        "answers": LONGEST, "a": LONGEST, "editing": True, "photo_count": 3, "suggestion": "ส" * 200,
        "saved": LONGEST["_known_reporter"], "groups": ["ก"], "sent": "สติกเกอร์", "what": "ข้อความ",
        "length": 9999, "limit": 2000, "count": 3, "hours": 24, "centre": "ศูนย์ทดสอบ", "hotlines": ["08x-xxx-0000"],
        "cases": [case] * 12, "state_names": {"taken": "รับเรื่องแล้ว"}, "category": "อื่น ๆ", "occurred_at": NOW,
        "facts": "ข" * 300, "officer": officer, "case": case, "by": officer, "to": officer, "state": "closed",
        "state_name": "กำลังช่วยเหลือ/ประสานงาน", "detail": {"destination": "police"}, "summary": "ส" * 2000,
        "destinations": {"police": "สถานีตำรวจ"}, "data": {"destination": "police"}, "minutes": 10,
        "typed": "ก" * 300, "text": "ข" * 2000, "photo": False, "days": 3, "level": 2, "error": "x" * 1000,
        "entries": ["ก" * 450] * 8, "page": 1, "pages": 3, "lines": ["ก" * 100] * 40, "entry": entry,
        "who": "น" * 200, "states": {"referred": "ส่งต่อหน่วยงาน"}, "overdue": True, "age": "12 วัน",
        "status": "gone", "fields": ("category", "district", "occurred_at"), "links": [("PDF", "https://x.test/" + "a" * 300)] * 3, "report": SimpleNamespace(title="t", period_label="p", by_category=[("ก", 1)] * 8, overdue=1, aid_paid_count=1, aid_paid_baht=5000), "total": 8, "wait": "1 ชั่วโมง", "rows": [], "status_names": {"requested": "ร"}, "request": SimpleNamespace(id=1, student_label="ก" * 60, student_grade="ป.5", item_label="ก" * 300, amount_baht=5000, payment_method="cash", late=True, requested_at=NOW, decision_note="ก" * 500, paid_on=NOW.date(), status="requested", case=None), "methods": {"cash": "เงินสด"}, "items": [SimpleNamespace(label="ก" * 300, amount_baht=5000)] * 10, "item": SimpleNamespace(label="ก" * 300, amount_baht=5000), "deadline": NOW, "late": True, "note": "ก" * 500, "student": "ก" * 60, "size_mb": 25.3, "limit_mb": 20, "megapixels": 81.0, "limit_mp": 40, "kind": "HEIC", "example": "วันนี้ 9.30", "part": "ก" * 60, "numbers": True, "problem": "ก" * 300, "choices": ["ก" * 300] * 12, "base_url": "https://x.test",
        "author": "officer", "time_unknown": True, "unknown": True, "at": NOW, "now": NOW, "style": "full", "meant": NOW, "day_only": True,
        "day_example": "21 พ.ย. 69", "month": "พฤศจิกายน", "year": 2569, "day": 31, "last": 30, "last_night": False,
        "status": "gone", "fields": ("category", "district", "occurred_at"), "links": [("PDF", "https://x.test/" + "a" * 300)] * 3, "report": SimpleNamespace(title="t", period_label="p", by_category=[("ก", 1)] * 8, overdue=1, aid_paid_count=1, aid_paid_baht=5000), "total": 8, "wait": "1 ชั่วโมง", "rows": [], "status_names": {"requested": "ร"}, "request": SimpleNamespace(id=1, student_label="ก" * 60, student_grade="ป.5", item_label="ก" * 300, amount_baht=5000, payment_method="cash", late=True, requested_at=NOW, decision_note="ก" * 500, paid_on=NOW.date(), status="requested", case=None), "methods": {"cash": "เงินสด"}, "items": [SimpleNamespace(label="ก" * 300, amount_baht=5000)] * 10, "item": SimpleNamespace(label="ก" * 300, amount_baht=5000), "deadline": NOW, "late": True, "note": "ก" * 500, "student": "ก" * 60, "size_mb": 25.3, "limit_mb": 20, "megapixels": 81.0, "limit_mp": 40, "kind": "HEIC", "example": "วันนี้ 9.30", "part": "ก" * 60, "numbers": True, "problem": "ก" * 300, "choices": ["ก" * 300] * 12, "base_url": "https://x.test", "on_duty": ", ".join(["น" * 200] * 5), "until": NOW, "shifts": ["ก" * 250] * 14, "budget": SimpleNamespace(month="2026-11", quota=500, consumed=480, read_at=NOW, exhausted_at=NOW),
        "left": 20, "share": 96, "reserve": 50, "this_month": True, "held_count": 400,
        "held": [{"kind": "escalation", "to": "น" * 200, "case": "0001/2569", "since": NOW, "reason": "quota"}] * 15,
        "emergency": [("1669", "การแพทย์ฉุกเฉิน")] * 8, "offer": True,
        "person": "น" * 200, "role_name": "ผู้บังคับบัญชา", "starting": True, "row_id": 10 ** 9,
        "status": "gone", "fields": ("category", "district", "occurred_at"), "links": [("PDF", "https://x.test/" + "a" * 300)] * 3, "report": SimpleNamespace(title="t", period_label="p", by_category=[("ก", 1)] * 8, overdue=1, aid_paid_count=1, aid_paid_baht=5000), "total": 8, "wait": "1 ชั่วโมง", "rows": [], "status_names": {"requested": "ร"}, "request": SimpleNamespace(id=1, student_label="ก" * 60, student_grade="ป.5", item_label="ก" * 300, amount_baht=5000, payment_method="cash", late=True, requested_at=NOW, decision_note="ก" * 500, paid_on=NOW.date(), status="requested", case=None), "methods": {"cash": "เงินสด"}, "items": [SimpleNamespace(label="ก" * 300, amount_baht=5000)] * 10, "item": SimpleNamespace(label="ก" * 300, amount_baht=5000), "deadline": NOW, "late": True, "note": "ก" * 500, "student": "ก" * 60, "size_mb": 25.3, "limit_mb": 20, "megapixels": 81.0, "limit_mp": 40, "kind": "HEIC", "example": "วันนี้ 9.30", "part": "ก" * 60, "numbers": True, "problem": "ก" * 300, "choices": ["ก" * 300] * 12, "base_url": "https://x.test", "at": NOW,
    }
    values.update({"current": "ลับที่สุด", "marks": ("ลับ", "ลับมาก", "ลับที่สุด"), "mark": "ด่วนที่สุด",
                   "number": "ศ" * 100,  # the memo's marks and document number
                   "followups": [SimpleNamespace(at=NOW, text="ข" * 2000, photo_id=None),
                                 SimpleNamespace(at=NOW, text=None, photo_id=1)] * 3,  # before the case was taken
                   "reason": "ก" * 100, "already": False, "asked": False, "why": "expired"})
    for name in template_names():
        split = texts(say(name, **values))
        assert line_limits.problems(split) == [] and len(split) <= 4, name
        assert "".join(t["text"] for t in split).replace("\n", "") == say(name, **values).replace("\n", ""), name


def test_category_buttons_fit_and_cover_the_seven_kinds_plus_other():
    labels = [c.label for c in CATEGORIES]
    assert len(labels) == 8
    assert all(line_limits.label_length(label) <= 20 for label in labels)
