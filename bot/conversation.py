"""What the bot answers a person in a one-to-one chat: commands by table, else the report form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot import cases, form_engine, officers
from bot import messages as m
from bot.answers import Answer, normalise
from bot.report_form import Form
from bot.texts import say
from config.settings import Settings


@dataclass
class Turn:
    """One event's worth of context: who, when, and the unit of work it runs in."""

    session: Session
    user_id: str
    now: datetime
    settings: Settings

    def form(self, answers: dict | None = None) -> Form:
        return Form(answers=answers or {}, now=self.now, settings=self.settings)


MENU_BUTTONS = ("แจ้งเหตุ", "สถานะ", "เมนู")


def menu_buttons() -> list[dict]:
    return [m.say_button(label) for label in MENU_BUTTONS]


def on_input(turn: Turn, answer: Answer) -> list[dict]:
    """Answer whatever the user sent: a command, an answer to the form, or a hint."""
    draft, expired = form_engine.load_draft(turn.session, turn.user_id, turn.now, turn.settings.draft_ttl_hours)
    notice = [m.text(say("draft_expired", hours=turn.settings.draft_ttl_hours))] if expired else []
    command = COMMANDS.get(normalise(answer.text)) if answer.kind == "text" else None
    if command is not None:
        return notice + command(turn, draft)
    if draft is not None:
        return notice + form_engine.answer(turn.session, draft, answer, turn.form(draft.answers), _file)
    code_reply = officers.try_link(turn.session, turn.user_id, answer, turn.now)
    if code_reply is not None:
        return notice + code_reply
    return notice + _outside_form(turn, answer)


def _file(session: Session, draft, form: Form) -> list[dict]:
    return cases.file_case(session, draft, form.now, form.settings.centre_hotlines)


def start_report(turn: Turn, draft) -> list[dict]:
    if draft is not None:
        return form_engine.ask(draft, turn.form(draft.answers), say("draft_in_progress"))
    return form_engine.start(turn.session, turn.user_id, turn.form())


def show_status(turn: Turn, draft) -> list[dict]:
    mine = cases.cases_of(turn.session, turn.user_id)
    reply = [m.text(say("my_cases", cases=mine, state_names=cases.STATE_NAMES), menu_buttons())]
    return reply + (form_engine.ask(draft, turn.form(draft.answers)) if draft else [])


def show_menu(turn: Turn, draft) -> list[dict]:
    reply = [m.text(say("menu", centre=turn.settings.centre_name, hotlines=turn.settings.centre_hotlines),
                    None if draft else menu_buttons())]
    return reply + (form_engine.ask(draft, turn.form(draft.answers)) if draft else [])


def cancel_nothing(turn: Turn, draft) -> list[dict]:
    if draft is not None:
        return form_engine.answer(turn.session, draft, Answer("text", "ยกเลิก"), turn.form(draft.answers), _file)
    return [m.text(say("nothing_to_cancel"), menu_buttons())]


def _outside_form(turn: Turn, answer: Answer) -> list[dict]:
    if answer.kind == "image":
        return [m.text(say("photo_outside_form"), menu_buttons())]
    return [m.text(say("not_understood"), menu_buttons())]


def greet(turn: Turn) -> list[dict]:
    """The first message a principal sees after adding the Official Account."""
    return [m.text(say("welcome", centre=turn.settings.centre_name, hotlines=turn.settings.centre_hotlines),
                   menu_buttons())]


COMMANDS = {
    **dict.fromkeys(("แจ้งเหตุ", "report", "รายงาน", "รายงานเหตุ"), start_report),
    **dict.fromkeys(("สถานะ", "status"), show_status),
    **dict.fromkeys(("เมนู", "menu", "help", "วิธีใช้"), show_menu),
    **dict.fromkeys(("ยกเลิก", "cancel"), cancel_nothing),
}
