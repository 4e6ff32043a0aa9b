"""The centre's preliminary incident-report form: ONE table of steps (STEPS below), run by bot/dialogue/engine.py.

To add or change a question, edit STEPS: its name (the template is templates/line/ask_<name>.txt), how a
typed answer is read, the choices it offers, whether "ข้าม" is allowed, and which step follows.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.core.districts import canonical_district
from bot.core.texts import say
from bot.core.thai_dates import (BANGKOK, DateParseError, YearQuestion, example_time, format_date, parse_date,
                                 parse_datetime, says_nothing)
from bot.dialogue.answers import Answer, Invalid, free_text, normalise, require_text, thai_phone
from bot.dialogue.choices import Choice
from bot.dialogue.engine import ASKING, DONE, FAST, Step
from bot.dialogue.payloads import PickDate
from bot.line import messages as m
from config.categories import BY_KEY, CATEGORIES, OTHER

SELF_SOURCE = "ผู้รายงาน"
POSITIONS = (  # (button label, what it answers)
    ("ผู้อำนวยการโรงเรียน", "ผู้อำนวยการโรงเรียน"), ("รองผู้อำนวยการ", "รองผู้อำนวยการโรงเรียน"),
    ("รักษาการ ผอ.", "รักษาการในตำแหน่งผู้อำนวยการโรงเรียน"), ("ครู", "ครู"),
)
UNKNOWN_TIME = "ไม่ทราบเวลาแน่ชัด"
UNKNOWN_WORDS = ("ไม่ทราบเวลาแน่ชัด", "ไม่ทราบเวลา", "ไม่แน่ใจเวลา", "จำเวลาไม่ได้")
PENDING = ("_occurred_meant", "_occurred_day", "_occurred_retry")  # the occurred-at steps' work in progress
REPORTER_FIELDS = ("name", "position", "school", "district", "phone")
KNOWN = "_known_reporter"  # the reporter's details from their last report
URGENT_REASON = "_urgent_reason"  # why the report is urgent: the principal asked, the category, a word
# Report first, details after: these words (alone, or followed by what happened) at any step, or the button.
URGENT_BUTTON = "เหตุด่วน/อันตรายถึงชีวิต"
URGENT_WORDS = ("ด่วน", "เหตุด่วน", "แจ้งด่วน", "ด่วนมาก", "ด่วนที่สุด", "urgent", URGENT_BUTTON)
URGENT_STEPS = ("subject", "reporter_school", "reporter_phone")  # what happened, the school, a phone to call back


# ---- reading answers -------------------------------------------------------------------------

def urgent_taken(answer: Answer) -> str | None:
    """"ด่วน" (or the urgent button) alone gives ""; "ด่วน นักเรียนจมน้ำ" gives what follows; else None."""
    if answer.kind != "text":
        return None
    if normalise(answer.text) in {normalise(word) for word in URGENT_WORDS}:
        return ""
    head, _, rest = answer.words.partition(" ")
    return rest if head in URGENT_WORDS and rest else None


def text_answer(limit: int, what: str):
    """A parser for a typed answer of at most `limit` characters."""
    return lambda answer, chat: free_text(answer, what, limit)


def parse_occurred_at(answer: Answer, chat) -> dict:
    """A date and time; "เมื่อวาน ไม่ทราบเวลา" is the day alone; a year of either era is asked about."""
    if answer.kind != "datetime":  # typed: nothing visible, or not text at all, is said so
        require_text(answer, "วันและเวลาที่เกิดเหตุ")
    day_only = next((w for w in UNKNOWN_WORDS if w in answer.text), None)
    if day_only:
        rest = answer.text.replace(day_only, " ")
        return UNKNOWN_TIME if says_nothing(rest) else _read_day(rest, chat)
    try:
        return {"at": parse_datetime(answer.text, chat.now).isoformat(), "day_only": False}
    except YearQuestion as question:
        return {"meant": question.meant.isoformat(), "day_only": False}
    except DateParseError as error:
        raise Invalid(str(error)) from error


def parse_occurred_day(answer: Answer, chat) -> dict:
    """The day alone, after "ไม่ทราบเวลาแน่ชัด": typed, or picked in LINE's date picker."""
    if answer.kind != "datetime":
        require_text(answer, "วันที่เกิดเหตุ")
    return _read_day(answer.text, chat)


def _read_day(text: str, chat) -> dict:
    try:
        return _day_only(parse_date(text, chat.now, ask_year=True))
    except YearQuestion as question:
        return {"meant": question.meant.isoformat(), "day_only": True}
    except DateParseError as error:
        raise Invalid(str(error)) from error


def _day_only(day) -> dict:
    return {"at": datetime.combine(day, time(0, 0), tzinfo=BANGKOK).isoformat(), "day_only": True}


def parse_source_name(answer: Answer, chat) -> str:
    return free_text(answer, "ชื่อ-สกุลของผู้ให้ข้อมูล", 200)


def parse_district(answer: Answer, chat) -> str:
    return canonical_district(free_text(answer, "ชื่ออำเภอ", 100), list(chat.settings.districts))


def parse_photo_word(answer: Answer, chat):
    from bot.dialogue.answers import KIND_NAMES

    raise Invalid(say("photos_expected", sent=KIND_NAMES.get(answer.kind, KIND_NAMES["other"])))


def store_occurred_at(answers: dict, value, chat) -> None:
    """A moment is kept; "ไม่ทราบเวลาแน่ชัด" asks for the day; a year of either era is asked about first."""
    for key in PENDING:
        answers.pop(key, None)
    if value == UNKNOWN_TIME:
        answers["_occurred_day"] = True
    elif "meant" in value:
        answers["_occurred_meant"] = value
    else:
        answers["occurred_at"], answers["occurred_time_unknown"] = value["at"], value["day_only"]


def store_year_meant(answers: dict, meant, chat) -> None:
    """ "ใช่": the day asked about is kept; "ไม่ใช่": the day (or the moment) is asked again; a date typed
    instead is read as a new answer."""
    if isinstance(meant, dict):
        return store_occurred_at(answers, meant, chat)
    guess = answers.pop("_occurred_meant", None) or {}
    if meant and guess:
        store_occurred_at(answers, {"at": guess["meant"], "day_only": guess["day_only"]}, chat)
    else:
        answers["_occurred_retry"] = "occurred_day" if guess.get("day_only") else "occurred_at"


def store_reporter_confirm(answers: dict, use_saved: bool, chat) -> None:
    """The saved details, under what was answered already (an urgent report asks the school and phone first)."""
    answers["reporter_confirm"] = use_saved
    if use_saved:
        answers.update(reporter_details(answers))


def reporter_details(answers: dict) -> dict:
    """The reporter's details: those answered in this report, else the saved ones."""
    known = answers.get(KNOWN) or {}
    return {f"reporter_{k}": answers.get(f"reporter_{k}") or known.get(k) or "" for k in REPORTER_FIELDS}


def store_photos_word(answers: dict, value, chat) -> None:
    """"เสร็จ" ends the photos; "ข้าม" with photos already sent asks; "ลบภาพทั้งหมด" starts again."""
    from bot.intake.form_engine import clear_photos

    photos = answers.get("photos", [])
    if value is None and photos:
        raise Invalid(say("photos_skip_has_photos", count=len(photos)))
    if value == "clear":
        clear_photos(chat)
        raise Invalid(say("photos_cleared"))


# ---- where to go next ------------------------------------------------------------------------

def after_occurred(answers: dict) -> str:
    """Ask which era was meant, or for the day, or (the moment known) go on to the facts."""
    if "_occurred_meant" in answers:
        return "occurred_year"
    if answers.get("_occurred_day"):
        return "occurred_day"
    return answers.get("_occurred_retry") or "facts"


def occurred_echo(chat) -> str | None:
    """What was understood, at once: "รับทราบ: 2 ธันวาคม 2569 เวลา 15.00 น."."""
    a = chat.answers
    if "_occurred_retry" in a:
        return say("date_year_not_meant", day_only=a["_occurred_retry"] == "occurred_day")
    if any(key in a for key in PENDING) or "occurred_at" not in a:
        return None
    return say("date_understood", occurred_at=datetime.fromisoformat(a["occurred_at"]),
               unknown=a.get("occurred_time_unknown", False))


def after_category(answers: dict) -> str:
    return "category_other" if answers.get("category") == OTHER else "subject"


def to_reporter(answers: dict) -> str:
    """The reporter's details: confirm the saved ones with one tap, or ask each."""
    known = answers.get(KNOWN) or {}
    return "reporter_confirm" if known and all(known.get(k) for k in REPORTER_FIELDS) else "reporter_name"


def after_source_name(answers: dict) -> str:
    return to_reporter(answers) if answers.get("source_name") == SELF_SOURCE else "source_phone"


def after_reporter_confirm(answers: dict) -> str:
    return "photos" if answers.get("reporter_confirm") else "reporter_name"


# ---- choices ---------------------------------------------------------------------------------

def suggested_subject(answers: dict) -> str:
    category = BY_KEY.get(answers.get("category", ""), BY_KEY[OTHER])
    if category.key == OTHER and answers.get("category_other"):
        return f"รายงานเหตุ{answers['category_other']}"[:200]
    return category.subject


def category_choices(chat) -> list[Choice]:
    return [Choice(c.label, c.key, says=c.name, words=(c.key, *c.synonyms)) for c in CATEGORIES]


def fast_asking(chat) -> bool:
    """The urgent report's three questions are being asked (they read differently, without suggestions)."""
    return chat.answers.get(FAST) == ASKING


def subject_choices(chat) -> list[Choice]:
    if fast_asking(chat):
        return []
    suggestion = suggested_subject(chat.answers)
    return [Choice("ใช้เรื่องที่แนะนำ", suggestion, says=suggestion, text=f"ใช้เรื่องที่แนะนำ ({suggestion})")]


def occurred_choices(chat) -> list[Choice]:
    return [Choice(UNKNOWN_TIME, UNKNOWN_TIME, words=UNKNOWN_WORDS[1:] + ("ไม่ทราบ",))]


def occurred_picker(chat) -> list[dict]:
    latest = chat.now.astimezone(BANGKOK).strftime("%Y-%m-%dT%H:%M")
    return [m.datetime_button("เลือกวันและเวลา", PickDate("occurred_at").data, initial=latest, latest=latest)]


def day_choices(chat) -> list[Choice]:
    today = chat.now.astimezone(BANGKOK).date()
    return [Choice("วันนี้", _day_only(today)), Choice("เมื่อวาน", _day_only(today - timedelta(days=1)))]


def day_picker(chat) -> list[dict]:
    latest = chat.now.astimezone(BANGKOK).strftime("%Y-%m-%d")
    return [m.datetime_button("เลือกวันที่", PickDate("occurred_day").data, initial=latest, latest=latest,
                              mode="date")]


def year_values(chat) -> dict:
    guess = chat.answers.get("_occurred_meant") or {"meant": chat.now.isoformat(), "day_only": False}
    return {"meant": datetime.fromisoformat(guess["meant"]), "day_only": guess["day_only"]}


def year_choices(chat) -> list[Choice]:
    return [Choice("ใช่", True, words=("ใช่ครับ", "ใช่ค่ะ", "ถูกต้อง", "yes")),
            Choice("ไม่ใช่", False, words=("ไม่", "ผิด", "no"))]


def saved_choice(field: str, label: str):
    """The value saved from the reporter's last report, offered as one tap (its label, since values are long)."""
    def choices(chat) -> list[Choice]:
        saved = (chat.answers.get(KNOWN) or {}).get(field)
        return [Choice(label, saved, says=saved)] if saved else []
    return choices


def urgent_button(chat) -> list[dict]:
    return [m.say_button(URGENT_BUTTON)]


def district_choices(chat) -> list[Choice]:
    return [Choice(d) for d in chat.settings.districts]


def photo_choices(chat) -> list[Choice]:
    done = [Choice("เสร็จ", "done", words=("เสร็จแล้ว", "done", "ส่งครบแล้ว"))]
    if chat.answers.get("photos"):
        done.append(Choice("ลบภาพทั้งหมด", "clear", words=("ลบภาพ",)))
    return done


def occurred_values(chat) -> dict:
    """Examples that are valid whenever the question is asked: half an hour ago, and yesterday."""
    yesterday = chat.now.astimezone(BANGKOK) - timedelta(days=1)
    return {"example": example_time(chat.now), "day_example": format_date(yesterday, "short")}


def _saved(chat) -> dict:
    return {k.removeprefix("reporter_"): v for k, v in reporter_details(chat.answers).items()}


# Steps in the order they are asked. The reporter's details are asked once and remembered.
STEPS: tuple[Step, ...] = (
    Step("category", group="category", choices=category_choices, next=after_category, invalid="invalid_category",
         what="ประเภทของเหตุ", buttons=urgent_button),
    Step("category_other", group="category", parse=text_answer(100, "ประเภทของเหตุโดยย่อ")),
    Step("subject", group="subject", parse=text_answer(200, "เรื่องของรายงาน"), choices=subject_choices,
         values=lambda chat: {"suggestion": suggested_subject(chat.answers)}),
    Step("occurred_at", group="occurred_at", parse=parse_occurred_at, choices=occurred_choices, buttons=occurred_picker,
         values=occurred_values, store=store_occurred_at, next=after_occurred, echo=occurred_echo),
    Step("occurred_year", group="occurred_at", parse=parse_occurred_at, choices=year_choices, store=store_year_meant,
         next=after_occurred, echo=occurred_echo, values=year_values),
    Step("occurred_day", group="occurred_at", parse=parse_occurred_day, choices=day_choices, buttons=day_picker,
         store=store_occurred_at, next=after_occurred, echo=occurred_echo),
    Step("facts", group="facts", parse=text_answer(2000, "สรุปเหตุการณ์ข้อเท็จจริง")),
    Step("initial_help", group="initial_help", parse=text_answer(2000, "การช่วยเหลือเบื้องต้น"), optional=True),
    Step("source_name", group="source", parse=parse_source_name, next=after_source_name,
         choices=lambda chat: [Choice("ผู้รายงานเอง", SELF_SOURCE, words=("ตัวเอง", "ข้าพเจ้า", SELF_SOURCE))]),
    Step("source_phone", group="source", parse=lambda a, chat: thai_phone(a), optional=True, next=to_reporter),
    Step("reporter_confirm", group="reporter", next=after_reporter_confirm, store=store_reporter_confirm,
         choices=lambda chat: [Choice("ใช้ข้อมูลนี้", True, words=("ใช้", "ใช่", "ถูกต้อง", "yes", "ok")),
                               Choice("แก้ไขข้อมูล", False, words=("ไม่ใช่", "no"))],
         values=lambda chat: {"saved": _saved(chat)},
         invalid="invalid_reporter_confirm", what="ใช้ข้อมูลนี้ หรือ แก้ไข"),
    Step("reporter_name", group="reporter", parse=text_answer(200, "ชื่อ-สกุลของผู้รายงาน")),
    Step("reporter_position", group="reporter", parse=text_answer(200, "ตำแหน่งของผู้รายงาน"),
         choices=lambda chat: [Choice(label, says, says=says) for label, says in POSITIONS]),
    Step("reporter_school", group="reporter", parse=text_answer(200, "ชื่อโรงเรียน"),
         choices=saved_choice("school", "ใช้ชื่อโรงเรียนเดิม")),
    Step("reporter_district", group="reporter", parse=parse_district, choices=district_choices),
    Step("reporter_phone", group="reporter", parse=lambda a, chat: thai_phone(a), next=lambda answers: "photos",
         choices=saved_choice("phone", "ใช้เบอร์เดิม")),
    Step("photos", group="photos", parse=parse_photo_word, choices=photo_choices, optional=True,
         store=store_photos_word, next=lambda answers: DONE,
         values=lambda chat: {"photo_count": len(chat.answers.get("photos", []))}),
)

# What "แก้ไข" on the summary offers, in the order of the form: (group, label, the step editing starts at).
GROUPS = (
    ("category", "ประเภทเหตุ", "category"), ("subject", "เรื่อง", "subject"),
    ("occurred_at", "วันเวลาเกิดเหตุ", "occurred_at"), ("facts", "ข้อเท็จจริง", "facts"),
    ("initial_help", "การช่วยเหลือเบื้องต้น", "initial_help"), ("source", "แหล่งข้อมูล", "source_name"),
    ("reporter", "ผู้รายงาน", "reporter_name"), ("photos", "ภาพประกอบ", "photos"),
)
