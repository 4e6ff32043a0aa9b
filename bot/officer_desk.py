"""What officers type and tap: one command table (OFFICER_COMMANDS), one table of button payloads (BUTTONS)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from bot import officer_flows as flows
from bot.casework import actions as casework
from bot.casework import references
from bot.casework.case_view import case_details, open_cases
from bot.core import access
from bot.core.texts import say
from bot.dialogue import chat_state
from bot.dialogue import payloads as p
from bot.dialogue.answers import Answer, normalise
from bot.fund import chat as fund_chat
from bot.fund import aid as fund
from bot.line import messages as m
from bot.paperwork import case_documents as paperwork
from bot.paperwork import memo_marks
from bot.photos import pipeline as photos
from bot.staff import duty
from bot.staff import push_budget
from bot.staff import console_access
from models import AuditLog, Case, Officer

TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Command:
    """One thing an officer can type; with `needs_case` its second word names the case (0001/2569, #1)."""

    run: Callable  # needs_case: (turn, officer, case, rest); else (turn, officer, rest)
    needs_case: bool = True
    also_principal: bool = False  # the same word alone means something to principals too
    alone: bool = False  # a command only when typed alone (common words such as "เวร" start other sentences)


def officer_of(session, user_id: str) -> Officer | None:
    """The active officer behind this LINE account, or None (deactivated officers lose access at once)."""
    return session.scalars(select(Officer).where(Officer.line_user_id == user_id, Officer.active.is_(True))).first()


def _split(answer: Answer) -> tuple[Command | None, list[str]]:
    if answer.kind != "text":
        return None, []
    words = answer.words.split(" ", 2)
    return OFFICER_COMMANDS.get(words[0]), words


def is_officer_command(answer: Answer) -> bool:
    """Whether the text is shaped like an officer command (so others get a polite refusal)."""
    command, words = _split(answer)
    if command is None or (command.alone and len(words) > 1):
        return False
    if command.needs_case:
        return len(words) >= 2 and references.looks_like(words[1])
    return not (command.also_principal and len(words) == 1)


def is_command_for_officer(answer: Answer) -> bool:
    """Whether an officer's text is one of their commands (a case command needs its case named)."""
    command, words = _split(answer)
    if command is None or (command.alone and len(words) > 1):
        return False
    return not command.needs_case or (len(words) >= 2 and references.looks_like(words[1]))


def is_principal_word(answer: Answer) -> bool:
    """An officer command that, typed by a principal, is theirs (สถานะ 0001/2569: their own cases)."""
    command, words = _split(answer)
    return command is not None and words[0] == "สถานะ"


def on_command(turn, officer: Officer, answer: Answer) -> list[dict]:
    """Run a typed officer command such as "รับเรื่อง 0001/2569"."""
    command, words = _split(answer)
    rest = " ".join(words[2:] if command.needs_case else words[1:]).strip()
    if not command.needs_case:
        return command.run(turn, officer, rest)
    case = references.find(turn.session, words[1], turn.now, for_update=True)  # officers in parallel take turns
    if case is None:
        return [m.text(say("case_not_found", typed=words[1]))]
    return command.run(turn, officer, case, rest)


def officer_help(turn, officer=None, rest: str = "", prefix: str | None = None) -> list[dict]:
    """Every officer command, as the README lists them."""
    body = say("officer_menu", centre=turn.settings.centre_name)
    return [m.text(f"{prefix}\n\n{body}" if prefix else body, [m.say_button("เรื่องค้าง"), m.say_button("กองทุน")])]


def open_cases_reply(turn, officer=None, rest: str = "") -> list[dict]:
    return m.texts(open_cases(turn.session, turn.now, turn.settings))


def web_sign_in(turn, officer=None, rest: str = "") -> list[dict]:
    """The menu's เข้าระบบเว็บ: where the console is, and the bot waits for the code its page shows."""
    return flows.begin(turn, officer, flows.CONSOLE_CODE)


def console_code(turn, officer, rest: str = "") -> list[dict]:
    """ "เข้าระบบ 482915": sign in the browser that shows this code (without a code: the bot asks for it)."""
    if not rest:
        return web_sign_in(turn, officer)
    waiting = chat_state.current(turn.session, turn.user_id, turn.now)
    if waiting is not None and waiting.kind == flows.CONSOLE_CODE.name:  # the code came typed in full
        chat_state.clear(turn.session, turn.user_id)
    return console_access.sign_in_reply(turn.session, turn.settings.secret_key.encode("utf-8"), officer, rest,
                                        turn.now)


def duty_on(turn, officer, rest: str = "") -> list[dict]:
    """เข้าเวร: this officer gets ordinary alerts from now (for DUTY_HOURS, or until ออกเวร)."""
    until = duty.start(turn.session, officer, turn.now, turn.settings.duty_hours)
    on_duty = duty.names(duty.on_duty(turn.session, turn.now))
    return [m.text(say("duty_started", until=until, on_duty=on_duty), [m.say_button("ออกเวร"), m.say_button("เวร")])]


def duty_off(turn, officer, rest: str = "") -> list[dict]:
    """ออกเวร: no more ordinary alerts for this officer until their next shift."""
    duty.stop(turn.session, officer, turn.now)
    on_duty = duty.names(duty.on_duty(turn.session, turn.now))
    return [m.text(say("duty_stopped", until=officer.off_duty_until, on_duty=on_duty),
                   [m.say_button("เข้าเวร"), m.say_button("เวร")])]


def duty_roster(turn, officer, rest: str = "") -> list[dict]:
    """เวร: who is on duty now, and the weekly roster."""
    shifts = [f"{duty.THAI_DAYS[slot.weekday]} {slot.starts}-{slot.ends} {person.name}"
              for person, slot in duty.roster(turn.session)]
    body = say("duty_roster", on_duty=duty.names(duty.on_duty(turn.session, turn.now)), shifts=shifts)
    return m.texts(body)


def _take(turn, officer, case, rest):
    return casework.take(turn.session, case, officer, turn.now)


def _reply(turn, officer, case, rest):
    if not rest:
        return flows.begin(turn, officer, flows.REPLY, case_id=case.id)
    return casework.relay_to_reporter(turn.session, case, officer, rest[:TEXT_LIMIT], turn.now)


def _note(turn, officer, case, rest):
    if not rest:
        return flows.begin(turn, officer, flows.NOTE, case_id=case.id)
    return casework.note(turn.session, case, officer, rest[:TEXT_LIMIT], turn.now)


def _state(turn, officer, case, rest):
    if not rest:
        return state_menu(case)
    state = casework.STATE_WORDS.get(normalise(rest).split("(")[0]) or (rest if rest in casework.STATES else None)
    if state is None:
        return [m.text(say("state_unknown", typed=rest), _state_buttons(case))]
    return _to_state(turn, officer, case, state)


def _close(turn, officer, case, rest):
    if not rest:
        return flows.begin(turn, officer, flows.CLOSE, case_id=case.id)
    return casework.change_state(turn.session, case, officer, "closed", turn.now, summary=rest[:TEXT_LIMIT])


def _reopen(turn, officer, case, rest):
    return casework.reopen(turn.session, case, officer, turn.now)


def _handover(turn, officer, case, rest):
    return flows.begin(turn, officer, flows.HANDOVER, case_id=case.id)


def _refer(turn, officer, case, rest):
    return flows.begin(turn, officer, flows.REFER, case_id=case.id)


def _details(turn, officer, case, rest):
    return details_reply(turn, officer, case, int(rest) if rest.isascii() and rest.isdigit() and len(rest) <= 6 else 1)


def details_reply(turn, officer, case, page: int) -> list[dict]:
    """The full case and a page of its thread; the viewing is recorded."""
    turn.session.add(AuditLog(at=turn.now, actor=officer.line_user_id, action="case_viewed", case_id=case.id,
                              detail={"page": page}))
    body, has_more = case_details(turn.session, case, page)
    buttons = casework.case_buttons(case)
    if has_more:
        buttons = [m.postback_button("หน้าถัดไป", p.Detail(case.id, page + 1).data)] + buttons
    if case.owner_officer_id is None:
        buttons = [m.postback_button("รับเรื่อง", p.Take(case.id).data)] + buttons
    texts = m.texts(body)
    images = photos.image_messages(turn.settings, photos.case_photos(turn.session, case.id), turn.now,
                                   access.officer_holder(officer), limit=4 - len(texts)) if page == 1 else []
    return texts[:-1] + images + [m.text(texts[-1]["text"], buttons)]


def state_menu(case: Case) -> list[dict]:
    return [m.text(say("state_menu", case=case, state_name=casework.STATES[case.state]), _state_buttons(case))]


def _state_buttons(case: Case) -> list[dict]:
    labels = {"taken": "รับเรื่องแล้ว", "helping": "กำลังช่วยเหลือ", "referred": "ส่งต่อ", "following": "ติดตามผล",
              "closed": "ปิดเรื่อง"}
    if case.state == "closed":
        return [m.postback_button("เปิดเรื่องอีกครั้ง", p.Reopen(case.id).data)]
    return [m.postback_button(label, p.SetState(case.id, state).data) for state, label in labels.items()
            if state != case.state]


def _to_state(turn, officer, case, state: str) -> list[dict]:
    if state == "closed":
        return _close(turn, officer, case, "")
    if state == "referred":
        return _refer(turn, officer, case, "")
    if case.state == "closed":
        return casework.reopen(turn.session, case, officer, turn.now)
    return casework.change_state(turn.session, case, officer, state, turn.now)


def _fund_act(turn, officer, case, payload: p.FundAct) -> list[dict]:
    """Propose, approve, refuse (asks why) or record payment (asks the date) for a request."""
    request = fund_chat.request_of(turn, case, payload.request)
    if request is None or payload.status not in fund.STEPS:
        return [m.text(say("button_expired"))]
    if payload.status in ("refused", "paid"):
        flow = flows.FUND_REFUSED if payload.status == "refused" else flows.FUND_PAID
        return flows.begin(turn, officer, flow, case_id=case.id, request=request.id)
    return fund_chat.advance(turn, officer, request, payload.status)


def on_payload(turn, officer: Officer, payload: p.Payload) -> list[dict]:
    """A tapped officer button; one whose case is gone is answered politely."""
    case = turn.session.get(Case, payload.case, with_for_update=True)  # officers in parallel take turns
    if case is None or type(payload) not in BUTTONS:
        return [m.text(say("button_expired"))]
    return BUTTONS[type(payload)](turn, officer, case, payload)


BUTTONS = {  # payload type -> what tapping it does (the payloads themselves: bot/dialogue/payloads.py)
    p.Take: lambda t, o, c, pl: _take(t, o, c, ""),
    p.Reply: lambda t, o, c, pl: _reply(t, o, c, ""),
    p.Note: lambda t, o, c, pl: _note(t, o, c, ""),
    p.Detail: lambda t, o, c, pl: details_reply(t, o, c, pl.page),
    p.States: lambda t, o, c, pl: state_menu(c),
    p.SetState: lambda t, o, c, pl: _to_state(t, o, c, pl.state) if pl.state in casework.STATES
    else [m.text(say("button_expired"))],
    p.Reopen: lambda t, o, c, pl: casework.reopen(t.session, c, o, t.now),
    p.FundView: lambda t, o, c, pl: fund_chat.officer_view(t, o, c, pl.request),
    p.FundAct: _fund_act,
}

# Everything an officer can type. Each entry is listed in templates/line/officer_menu.txt and the README.
OFFICER_COMMANDS: dict[str, Command] = {
    "รับเรื่อง": Command(_take), "ตอบ": Command(_reply), "บันทึก": Command(_note), "สถานะ": Command(_state),
    "ปิดเรื่อง": Command(_close), "เปิดเรื่อง": Command(_reopen), "โอน": Command(_handover),
    "ส่งต่อ": Command(_refer), "รายละเอียด": Command(_details),
    "เอกสาร": Command(lambda turn, officer, case, rest: paperwork.links_reply(turn, officer, case)),
    "ชั้นความลับ": Command(memo_marks.set_secrecy), "ความเร่งด่วน": Command(memo_marks.set_urgency),
    "เลขที่หนังสือ": Command(memo_marks.set_doc_number),
    "เรื่องค้าง": Command(open_cases_reply, needs_case=False),
    "เรื่องใหม่": Command(open_cases_reply, needs_case=False),
    "กองทุน": Command(lambda turn, officer, rest: fund_chat.officer_list(turn), needs_case=False,
                      also_principal=True),
    "เข้าระบบเว็บ": Command(web_sign_in, needs_case=False),
    "เข้าเวร": Command(duty_on, needs_case=False, alone=True), "ออกเวร": Command(duty_off, needs_case=False, alone=True),
    "เวร": Command(duty_roster, needs_case=False, alone=True),
    "โควตา": Command(push_budget.status_reply, needs_case=False, alone=True),
    "เข้าระบบ": Command(console_code, needs_case=False),
    "เมนูเจ้าหน้าที่": Command(officer_help, needs_case=False),
}
# Words principals use too that mean the officer's version when an officer sends them.
OFFICER_WORDS = {"สถานะ": open_cases_reply, "เมนู": officer_help, "วิธีใช้": officer_help, "menu": officer_help,
                 "help": officer_help, "officer": officer_help, "เจ้าหน้าที่": officer_help}
