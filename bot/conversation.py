"""What the bot answers a person in a one-to-one chat: commands by table, else the report form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.intake import cases
from bot.dialogue import chat_state
from bot.intake import form_engine
from bot.fund import chat as fund_chat
from bot import officer_desk
from bot.staff import officers
from bot.casework import threads
from bot.line import messages as m
from bot.dialogue.answers import Answer, normalise
from bot.intake.report_form import Form
from bot.casework.states import STATES
from bot.core.texts import say
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
OFFICER_MENU = {"เมนูเจ้าหน้าที่", "officer", "เจ้าหน้าที่"}
PRINCIPAL_PAYLOADS = (f"{threads.PICK_PREFIX}:", "v1:pfund:")  # buttons principals get; the rest are officers'


def menu_buttons() -> list[dict]:
    return [m.say_button(label) for label in MENU_BUTTONS]


def on_input(turn: Turn, answer: Answer) -> list[dict]:
    """Answer whatever the user sent: an officer's command, a principal's command, a form answer…"""
    officer = officer_desk.officer_of(turn.session, turn.user_id)
    if officer is not None:
        reply = _as_officer(turn, officer, answer)
        if reply is not None:
            return reply
    elif answer.kind == "text" and answer.words.startswith("สถานะ ") and officer_desk.is_officer_command(answer):
        return show_status(turn, None)  # a principal asking about a case sees their own cases
    elif officer_desk.is_officer_command(answer) or answer.kind == "postback" and not _is_principal_payload(answer):
        return [m.text(say("officers_only"), menu_buttons())]
    return _as_principal(turn, answer)


def _as_officer(turn: Turn, officer, answer: Answer) -> list[dict] | None:
    """Officer traffic; None lets the message through to the principal's side (officers may report too)."""
    if answer.kind == "postback" and not _is_principal_payload(answer):
        return officer_desk.on_postback(turn, officer, answer.text.split(":"))
    if answer.kind == "text" and answer.words in officer_desk.LIST_COMMANDS:
        return officer_desk.LIST_COMMANDS[answer.words](turn)
    if officer_desk.is_officer_command(answer):
        return officer_desk.on_command(turn, officer, answer)
    waiting = chat_state.current(turn.session, turn.user_id, turn.now)
    if waiting is not None and waiting.kind in officer_desk.WAITING_KINDS:
        return officer_desk.on_waiting(turn, officer, waiting, answer)
    if answer.kind == "text" and normalise(answer.text) in OFFICER_MENU:
        return [m.text(say("officer_menu"), [m.say_button("เรื่องค้าง")])]
    return None


def _is_principal_payload(answer: Answer) -> bool:
    return answer.text.startswith(PRINCIPAL_PAYLOADS)


def _as_principal(turn: Turn, answer: Answer) -> list[dict]:
    draft, expired = form_engine.load_draft(turn.session, turn.user_id, turn.now, turn.settings.draft_ttl_hours)
    notice = [m.text(say("draft_expired", hours=turn.settings.draft_ttl_hours))] if expired else []
    command = COMMANDS.get(normalise(answer.text)) if answer.kind == "text" else None
    waiting = chat_state.current(turn.session, turn.user_id, turn.now) if draft is None else None
    if waiting is not None and waiting.kind == "fund" and (command is None or command is cancel_nothing):
        return notice + fund_chat.on_input(turn, waiting, answer)
    if command is not None:
        return notice + command(turn, draft)
    if draft is not None:
        return notice + form_engine.answer(turn.session, draft, answer, turn.form(draft.answers), _file)
    if answer.kind == "postback" and answer.text.startswith("v1:pfund:"):
        case_id = answer.text.rsplit(":", 1)[-1]
        return notice + fund_chat.start(turn, int(case_id) if case_id.isascii() and case_id.isdigit() else -1)
    if answer.kind == "postback":
        return notice + threads.on_pick(turn, answer.text)
    code_reply = officers.try_link(turn.session, turn.user_id, answer, turn.now)
    if code_reply is not None:
        return notice + code_reply
    return notice + _outside_form(turn, answer)


def _file(session: Session, draft, form: Form) -> list[dict]:
    return cases.file_case(session, draft, form.now, form.settings)


def start_report(turn: Turn, draft) -> list[dict]:
    if draft is not None:
        return form_engine.ask(draft, turn.form(draft.answers), say("draft_in_progress"))
    return form_engine.start(turn.session, turn.user_id, turn.form())


def show_status(turn: Turn, draft) -> list[dict]:
    mine = cases.cases_of(turn.session, turn.user_id)
    reply = [m.text(say("my_cases", cases=mine, state_names=STATES), menu_buttons())]
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
    added = threads.add_to_open_case(turn, answer)
    if added is not None:
        return added
    if answer.kind == "image":
        return [m.text(say("photo_outside_form"), menu_buttons())]
    return [m.text(say("not_understood"), menu_buttons())]


def greet(turn: Turn) -> list[dict]:
    """The first message a principal sees after adding the Official Account."""
    return [m.text(say("welcome", centre=turn.settings.centre_name, hotlines=turn.settings.centre_hotlines),
                   menu_buttons())]


def ask_fund(turn: Turn, draft) -> list[dict]:
    if draft is not None:
        return form_engine.ask(draft, turn.form(draft.answers), say("draft_in_progress"))
    return fund_chat.start(turn)


COMMANDS = {
    **dict.fromkeys(("กองทุน", "ขอกองทุน", "ขอรับเงินกองทุน", "fund"), ask_fund),
    **dict.fromkeys(("แจ้งเหตุ", "report", "รายงาน", "รายงานเหตุ"), start_report),
    **dict.fromkeys(("สถานะ", "status"), show_status),
    **dict.fromkeys(("เมนู", "menu", "help", "วิธีใช้"), show_menu),
    **dict.fromkeys(("ยกเลิก", "cancel"), cancel_nothing),
}
