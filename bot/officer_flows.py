"""What an officer is asked after a button or a command without text, each flow one small table of steps.

Reply mode, an internal note, the closing summary, a referral, a handover and the fund's refusal
reason and payment date all run on bot/dialogue/engine.py: "ยกเลิก", "ข้าม" where a step allows it,
typed choice labels and numbers, expiry and resuming after a restart come from there.
"""
from __future__ import annotations

from datetime import date

from bot.casework import actions as casework
from bot.core.texts import say
from bot.core.thai_dates import BANGKOK, DateParseError, parse_date
from bot.dialogue import chat_state
from bot.dialogue.answers import Answer, Invalid, require_text
from bot.dialogue.choices import Choice
from bot.dialogue.engine import Flow, Step
from bot.fund import chat as fund_chat
from bot.line import messages as m
from bot.staff import console_access
from bot.staff.officers import active_officers
from models import Case, FundRequest, Officer

TEXT_LIMIT = 2000


def _case(chat) -> Case:
    return chat.session.get(Case, chat.data["case_id"], with_for_update=True)  # officers in parallel take turns


def _officer(chat) -> Officer:
    return chat.session.get(Officer, chat.data["officer_id"])


def _typed(what: str):
    def parse(answer: Answer, chat) -> str:
        if answer.kind != "text" or not answer.words:
            raise Invalid(say("waiting_needs_text", case=_case(chat)))
        return require_text(answer, what)[:TEXT_LIMIT]
    return parse


def _message_or_photo(answer: Answer, chat) -> dict:
    """Reply mode relays text, or a photo when photos can be shown (an https public address is set)."""
    if answer.kind == "image":
        if not chat.settings.shows_photos:
            raise Invalid(say("relay_photo_impossible", case=_case(chat)))
        return {"photo": answer.message_id}
    return {"text": _typed("ข้อความถึงผู้รายงาน")(answer, chat)}


def _relay(chat) -> list[dict]:
    sent, case, officer = chat.answers["message"], _case(chat), _officer(chat)
    if "photo" in sent:
        return casework.relay_photo_to_reporter(chat.session, case, officer, sent["photo"], chat.now)
    return casework.relay_to_reporter(chat.session, case, officer, sent["text"], chat.now)


def _refer(chat) -> list[dict]:
    a = chat.answers
    return casework.refer(chat.session, _case(chat), _officer(chat), a["destination"], a.get("contact") or "", chat.now)


def _destination_choices(chat) -> list[Choice]:
    return [Choice(casework.DESTINATION_LABELS[key], key, text=label, words=(key,))
            for key, label in casework.DESTINATIONS.items()]


def _handover_choices(chat) -> list[Choice]:
    case = _case(chat)
    return [Choice(o.name, o.id, words=(f"โอนให้ {o.name}",)) for o in active_officers(chat.session)
            if o.id != case.owner_officer_id][:12]


def _hand_over(chat) -> list[dict]:
    target = chat.session.get(Officer, chat.answers["officer"])
    return casework.hand_over(chat.session, _case(chat), _officer(chat), target, chat.now)


def _request(chat) -> FundRequest:
    return chat.session.get(FundRequest, chat.data["request"])


def _paid_on(answer: Answer, chat) -> str:
    try:
        return parse_date(require_text(answer, "วันที่จ่ายเงิน"), chat.now).isoformat()
    except DateParseError as error:
        raise Invalid(say("fund_invalid_paid_date", problem=str(error))) from error


def _case_values(chat) -> dict:
    return {"case": _case(chat), "minutes": chat.settings.reply_mode_minutes,
            "destinations": casework.DESTINATIONS}


def _fund_values(chat) -> dict:
    return {"request": _request(chat)}


def _cancelled(chat) -> list[dict]:
    return [m.text(say("waiting_cancelled", case=_case(chat)))]


def _fund_cancelled(chat) -> list[dict]:
    return [m.text(say("fund_step_cancelled", request=_request(chat)))]


def _case_flow(name: str, steps: tuple[Step, ...], finish) -> Flow:
    return Flow(name=name, steps=steps, finish=finish, cancelled=_cancelled, values=_case_values,
                minutes=lambda settings: settings.reply_mode_minutes)


def _fund_flow(name: str, steps: tuple[Step, ...], finish) -> Flow:
    return Flow(name=name, steps=steps, finish=finish, cancelled=_fund_cancelled, values=_fund_values,
                minutes=lambda settings: fund_chat.FLOW_MINUTES)


# Each officer flow: its name, its steps (question template, parser, choices, optional), what it does at the end.
REPLY = _case_flow("reply", (Step("message", parse=_message_or_photo, question="waiting_reply"),), _relay)
NOTE = _case_flow("note", (Step("text", parse=_typed("บันทึกภายใน"), question="waiting_note"),),
                  lambda chat: casework.note(chat.session, _case(chat), _officer(chat), chat.answers["text"], chat.now))
CLOSE = _case_flow("close", (Step("result", parse=_typed("สรุปผลการดำเนินงาน"), question="waiting_close"),),
                   lambda chat: casework.change_state(chat.session, _case(chat), _officer(chat), "closed", chat.now,
                                                      summary=chat.answers["result"]))
REFER = _case_flow("refer", (
    Step("destination", choices=_destination_choices, question="refer_pick"),
    Step("contact", parse=_typed("หน่วยงานและผู้ประสานงาน"), optional=True, question="waiting_refer"),
), _refer)
HANDOVER = _case_flow("handover", (Step("officer", choices=_handover_choices, question="handover_pick",
                                        invalid="handover_invalid"),), _hand_over)
FUND_REFUSED = _fund_flow("fund_refused", (
    Step("reason", parse=_typed("เหตุผลที่ไม่อนุมัติ"), optional=True, question="fund_ask_refused"),),
    lambda chat: fund_chat.advance(chat.turn, _officer(chat), _request(chat), "refused",
                                   note=chat.answers.get("reason")))
FUND_PAID = _fund_flow("fund_paid", (
    Step("paid_on", parse=_paid_on, question="fund_ask_paid", choices=lambda chat: [Choice("วันนี้")]),),
    lambda chat: fund_chat.advance(chat.turn, _officer(chat), _request(chat), "paid",
                                   paid_on=_paid_value(chat)))


def _sign_in_code(answer: Answer, chat) -> str:
    words = answer.words.removeprefix("เข้าระบบ").replace(" ", "") if answer.kind == "text" else ""
    if not (words.isascii() and words.isdigit() and len(words) == console_access.CODE_DIGITS):
        raise Invalid(say("console_code_shape"))
    return words


# The rich menu's เข้าระบบเว็บ: the bot asks for the code the console's sign-in page shows.
CONSOLE_CODE = Flow(name="console_code", steps=(Step("code", parse=_sign_in_code, question="console_ask_code",
                                                     numbers=False),),
                    finish=lambda chat: console_access.sign_in_reply(
                        chat.session, chat.settings.secret_key.encode("utf-8"), _officer(chat), chat.answers["code"],
                        chat.now),
                    cancelled=lambda chat: [m.text(say("console_code_cancelled"))],
                    values=lambda chat: {"base_url": chat.settings.public_base_url},
                    minutes=lambda settings: console_access.CODE_MINUTES)
FLOWS = {flow.name: flow for flow in (REPLY, NOTE, CLOSE, REFER, HANDOVER, FUND_REFUSED, FUND_PAID, CONSOLE_CODE)}


def _paid_value(chat) -> date:
    value = chat.answers["paid_on"]
    if value == "วันนี้":
        return chat.now.astimezone(BANGKOK).date()
    return date.fromisoformat(value)


def begin(turn, officer: Officer, flow: Flow, **data) -> list[dict]:
    """Start an officer flow about a case (or a fund request)."""
    if flow is HANDOVER and not _handover_choices(_Peek(turn, data)):
        return [m.text(say("handover_nobody", case=turn.session.get(Case, data["case_id"])))]
    return chat_state.begin(turn, flow, data={"officer_id": officer.id, **data})


class _Peek:
    """Just enough of a conversation to compute its choices before it starts."""

    def __init__(self, turn, data: dict):
        self.session, self.data = turn.session, data
