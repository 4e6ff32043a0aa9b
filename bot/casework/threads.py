"""Nothing a principal writes outside the form is lost: it joins the thread of their open (or recently closed) case."""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from sqlalchemy import select

from bot.casework import actions as casework
from bot.casework.states import OPEN
from bot.core.texts import say
from bot.core.urgency import danger_words
from bot.dialogue import chat_state
from bot.dialogue.answers import Answer
from bot.dialogue.choices import Choice
from bot.dialogue.engine import Flow, Step
from bot.line import messages as m
from bot.photos import pipeline as photos
from config.urgent import load as urgent_words
from models import Case

PICK_MINUTES = 30
NEW_REPORT = "new"


def open_cases_of(session, user_id: str) -> list[Case]:
    """The reporter's own cases that are not closed, newest first."""
    query = select(Case).where(Case.reporter_line_user_id == user_id, Case.state.in_(OPEN)).order_by(Case.id.desc())
    return list(session.scalars(query))


def closed_cases_of(session, user_id: str, limit: int = 3) -> list[Case]:
    """The reporter's closed cases, the most recently closed first."""
    query = select(Case).where(Case.reporter_line_user_id == user_id, Case.state == "closed") \
        .order_by(Case.closed_at.desc(), Case.id.desc()).limit(limit)
    return list(session.scalars(query))


FLOWS: dict[str, Flow] = {}  # filled below and by the router (closed_or_new needs the report form)
# Filled by the router: "raise_urgent" (bot/intake/urgent.raise_case), which makes an open case urgent when
# a message names a danger; it lives with the urgent reports, a floor above the casework.
HOOKS: dict[str, Callable] = {}


def add_to_case(turn, answer: Answer) -> list[dict] | None:
    """Add text or a photo to the principal's case, asking which when it is not clear. None: they have none."""
    if answer.kind not in ("text", "image"):
        return None
    held = {"kind": answer.kind, "text": answer.text, "message_id": answer.message_id}
    mine = open_cases_of(turn.session, turn.user_id)
    if len(mine) == 1:
        return _add(turn, mine[0], held)
    if mine:
        return chat_state.begin(turn, PICK_CASE, data={"held": held, "cases": [c.id for c in mine[:12]]})
    closed = closed_cases_of(turn.session, turn.user_id)
    if not closed:
        return None
    window = timedelta(days=turn.settings.closed_case_messages_days)
    if closed[0].closed_at and turn.now - closed[0].closed_at <= window:
        return _add(turn, closed[0], held)
    return chat_state.begin(turn, FLOWS["closed_or_new"], data={"held": held, "cases": [c.id for c in closed]})


def _add(turn, case: Case, held: dict) -> list[dict]:
    if held["kind"] == "image":
        photo = photos.receive(turn.session, turn.user_id, held["message_id"], turn.now, case_id=case.id)
        return casework.from_reporter(turn.session, case, turn.now, photo_id=photo.id)
    text = held["text"].strip()[:2000]
    danger = danger_words(text, urgent_words(turn.settings.urgent_keywords_path))
    alarm = HOOKS["raise_urgent"](turn.session, case, danger[0], turn.now, turn.settings) if danger else []
    return alarm + casework.from_reporter(turn.session, case, turn.now, text=text, danger=bool(danger))


def _cases(chat) -> list[Case]:
    found = (chat.session.get(Case, case_id) for case_id in chat.data["cases"])
    return [c for c in found if c is not None and c.reporter_line_user_id == chat.user_id]


def _case_choices(chat) -> list[Choice]:
    return [Choice(c.reference, c.id, says=f"เรื่อง {c.reference}", text=f"{c.reference} {c.subject}",
                   words=(c.reference,)) for c in _cases(chat)]


def _closed_choices(chat) -> list[Choice]:
    return _case_choices(chat) + [Choice("แจ้งเหตุใหม่", NEW_REPORT, words=("เรื่องใหม่", "แจ้งเหตุ"))]


def _held_to_case(chat) -> list[dict]:
    return _add(chat.turn, chat.session.get(Case, chat.answers["case"]), chat.data["held"])


def _values(chat) -> dict:
    return {"cases": _cases(chat)}


def _not_sent(chat) -> list[dict]:
    return [m.text(say("pick_case_cancelled"))]


# Which case a principal's message belongs to: with several open cases, and about an old closed one.
PICK_CASE = Flow(name="pick_case", steps=(Step("case", choices=_case_choices, question="pick_case"),),
                 finish=_held_to_case, cancelled=_not_sent, values=_values, minutes=lambda settings: PICK_MINUTES)
FLOWS["pick_case"] = PICK_CASE


def closed_or_new(start_report) -> Flow:
    """Asked when a principal writes long after their case closed: about that case, or a new report?"""
    def finish(chat) -> list[dict]:
        if chat.answers["case"] == NEW_REPORT:
            return [m.text(say("closed_or_new_report"))] + start_report(chat.turn)
        return _held_to_case(chat)
    return Flow(name="closed_or_new", steps=(Step("case", choices=_closed_choices, question="closed_or_new"),),
                finish=finish, cancelled=_not_sent, values=_values, minutes=lambda settings: PICK_MINUTES)
