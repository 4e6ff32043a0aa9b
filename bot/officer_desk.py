"""What officers type and tap: commands by table, button payloads by table, and reply mode."""
from __future__ import annotations

from sqlalchemy import select

from bot.casework import actions as casework
from bot.dialogue import chat_state
from bot.fund import chat as fund_chat
from bot.paperwork import case_documents as paperwork
from bot.photos import pipeline as photos
from bot.casework import references
from bot.line import messages as m
from bot.staff.officers import active_officers
from bot.core.db import by_id
from bot.dialogue.answers import Answer, normalise, page_number
from bot.casework.case_view import case_details, open_cases
from bot.core import access
from bot.core.texts import say
from models import AuditLog, Case, Officer

TEXT_LIMIT = 2000
WAITING_KINDS = ("reply", "note", "close", "refer", "fund_refused", "fund_paid")


def officer_of(session, user_id: str) -> Officer | None:
    """The active officer behind this LINE account, or None (deactivated officers lose access at once)."""
    return session.scalars(select(Officer).where(Officer.line_user_id == user_id, Officer.active.is_(True))).first()


def is_officer_command(answer: Answer) -> bool:
    """Whether the text looks like an officer command (so non-officers get a polite refusal)."""
    if answer.kind != "text":
        return False
    words = answer.words.split(" ", 2)
    if words[0] in LIST_COMMANDS:
        return len(words) == 1 and words[0] != "กองทุน"  # "กองทุน" alone is also the principals' word
    return words[0] in COMMANDS and len(words) >= 2 and references.looks_like(words[1])


def on_command(turn, officer: Officer, answer: Answer) -> list[dict]:
    """Run a typed officer command such as "รับเรื่อง 0001/2569"."""
    words = answer.words.split(" ", 2)
    if words[0] in LIST_COMMANDS:
        return LIST_COMMANDS[words[0]](turn)
    case = references.find(turn.session, words[1], turn.now)
    if case is None:
        return [m.text(say("case_not_found", typed=words[1]))]
    rest = words[2].strip() if len(words) > 2 else ""
    return COMMANDS[words[0]](turn, officer, case, rest)


def open_cases_reply(turn) -> list[dict]:
    return m.texts(open_cases(turn.session, turn.now, turn.settings))


def _take(turn, officer, case, rest):
    return casework.take(turn.session, case, officer, turn.now)


def _reply(turn, officer, case, rest):
    if not rest:
        return _start_waiting(turn, officer, case, "reply")
    return casework.relay_to_reporter(turn.session, case, officer, rest[:TEXT_LIMIT], turn.now)


def _note(turn, officer, case, rest):
    if not rest:
        return _start_waiting(turn, officer, case, "note")
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
        return _start_waiting(turn, officer, case, "close")
    return casework.change_state(turn.session, case, officer, "closed", turn.now, summary=rest[:TEXT_LIMIT])


def _reopen(turn, officer, case, rest):
    return casework.reopen(turn.session, case, officer, turn.now)


def _handover(turn, officer, case, rest):
    others = [o for o in active_officers(turn.session) if o.id != case.owner_officer_id]
    buttons = [m.postback_button(o.name, f"v1:handover:{case.id}:{o.id}", f"โอนให้ {o.name}") for o in others[:12]]
    return [m.text(say("handover_pick", case=case), buttons + [m.say_button("ยกเลิก")])]


def _refer(turn, officer, case, rest):
    buttons = [m.postback_button(casework.DESTINATION_LABELS[key], f"v1:refer:{case.id}:{key}", label)
               for key, label in casework.DESTINATIONS.items()]
    return [m.text(say("refer_pick", case=case, destinations=casework.DESTINATIONS), buttons + [m.say_button("ยกเลิก")])]


def _details(turn, officer, case, rest):
    page = page_number(rest)
    return details_reply(turn, officer, case, page)


def details_reply(turn, officer, case, page: int) -> list[dict]:
    """The full case and a page of its thread; the viewing is recorded."""
    turn.session.add(AuditLog(at=turn.now, actor=officer.line_user_id, action="case_viewed", case_id=case.id,
                              detail={"page": page}))
    body, has_more = case_details(turn.session, case, page)
    buttons = casework.case_buttons(case)
    if has_more:
        buttons = [m.postback_button("หน้าถัดไป", f"v1:detail:{case.id}:{page + 1}")] + buttons
    if case.owner_officer_id is None:
        buttons = [m.postback_button("รับเรื่อง", f"v1:take:{case.id}")] + buttons
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
        return [m.postback_button("เปิดเรื่องอีกครั้ง", f"v1:reopen:{case.id}")]
    return [m.postback_button(label, f"v1:state:{case.id}:{state}") for state, label in labels.items()
            if state != case.state]


def _to_state(turn, officer, case, state: str) -> list[dict]:
    if state == "closed":
        return _close(turn, officer, case, "")
    if state == "referred":
        return _refer(turn, officer, case, "")
    if case.state == "closed":
        return casework.reopen(turn.session, case, officer, turn.now)
    return casework.change_state(turn.session, case, officer, state, turn.now)


def _start_waiting(turn, officer, case, kind: str, data: dict | None = None) -> list[dict]:
    minutes = turn.settings.reply_mode_minutes
    chat_state.wait_for(turn.session, officer.line_user_id, kind, {"case_id": case.id, **(data or {})}, turn.now,
                        minutes)
    return [m.text(say(f"waiting_{kind}", case=case, minutes=minutes, data=data or {},
                       destinations=casework.DESTINATIONS), [m.say_button("ยกเลิก")])]


def on_waiting(turn, officer: Officer, state, answer: Answer) -> list[dict]:
    """The officer's next message after ตอบกลับ / บันทึก / ปิดเรื่อง / ส่งต่อ."""
    if state.kind.startswith("fund_"):
        return fund_chat.officer_waiting(turn, officer, state, answer)
    case = turn.session.get(Case, state.data["case_id"])
    chat_state.clear(turn.session, officer.line_user_id)
    if answer.kind == "text" and normalise(answer.text) in {"ยกเลิก", "cancel"}:
        return [m.text(say("waiting_cancelled", case=case))]
    if answer.kind == "image" and state.kind == "reply":
        if not turn.settings.shows_photos:
            chat_state.wait_for(turn.session, officer.line_user_id, state.kind, state.data, turn.now,
                                turn.settings.reply_mode_minutes)
            return [m.text(say("relay_photo_impossible", case=case))]
        return casework.relay_photo_to_reporter(turn.session, case, officer, answer.message_id, turn.now)
    if answer.kind != "text" or not answer.words:
        chat_state.wait_for(turn.session, officer.line_user_id, state.kind, state.data, turn.now,
                            turn.settings.reply_mode_minutes)
        return [m.text(say("waiting_needs_text", case=case))]
    text = answer.text.strip()[:TEXT_LIMIT]
    if state.kind == "reply":
        return casework.relay_to_reporter(turn.session, case, officer, text, turn.now)
    if state.kind == "note":
        return casework.note(turn.session, case, officer, text, turn.now)
    if state.kind == "close":
        return casework.change_state(turn.session, case, officer, "closed", turn.now, summary=text)
    destination = state.data["destination"]
    detail = {"destination": destination, "contact": text, "referred_at": turn.now.isoformat()}
    return casework.change_state(turn.session, case, officer, "referred", turn.now, detail=detail)


def on_postback(turn, officer: Officer, parts: list[str]) -> list[dict]:
    """A tapped button: v1:<action>:<case id>[:<more>]; stale or foreign payloads are refused politely."""
    if len(parts) < 3 or parts[0] != "v1" or parts[1] not in POSTBACKS:
        return [m.text(say("button_expired"))]
    action, case = parts[1], by_id(turn.session, Case, parts[2])
    if case is None:
        return [m.text(say("button_expired"))]
    return POSTBACKS[action](turn, officer, case, parts[3:])


def _pb_handover(turn, officer, case, more):
    target = by_id(turn.session, Officer, more[0]) if more else None
    if target is None:
        return [m.text(say("button_expired"))]
    return casework.hand_over(turn.session, case, officer, target, turn.now)


def _pb_refer(turn, officer, case, more):
    if not more or more[0] not in casework.DESTINATIONS:
        return [m.text(say("button_expired"))]
    return _start_waiting(turn, officer, case, "refer", {"destination": more[0]})


POSTBACKS = {
    "take": lambda t, o, c, more: _take(t, o, c, ""),
    "reply": lambda t, o, c, more: _start_waiting(t, o, c, "reply"),
    "note": lambda t, o, c, more: _start_waiting(t, o, c, "note"),
    "detail": lambda t, o, c, more: details_reply(t, o, c, page_number(more[0] if more else "")),
    "states": lambda t, o, c, more: state_menu(c),
    "state": lambda t, o, c, more: _to_state(t, o, c, more[0]) if more and more[0] in casework.STATES
    else [m.text(say("button_expired"))],
    "reopen": lambda t, o, c, more: casework.reopen(t.session, c, o, t.now),
    "handover": _pb_handover,
    "refer": _pb_refer,
    "fund": fund_chat.officer_view,
    "fundact": fund_chat.officer_act,
}

COMMANDS = {
    "รับเรื่อง": _take, "ตอบ": _reply, "บันทึก": _note, "สถานะ": _state, "ปิดเรื่อง": _close,
    "เปิดเรื่อง": _reopen, "โอน": _handover, "ส่งต่อ": _refer, "รายละเอียด": _details,
    "เอกสาร": lambda turn, officer, case, rest: paperwork.links_reply(turn, officer, case),
}
LIST_COMMANDS = {"เรื่องค้าง": open_cases_reply, "กองทุน": fund_chat.officer_list}
