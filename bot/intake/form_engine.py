"""Runs the report form: asks the current step, reads answers, and does cancel, skip and edit for all steps."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import messages as m
from bot.photos import pipeline as photo_store
from bot.photos.media_store import MediaStore
from bot.dialogue.answers import KIND_NAMES, Answer, Invalid, normalise
from bot.intake.report_form import BY_NAME, FIRST_OF_GROUP, GROUPS, Form, Step, natural_next
from bot.core.texts import say
from models import Draft, ExpiredDraftNotice, Reporter

CANCEL = {"ยกเลิก", "cancel"}
SKIP = {"ข้าม", "skip"}
DONE = {"เสร็จ", "เสร็จแล้ว", "done", "ส่งครบแล้ว"}
CONFIRM = {"ยืนยัน", "confirm", "ยืนยันการรายงาน"}
EDIT = {"แก้ไข", "edit"}
STOP_EDITING = "ยกเลิกการแก้ไข"
CLEAR_PHOTOS = {"ลบภาพทั้งหมด", "ลบภาพ"}
REPORTER_FIELDS = ("name", "position", "school", "district", "phone")


def is_cancel(answer: Answer) -> bool:
    return answer.kind == "text" and normalise(answer.text) in CANCEL


def load_draft(session: Session, user_id: str, now, ttl_hours: int) -> tuple[Draft | None, bool]:
    """The user's draft (locked for this event) and whether an old one just expired."""
    draft = session.scalars(select(Draft).where(Draft.line_user_id == user_id).with_for_update()).first()
    if draft is not None and now - draft.updated_at > timedelta(hours=ttl_hours):
        session.delete(draft)
        return None, True
    notice = session.get(ExpiredDraftNotice, user_id)
    if notice is not None:
        session.delete(notice)
        return draft, True
    return draft, False


def start(session: Session, user_id: str, form: Form) -> list[dict]:
    """Begin a new report for this user, remembering their details from the last one."""
    answers = {}
    reporter = session.scalars(select(Reporter).where(Reporter.line_user_id == user_id)).first()
    if reporter is not None:
        answers["_known_reporter"] = {k: getattr(reporter, k) for k in REPORTER_FIELDS}
    draft = Draft(line_user_id=user_id, step="category", answers=answers, editing=False, updated_at=form.now)
    session.add(draft)
    return [m.text(say("report_intro")), *ask(draft, form)]


def ask(draft: Draft, form: Form, prefix: str | None = None) -> list[dict]:
    """The current question, with its buttons (and an explanation before it, if any)."""
    form.answers = draft.answers
    if draft.step == "summary":
        return summary(draft, form, prefix)
    if draft.step == "edit_pick":
        body = say("ask_edit_pick", groups=list(GROUPS.values()))
        buttons = [m.say_button(label) for label in GROUPS.values()]
        return [m.text(_join(prefix, body), buttons + [m.say_button(STOP_EDITING)])]
    step = BY_NAME[draft.step]
    body = say(f"ask_{step.name}", answers=draft.answers, editing=draft.editing,
               photo_count=len(draft.answers.get("photos", [])), **step.values(form))
    buttons = step.buttons(form) + [m.say_button(STOP_EDITING if draft.editing else "ยกเลิก")]
    return [m.text(_join(prefix, body), buttons)]


def summary(draft: Draft, form: Form, prefix: str | None = None) -> list[dict]:
    from bot.casework.case_view import draft_summary

    buttons = [m.say_button("ยืนยัน"), m.say_button("แก้ไข"), m.say_button("ยกเลิก")]
    return m.texts(_join(prefix, draft_summary(draft.answers)), buttons)


def _join(prefix: str | None, body: str) -> str:
    return f"{prefix}\n\n{body}" if prefix else body


def answer(session: Session, draft: Draft, reply: Answer, form: Form, file_case) -> list[dict]:
    """Take one answer to the current step and say what comes next."""
    draft.updated_at = form.now
    form.answers = dict(draft.answers)
    if reply.kind == "text" and normalise(reply.text) == STOP_EDITING and (draft.editing or draft.step == "edit_pick"):
        return _go(draft, "summary", form)
    if is_cancel(reply):
        photo_store.discard_unfiled(session, draft.line_user_id, MediaStore(form.settings.media_dir))
        session.delete(draft)
        return [m.text(say("report_cancelled"), [m.say_button("แจ้งเหตุ")])]
    if draft.step == "photos" or reply.kind == "image":
        return _on_photos(session, draft, reply, form)
    if draft.step == "summary":
        return _on_summary(session, draft, reply, form, file_case)
    if draft.step == "edit_pick":
        return _on_edit_pick(draft, reply, form)
    return _on_step(draft, BY_NAME[draft.step], reply, form)


def _on_step(draft: Draft, step: Step, reply: Answer, form: Form) -> list[dict]:
    if reply.kind == "text" and normalise(reply.text) in SKIP:
        if not step.optional:
            return ask(draft, form, say("cannot_skip"))
        value = None
    else:
        try:
            value = step.parse(reply, form)
        except Invalid as problem:
            return ask(draft, form, str(problem))
    answers = dict(draft.answers)
    if step.store:
        step.store(answers, value, form)
    else:
        answers[step.name] = value
    draft.answers = answers
    return _go(draft, _next_after(step, draft), form)


def _next_after(step: Step, draft: Draft) -> str:
    following = natural_next(step, draft.answers)
    if following == "reporter":
        following = "reporter_confirm" if _knows_reporter(draft) else "reporter_name"
    if draft.editing and (following not in BY_NAME or BY_NAME[following].group != step.group):
        return "summary"
    return following


def _knows_reporter(draft: Draft) -> bool:
    return bool(draft.answers.get("_known_reporter"))


def add_photo(session: Session, draft: Draft, reply: Answer, now) -> list[dict]:
    """Keep the photo in the draft and have it fetched from LINE right away (LINE keeps it only briefly)."""
    photos = list(draft.answers.get("photos", []))
    if all(p["message_id"] != reply.message_id for p in photos):
        photos.append({"message_id": reply.message_id, "image_set": reply.image_set})
        photo_store.receive(session, draft.line_user_id, reply.message_id, now, reply.image_set)
    draft.answers = {**draft.answers, "photos": photos}
    return photos


def _go(draft: Draft, step_name: str, form: Form) -> list[dict]:
    draft.step = step_name
    if step_name == "summary":
        draft.editing = False
    return ask(draft, form)


def _on_photos(session: Session, draft: Draft, reply: Answer, form: Form) -> list[dict]:
    if reply.kind == "image":
        photos = add_photo(session, draft, reply, form.now)
        if not _image_set_complete(photos, reply.image_set):
            return []  # more photos of the same send are on their way; answer once for the set
        if draft.step != "photos":  # a photo sent early is kept for the photos step
            return ask(draft, form, say("photo_kept_early", count=len(photos)))
        return [m.text(say("photo_received", count=len(photos)), [m.say_button("เสร็จ"), m.say_button("ยกเลิก")])]
    photos = draft.answers.get("photos", [])
    words = normalise(reply.text) if reply.kind == "text" else ""
    if words in {normalise(w) for w in CLEAR_PHOTOS}:
        draft.answers = {**draft.answers, "photos": []}
        photo_store.discard_unfiled(session, draft.line_user_id, MediaStore(form.settings.media_dir))
        return ask(draft, form, say("photos_cleared"))
    if words in DONE or words in SKIP:
        if words in SKIP and photos:
            return ask(draft, form, say("photos_skip_has_photos", count=len(photos)))
        return _go(draft, "summary", form)
    return ask(draft, form, say("photos_expected", sent=KIND_NAMES.get(reply.kind, KIND_NAMES["other"])))


def _image_set_complete(photos: list[dict], image_set: dict | None) -> bool:
    if not image_set:
        return True
    same = [p for p in photos if (p.get("image_set") or {}).get("id") == image_set.get("id")]
    return len(same) >= int(image_set.get("total") or 1)


def _on_summary(session, draft: Draft, reply: Answer, form: Form, file_case) -> list[dict]:
    words = normalise(reply.text) if reply.kind == "text" else ""
    if words in CONFIRM:
        return file_case(session, draft, form)
    if words in EDIT:
        return _go(draft, "edit_pick", form)
    return summary(draft, form, say("summary_expected"))


def _on_edit_pick(draft: Draft, reply: Answer, form: Form) -> list[dict]:
    words = normalise(reply.text) if reply.kind == "text" else ""
    for number, (group, label) in enumerate(GROUPS.items(), start=1):
        if words in {str(number), normalise(label), group}:
            draft.editing = True
            return _go(draft, FIRST_OF_GROUP[group], form)
    return ask(draft, form, say("invalid_edit_pick"))
