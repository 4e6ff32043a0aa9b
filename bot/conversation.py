"""What a message in a one-to-one chat means: one routing table (ROUTES) picks the role, the case and the flow."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Callable

from sqlalchemy.orm import Session

from bot import officer_desk, officer_flows
from bot.casework import references, threads
from bot.casework.states import STATES
from bot.core.texts import say
from bot.dialogue import chat_state, engine
from bot.dialogue import payloads as p
from bot.dialogue.answers import Answer, normalise
from bot.fund import chat as fund_chat
from bot.intake import cases, form_engine, report_form, urgent
from bot.line import messages as m
from bot.staff import groups, officers
from config.settings import Settings

MENU_BUTTONS = ("แจ้งเหตุ", "สถานะ", "เมนู")
threads.FLOWS["closed_or_new"] = threads.closed_or_new(form_engine.start)
threads.HOOKS["raise_urgent"] = urgent.raise_case
PRINCIPAL_FLOWS = {fund_chat.FUND.name: fund_chat.FUND, **threads.FLOWS}


@dataclass
class Turn:
    """One event's worth of context: who, when, and the unit of work it runs in."""

    session: Session
    user_id: str
    now: datetime
    settings: Settings


@dataclass
class Message:
    """One message with what the router needs to know about it, each looked up once and only if asked."""

    turn: Turn
    answer: Answer

    @cached_property
    def officer(self):
        return officer_desk.officer_of(self.turn.session, self.turn.user_id)

    @cached_property
    def payload(self) -> p.Payload | None:
        return p.decode(self.answer.text) if self.answer.kind == "postback" else None

    @cached_property
    def words(self) -> str:
        return normalise(self.answer.text) if self.answer.kind == "text" else ""

    @cached_property
    def draft_and_notice(self):
        draft, expired = form_engine.load_draft(self.turn.session, self.turn.user_id, self.turn.now,
                                                self.turn.settings.draft_ttl_hours)
        notice = [m.text(say("draft_expired", hours=self.turn.settings.draft_ttl_hours))] if expired else []
        return draft, notice

    @property
    def draft(self):
        return self.draft_and_notice[0]

    @cached_property
    def flow(self) -> engine.Chat | None:
        """The conversation outside the report form this person is in (an officer's or a principal's)."""
        flows = officer_flows.FLOWS if self.officer is not None else PRINCIPAL_FLOWS
        return chat_state.resume(self.turn, flows)

    @property
    def postback(self) -> bool:
        return self.answer.kind == "postback"


def menu_buttons() -> list[dict]:
    return [m.say_button(label) for label in MENU_BUTTONS]


def on_input(turn: Turn, answer: Answer) -> list[dict]:
    """Answer whatever the user sent, by the first route of ROUTES that fits."""
    message = Message(turn, answer)
    route = next(r for r in ROUTES if r.when(message))
    reply = route.then(message)
    if route.principal:  # a report draft that expired meanwhile is mentioned first
        return message.draft_and_notice[1] + reply
    return reply


# ---- what each route does ---------------------------------------------------------------------

def stale_button(msg: Message) -> list[dict]:
    return [m.text(say("button_expired"))]


def officers_only(msg: Message) -> list[dict]:
    return [m.text(say("officers_only"), menu_buttons())]


def officer_button(msg: Message) -> list[dict]:
    return officer_desk.on_payload(msg.turn, msg.officer, msg.payload)


def principal_button(msg: Message) -> list[dict]:
    if isinstance(msg.payload, p.AskFund):
        return ask_fund(msg, msg.payload.case)
    if isinstance(msg.payload, p.UrgentCase):
        return _about_open_case(msg, msg.payload.case)
    return stale_button(msg)


def urgent_about_typed_case(msg: Message) -> list[dict]:
    """"เรื่องเดิม 0001/2569" typed as LINE for PC users do: as the button, if it is one of theirs."""
    typed = urgent.typed_open_case(msg.draft, msg.answer)
    case = references.find(msg.turn.session, typed, msg.turn.now)
    if case is None or case.reporter_line_user_id != msg.turn.user_id:
        return engine.ask(form_engine.chat_of(msg.turn, msg.draft), say("urgent_case_unknown", typed=typed))
    return _about_open_case(msg, case.id)


def _about_open_case(msg: Message, case_id: int) -> list[dict]:
    store = form_engine.DraftStore(msg.turn.session, msg.draft, msg.turn.now) if msg.draft is not None else None
    return urgent.about_open_case(msg.turn, case_id, store)


def officer_command(msg: Message) -> list[dict]:
    return officer_desk.on_command(msg.turn, msg.officer, msg.answer)


def officer_word(msg: Message) -> list[dict]:
    return officer_desk.OFFICER_WORDS[msg.words](msg.turn, msg.officer)


def officer_unknown(msg: Message) -> list[dict]:
    return officer_desk.officer_help(msg.turn, msg.officer, prefix=say("officer_not_understood"))


def in_flow(msg: Message) -> list[dict]:
    return engine.handle(msg.flow, msg.answer)


def in_report(msg: Message) -> list[dict]:
    return engine.handle(form_engine.chat_of(msg.turn, msg.draft), msg.answer)


def _then_resume(msg: Message, reply: list[dict]) -> list[dict]:
    """After a command, the question of the report (or other conversation) still open is asked again."""
    if msg.draft is not None:
        return reply + engine.ask(form_engine.chat_of(msg.turn, msg.draft))
    if msg.flow is not None:
        return reply + engine.ask(msg.flow)
    return reply


def start_report(msg: Message) -> list[dict]:
    if msg.draft is not None:
        return engine.ask(form_engine.chat_of(msg.turn, msg.draft), say("draft_in_progress"))
    return form_engine.start(msg.turn)


def report_urgently(msg: Message) -> list[dict]:
    """"ด่วน" or the urgent button: the emergency numbers at once, and the report filed after three answers."""
    if msg.draft is not None:
        return in_report(msg)  # the form itself takes the fast track from whichever step it is at
    return form_engine.start_urgent(msg.turn, msg.answer)


def show_status(msg: Message) -> list[dict]:
    mine = cases.cases_of(msg.turn.session, msg.turn.user_id)
    return _then_resume(msg, [m.text(say("my_cases", cases=mine, state_names=STATES), menu_buttons())])


def show_menu(msg: Message) -> list[dict]:
    settings = msg.turn.settings
    busy = msg.draft is not None or msg.flow is not None
    reply = [m.text(say("menu", centre=settings.centre_name, hotlines=settings.centre_hotlines),
                    None if busy else menu_buttons())]
    return _then_resume(msg, reply)


def nothing_to_cancel(msg: Message) -> list[dict]:
    return [m.text(say("nothing_to_cancel"), menu_buttons())]


def ask_fund(msg: Message, case_id: int | None = None) -> list[dict]:
    if msg.draft is not None:
        return engine.ask(form_engine.chat_of(msg.turn, msg.draft), say("draft_in_progress"))
    return fund_chat.start(msg.turn, case_id)


def link_officer(msg: Message) -> list[dict]:
    return officers.try_link(msg.turn.session, msg.turn.user_id, msg.answer, msg.turn.now)


def outside_any_flow(msg: Message) -> list[dict]:
    added = threads.add_to_case(msg.turn, msg.answer)
    if added is not None:
        return added
    if msg.answer.kind == "image":
        return [m.text(say("photo_outside_form"), menu_buttons())]
    return [m.text(say("not_understood"), menu_buttons())]


def in_group(turn: Turn, group_id: str, text: str) -> list[dict] | None:
    """The staff group: a registration code registers it; a command gets a one-line hint, never case data."""
    registered = groups.on_group_text(turn.session, group_id, turn.user_id, text, turn.now)
    if registered is not None:
        return registered
    answer = Answer("text", text)
    words = normalise(text)
    command = officer_desk.is_command_for_officer(answer) or words in COMMANDS or words in officer_desk.OFFICER_WORDS
    if command and groups.is_registered(turn.session, group_id):
        return [m.text(say("group_use_private_chat"))]
    return None  # other chatter in the group is not for the bot


def greet(turn: Turn) -> list[dict]:
    """The first message a principal sees after adding the Official Account."""
    return [m.text(say("welcome", centre=turn.settings.centre_name, hotlines=turn.settings.centre_hotlines),
                   menu_buttons())]


COMMANDS: dict[str, Callable] = {  # what principals type (and officers, who may report too)
    **dict.fromkeys(("กองทุน", "ขอกองทุน", "ขอรับเงินกองทุน", "fund"), ask_fund),
    **dict.fromkeys(("แจ้งเหตุ", "report", "รายงาน", "รายงานเหตุ"), start_report),
    **dict.fromkeys(("สถานะ", "status"), show_status),
    **dict.fromkeys(("เมนู", "menu", "help", "วิธีใช้"), show_menu),
}


def _command(msg: Message) -> Callable | None:
    return COMMANDS.get(msg.words) if msg.words else None


@dataclass(frozen=True)
class Route:
    """When a message fits `when`, `then` answers it; `principal` routes mention an expired draft first."""

    name: str
    when: Callable[[Message], bool]
    then: Callable[[Message], list[dict]]
    principal: bool = False


def _is_officer_payload(msg: Message) -> bool:
    return msg.payload is not None and msg.payload.audience == "officer"


# The first route that fits answers the message. Read top to bottom: buttons, officers, principals.
ROUTES: tuple[Route, ...] = (
    Route("a button that is not ours (any more)", lambda x: x.postback and x.payload is None, stale_button),
    Route("an officer's button tapped by someone else", lambda x: _is_officer_payload(x) and x.officer is None,
          officers_only),
    Route("an officer's button", _is_officer_payload, officer_button),
    Route("an officer's command", lambda x: x.officer is not None and officer_desk.is_command_for_officer(x.answer),
          officer_command),
    Route("a principal asking about a case by number", lambda x: x.officer is None
          and officer_desk.is_principal_word(x.answer) and officer_desk.is_officer_command(x.answer),
          show_status, principal=True),
    Route("an officer's command from someone else", lambda x: x.officer is None
          and officer_desk.is_officer_command(x.answer), officers_only),
    Route("an officer's conversation (reply mode, handover…)", lambda x: x.officer is not None and x.flow is not None,
          in_flow),
    Route("an officer's word for help or status", lambda x: x.officer is not None
          and x.words in officer_desk.OFFICER_WORDS, officer_word),
    Route("a principal's button", lambda x: x.payload is not None and x.payload.audience == "principal",
          principal_button, principal=True),
    Route("an urgent report's open-case button, typed", lambda x: urgent.typed_open_case(x.draft, x.answer) is not None,
          urgent_about_typed_case, principal=True),
    Route("ด่วน, or the urgent button, at any step", lambda x: report_form.urgent_taken(x.answer) is not None,
          report_urgently, principal=True),
    Route("a principal's command", lambda x: _command(x) is not None, lambda x: _command(x)(x), principal=True),
    Route("an answer to the report form", lambda x: x.draft is not None, in_report, principal=True),
    Route("an answer in a principal's conversation (fund, which case)", lambda x: x.flow is not None, in_flow,
          principal=True),
    Route("ยกเลิก with nothing to cancel", lambda x: x.words in engine.CANCEL, nothing_to_cancel, principal=True),
    Route("an officer's invitation code", lambda x: x.officer is None and officers.looks_like_code(x.answer),
          link_officer),
    Route("anything else from an officer", lambda x: x.officer is not None and x.answer.kind == "text"
          and x.draft is None, officer_unknown),
    Route("a principal's message about their case, or not understood", lambda x: True, outside_any_flow,
          principal=True),
)
