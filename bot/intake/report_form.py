"""The centre's preliminary incident-report form, as a table of steps run by bot/intake/form_engine.py."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from bot.line import messages as m
from bot.dialogue.answers import Answer, Invalid, free_text, normalise, require_text, thai_phone
from bot.core.texts import say
from bot.core.thai_dates import BANGKOK, DateParseError, parse_datetime
from config.categories import BY_KEY, CATEGORIES, OTHER

SELF_SOURCE = "ผู้รายงาน"
DATE_PICKER = "v1:form:"  # the form's date-time pickers' postback data: this prefix and the step
POSITIONS = (  # (button label, what it answers)
    ("ผู้อำนวยการโรงเรียน", "ผู้อำนวยการโรงเรียน"), ("รองผู้อำนวยการ", "รองผู้อำนวยการโรงเรียน"),
    ("รักษาการ ผอ.", "รักษาการในตำแหน่งผู้อำนวยการโรงเรียน"), ("ครู", "ครู"),
)


@dataclass(frozen=True)
class Step:
    """One question of the form: how to ask it, how to read the answer, where to go next."""

    name: str
    group: str  # what "แก้ไข" offers: editing a group walks its steps, then back to the summary
    parse: Callable  # (answer, form) -> value; raises Invalid with what to say
    buttons: Callable = lambda form: []  # (form) -> quick-reply actions
    optional: bool = False
    next: Callable = None  # (answers) -> next step name; None means the next row of STEPS
    store: Callable = None  # (answers, value) -> None; default answers[name] = value
    values: Callable = lambda form: {}  # extra values for the question's template


@dataclass
class Form:
    """What a step sees: the answers so far, the clock, the settings, what we know of the user."""

    answers: dict
    now: datetime
    settings: object

    @property
    def known_reporter(self) -> dict | None:
        """The reporter's details from their previous report, copied into the draft at its start."""
        return self.answers.get("_known_reporter")


# ---- parsers -------------------------------------------------------------------------------

def parse_category(answer: Answer, form: Form) -> str:
    typed = normalise(require_text(answer, "ประเภทของเหตุ"))
    for number, category in enumerate(CATEGORIES, start=1):
        names = (category.key, category.name, category.label, *category.synonyms)
        if typed == str(number) or typed in {normalise(n) for n in names}:
            return category.key
    raise Invalid(say("invalid_category"))


def parse_occurred_at(answer: Answer, form: Form) -> str:
    if answer.kind != "datetime":
        require_text(answer, "วันและเวลาที่เกิดเหตุ")
    try:
        return parse_datetime(answer.text, form.now).isoformat()
    except DateParseError as error:
        raise Invalid(str(error)) from error


def parse_choice_or_text(limit: int, what: str):
    def parse(answer: Answer, form: Form) -> str:
        return free_text(answer, what, limit)
    return parse


def parse_reporter_confirm(answer: Answer, form: Form) -> bool:
    typed = normalise(require_text(answer, "ใช้ข้อมูลนี้ หรือ แก้ไข"))
    if typed in {"ใช้ข้อมูลนี้", "ใช้", "ใช่", "ถูกต้อง", "yes", "ok"}:
        return True
    if typed in {"แก้ไขข้อมูล", "แก้ไข", "ไม่ใช่", "no"}:
        return False
    raise Invalid(say("invalid_reporter_confirm"))


def store_reporter_confirm(answers: dict, use_saved: bool, form: Form) -> None:
    answers["reporter_confirm"] = use_saved
    if use_saved and form.known_reporter:
        answers.update({f"reporter_{k}": v for k, v in form.known_reporter.items()})


def _after_reporter_confirm(answers: dict) -> str:
    return "photos" if answers.get("reporter_confirm") else "reporter_name"


def _after_category(answers: dict) -> str:
    return "category_other" if answers.get("category") == OTHER else "subject"


def _after_source_name(answers: dict) -> str:
    return "reporter" if answers.get("source_name") == SELF_SOURCE else "source_phone"


def parse_source_name(answer: Answer, form: Form) -> str:
    value = free_text(answer, "ชื่อ-สกุลของผู้ให้ข้อมูล", 200)
    return SELF_SOURCE if normalise(value) in {normalise(SELF_SOURCE), "ผู้รายงานเอง", "ตัวเอง", "ข้าพเจ้า"} else value


def suggested_subject(answers: dict) -> str:
    category = BY_KEY.get(answers.get("category", ""), BY_KEY[OTHER])
    if category.key == OTHER and answers.get("category_other"):
        return f"รายงานเหตุ{answers['category_other']}"[:200]
    return category.subject


def _category_buttons(form: Form) -> list[dict]:
    return [m.say_button(c.label, c.name) for c in CATEGORIES]


def _district_buttons(form: Form) -> list[dict]:
    return [m.say_button(d) for d in form.settings.districts[:13]]


def _occurred_buttons(form: Form) -> list[dict]:
    latest = form.now.astimezone(BANGKOK).strftime("%Y-%m-%dT%H:%M")
    return [m.datetime_button("เลือกวันและเวลา", f"{DATE_PICKER}occurred_at", initial=latest, latest=latest)]


# Steps in the order they are asked. The reporter's details are asked once and remembered.
STEPS: tuple[Step, ...] = (
    Step("category", "category", parse_category, _category_buttons, next=_after_category),
    Step("category_other", "category", parse_choice_or_text(100, "ประเภทของเหตุโดยย่อ")),
    Step("subject", "subject", parse_choice_or_text(200, "เรื่องของรายงาน"),
         lambda form: [m.say_button("ใช้เรื่องที่แนะนำ", suggested_subject(form.answers))],
         values=lambda form: {"suggestion": suggested_subject(form.answers)}),
    Step("occurred_at", "occurred_at", parse_occurred_at, _occurred_buttons),
    Step("facts", "facts", parse_choice_or_text(2000, "สรุปเหตุการณ์ข้อเท็จจริง")),
    Step("initial_help", "initial_help", parse_choice_or_text(2000, "การช่วยเหลือเบื้องต้น"),
         lambda form: [m.say_button("ข้าม")], optional=True),
    Step("source_name", "source", parse_source_name,
         lambda form: [m.say_button("ผู้รายงานเอง", SELF_SOURCE)], next=_after_source_name),
    Step("source_phone", "source", lambda a, f: thai_phone(a), lambda form: [m.say_button("ข้าม")],
         optional=True, next=lambda answers: "reporter"),
    # "reporter" is a junction: with saved details it asks to confirm them, else asks each one.
    Step("reporter_confirm", "reporter", parse_reporter_confirm,
         lambda form: [m.say_button("ใช้ข้อมูลนี้"), m.say_button("แก้ไขข้อมูล")],
         next=_after_reporter_confirm, store=store_reporter_confirm,
         values=lambda form: {"saved": form.known_reporter or {}}),
    Step("reporter_name", "reporter", parse_choice_or_text(200, "ชื่อ-สกุลของผู้รายงาน")),
    Step("reporter_position", "reporter", parse_choice_or_text(200, "ตำแหน่งของผู้รายงาน"),
         lambda form: [m.say_button(label, says) for label, says in POSITIONS]),
    Step("reporter_school", "reporter", parse_choice_or_text(200, "ชื่อโรงเรียน")),
    Step("reporter_district", "reporter", parse_choice_or_text(100, "ชื่ออำเภอ"), _district_buttons),
    Step("reporter_phone", "reporter", lambda a, f: thai_phone(a), next=lambda answers: "photos"),
    Step("photos", "photos", None, lambda form: [m.say_button("เสร็จ"), m.say_button("ข้าม")], optional=True,
         next=lambda answers: "summary"),
)

BY_NAME = {step.name: step for step in STEPS}
GROUPS = {  # what "แก้ไข" offers, in the order of the form, with the typed numbers it accepts
    "category": "ประเภทเหตุ", "subject": "เรื่อง", "occurred_at": "วันเวลาเกิดเหตุ", "facts": "ข้อเท็จจริง",
    "initial_help": "การช่วยเหลือเบื้องต้น", "source": "แหล่งข้อมูล", "reporter": "ผู้รายงาน", "photos": "ภาพประกอบ",
}
FIRST_OF_GROUP = {"category": "category", "subject": "subject", "occurred_at": "occurred_at", "facts": "facts",
                  "initial_help": "initial_help", "source": "source_name", "reporter": "reporter_name",
                  "photos": "photos"}


def natural_next(step: Step, answers: dict) -> str:
    """The step after `step` when filling in the form from top to bottom."""
    if step.next is not None:
        return step.next(answers)
    index = STEPS.index(step)
    return STEPS[index + 1].name
