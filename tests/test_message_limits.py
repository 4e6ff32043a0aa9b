"""Every message the bot can send, rendered and checked against LINE's limits in one place."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from bot import line_limits
from bot.case_view import officer_alert
from bot.messages import text
from bot.report_form import STEPS, Form
from bot.texts import say, template_names
from config.categories import CATEGORIES
from config.settings import Settings

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
LONGEST = {
    "category": "other", "category_other": "ก" * 100, "subject": "ส" * 200, "occurred_at": NOW.isoformat(),
    "facts": "ข" * 2000, "initial_help": "ช" * 2000, "source_name": "ท" * 200, "source_phone": "081-234-5678",
    "reporter_name": "น" * 200, "reporter_position": "ต" * 200, "reporter_school": "ร" * 200,
    "reporter_district": "อ" * 100, "reporter_phone": "081-234-5678",
    "photos": [{"message_id": str(i), "image_set": None} for i in range(50)],
    "_known_reporter": {"name": "น" * 200, "position": "ต" * 200, "school": "ร" * 200, "district": "อ" * 100,
                        "phone": "081-234-5678"},
}


def test_every_question_of_the_form_fits_with_its_buttons():
    from bot.form_engine import ask
    from models import Draft

    settings = Settings(districts=tuple(f"อำเภอที่{i}" for i in range(20)))
    for step in [*STEPS, "summary", "edit_pick"]:
        name = step if isinstance(step, str) else step.name
        for editing in (False, True):
            draft = Draft(line_user_id="U" + "0" * 32, step=name, answers=dict(LONGEST), editing=editing,
                          updated_at=NOW)
            messages = ask(draft, Form(dict(LONGEST), NOW, settings), prefix=say("cannot_skip"))
            assert line_limits.problems(messages) == [], name


def test_the_officer_alert_fits_with_the_longest_answers():
    case = SimpleNamespace(reference="9999/2569", category="other", category_other="ก" * 100, subject="ส" * 200,
                           reporter_school="ร" * 200, reporter_district="อ" * 100, occurred_at=NOW,
                           facts="ข" * 2000, reporter_name="น" * 200, reporter_position="ต" * 200,
                           reporter_phone="081-234-5678", photos=[object()] * 50)
    assert line_limits.problems([officer_alert(case)]) == []


def test_every_template_renders_to_a_message_that_fits():
    values = {
        "answers": LONGEST, "a": LONGEST, "editing": True, "photo_count": 3, "suggestion": "ส" * 200,
        "saved": LONGEST["_known_reporter"], "groups": ["ก"], "sent": "สติกเกอร์", "what": "ข้อความ",
        "length": 9999, "limit": 2000, "count": 3, "hours": 24, "centre": "ศูนย์ทดสอบ", "hotlines": ["08x-xxx-0000"],
        "cases": [], "state_names": {}, "category": "อื่น ๆ", "occurred_at": NOW, "facts": "ข" * 300,
        "officer": SimpleNamespace(name="ทดสอบ", role="officer"),
        "case": SimpleNamespace(reference="0001/2569", subject="ส" * 200, reporter_school="ร", reporter_district="อ",
                                occurred_at=NOW, reporter_name="น", reporter_position="ต", reporter_phone="0"),
    }
    for name in template_names():
        message = text(say(name, **values))
        assert line_limits.problems([message]) == [], name


def test_category_buttons_fit_and_cover_the_seven_kinds_plus_other():
    labels = [c.label for c in CATEGORIES]
    assert len(labels) == 8
    assert all(line_limits.label_length(label) <= 20 for label in labels)
