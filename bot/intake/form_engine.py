"""The report form's conversation: its draft in the database, its photos, filing it; run by the one engine."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.casework.case_view import draft_summary
from bot.core.texts import say
from bot.dialogue import engine
from bot.dialogue.answers import Answer
from bot.dialogue.engine import Chat, Flow, Progress
from bot.intake import cases, urgent
from bot.intake.report_form import GROUPS, KNOWN, REPORTER_FIELDS, STEPS
from bot.line import messages as m
from bot.photos import pipeline as photo_store
from bot.photos.media_store import MediaStore
from models import Draft, ExpiredDraftNotice, Reporter


class DraftStore:
    """The report form keeps its progress in the user's Draft row (locked for the event)."""

    def __init__(self, session: Session, draft: Draft, now):
        self.session, self.draft, self.now = session, draft, now

    def save(self, progress: Progress) -> None:
        self.draft.step, self.draft.answers, self.draft.editing = progress.step, dict(progress.answers), progress.editing
        self.draft.updated_at = self.now

    def drop(self) -> None:
        if self.draft not in self.session.deleted:
            self.session.delete(self.draft)


def load_draft(session: Session, user_id: str, now, ttl_hours: int) -> tuple[Draft | None, bool]:
    """The user's draft (locked for this event) and whether an old one just expired."""
    draft = session.scalars(select(Draft).where(Draft.line_user_id == user_id).with_for_update()).first()
    if draft is not None:
        if now - draft.updated_at > timedelta(hours=ttl_hours):
            session.delete(draft)
            return None, True
        # A notice is left only where the expiry job deleted the draft, and it is read (and
        # deleted) before a new draft can start: with a live draft there is none to look for.
        return draft, False
    notice = session.get(ExpiredDraftNotice, user_id)
    if notice is not None:
        session.delete(notice)
        return draft, True
    return draft, False


def chat_of(turn, draft: Draft) -> Chat:
    """The report form's conversation at the draft's step."""
    progress = Progress(REPORT.name, draft.step, dict(draft.answers), bool(draft.editing))
    return Chat(turn, REPORT, progress, DraftStore(turn.session, draft, turn.now))


def start(turn) -> list[dict]:
    """Begin a new report for this user, remembering their details from the last one."""
    draft = _new_draft(turn)
    return engine.begin(turn, REPORT, DraftStore(turn.session, draft, turn.now), answers=draft.answers)


def _new_draft(turn) -> Draft:
    answers = {}
    reporter = turn.session.scalars(select(Reporter).where(Reporter.line_user_id == turn.user_id)).first()
    if reporter is not None:
        answers[KNOWN] = {k: getattr(reporter, k) for k in REPORTER_FIELDS}
    draft = Draft(line_user_id=turn.user_id, step=STEPS[0].name, answers=answers, editing=False,
                  updated_at=turn.now)
    turn.session.add(draft)
    return draft


def clear_photos(chat: Chat) -> None:
    """Forget the photos sent so far (and their files): "ลบภาพทั้งหมด"."""
    chat.answers["photos"] = []
    photo_store.discard_unfiled(chat.session, chat.user_id, MediaStore(chat.settings.media_dir))


def _on_media(chat: Chat, answer: Answer) -> list[dict] | None:
    """A photo at any step is kept for the photos step (or joins the urgent case already filed); LINE keeps it
    only briefly, so it is fetched now."""
    if answer.kind != "image":
        return None
    photos = list(chat.answers.get("photos", []))
    if all(p["message_id"] != answer.message_id for p in photos):
        photos.append({"message_id": answer.message_id, "image_set": answer.image_set})
        photo_store.receive(chat.session, chat.user_id, answer.message_id, chat.now, answer.image_set)
    chat.answers["photos"] = photos
    urgent.add_details(chat)
    if not _image_set_complete(photos, answer.image_set):
        return []  # more photos of the same send are on their way; answer once for the set
    if chat.progress.step != "photos":
        return engine.ask(chat, say("photo_kept_early", count=len(photos)))
    return [m.text(say("photo_received", count=len(photos)), [m.say_button("เสร็จ"), m.say_button("ยกเลิก")])]


def _image_set_complete(photos: list[dict], image_set: dict | None) -> bool:
    if not image_set:
        return True
    same = [p for p in photos if (p.get("image_set") or {}).get("id") == image_set.get("id")]
    return len(same) >= int(image_set.get("total") or 1)


def _cancelled(chat: Chat) -> list[dict]:
    filed = urgent.filed_case(chat)
    reply = urgent.stopped(chat, filed) if filed else [m.text(say("report_cancelled"), [m.say_button("แจ้งเหตุ")])]
    photo_store.discard_unfiled(chat.session, chat.user_id, MediaStore(chat.settings.media_dir))
    return reply


def _file(chat: Chat) -> list[dict]:
    """The confirmed report becomes a case; an urgent one filed already gets its details instead."""
    filed = urgent.filed_case(chat)
    if filed is not None:
        return urgent.complete(chat, filed)
    draft = chat.store.draft
    draft.answers = dict(chat.answers)
    return cases.file_case(chat.session, draft, chat.now, chat.settings)


def start_urgent(turn, answer: Answer) -> list[dict]:
    """"ด่วน" (or the urgent button) outside the form: a new report on the fast track at once."""
    return engine.handle(chat_of(turn, _new_draft(turn)), answer)


REPORT = Flow(
    name="report", steps=STEPS, groups=GROUPS, finish=_file, cancelled=_cancelled,
    summary=lambda chat: draft_summary(chat.answers), on_media=_on_media,
    intro=lambda chat: [m.text(say("report_intro"))],
    minutes=lambda settings: settings.draft_ttl_hours * 60, fast=urgent.FAST_TRACK,
)
