"""Asking the aid fund in chat (principals) and moving requests along (officers)."""
from __future__ import annotations

from sqlalchemy import select

from bot.dialogue import chat_state
from bot.fund import aid as fund
from bot.line import messages as m
from bot.core.db import by_id
from bot.dialogue.answers import Answer, Invalid, free_text, normalise
from bot.core.texts import say
from bot.core.thai_dates import BANGKOK, DateParseError, parse_datetime
from models import Case, FundRequest

FLOW_MINUTES = 30
GRADES = ("อ.1", "อ.2", "อ.3", "ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6", "ม.1", "ม.2", "ม.3")
STEPS = ("student", "grade", "item", "method", "confirm")


# ---- principals ------------------------------------------------------------------------------

def eligible_cases(turn) -> list[Case]:
    """The principal's own cases for which the fund may pay, newest first."""
    mine = turn.session.scalars(select(Case).where(Case.reporter_line_user_id == turn.user_id)
                                .order_by(Case.id.desc()).limit(30))
    return [c for c in mine if fund.eligible_items(c, turn.settings)][:12]


def start(turn, case_id: int | None = None) -> list[dict]:
    """Begin a fund request, for the tapped case or after asking which case."""
    cases = eligible_cases(turn)
    chosen = [c for c in cases if c.id == case_id] if case_id else cases
    if not chosen:
        return [m.text(say("fund_no_eligible_case"))]
    if len(chosen) > 1:
        buttons = [m.postback_button(c.reference, f"v1:pfund:{c.id}", f"กองทุน เรื่อง {c.reference}") for c in chosen]
        return [m.text(say("fund_pick_case", cases=chosen), buttons)]
    return _go(turn, {"case_id": chosen[0].id, "a": {}}, "student")


def on_input(turn, state, answer: Answer) -> list[dict]:
    """One answer of the fund request; "ยกเลิก" abandons it."""
    data = dict(state.data)
    case = turn.session.get(Case, data["case_id"])
    if answer.kind == "text" and normalise(answer.text) in {"ยกเลิก", "cancel"}:
        chat_state.clear(turn.session, turn.user_id)
        return [m.text(say("fund_cancelled"))]
    try:
        value = READERS[data["step"]](turn, case, answer)
    except Invalid as problem:
        return _ask(turn, case, data, str(problem))
    if data["step"] == "confirm":
        return _file(turn, case, data)
    data["a"] = {**data["a"], data["step"]: value}
    return _go(turn, data, STEPS[STEPS.index(data["step"]) + 1])


def _go(turn, data: dict, step: str) -> list[dict]:
    data = {**data, "step": step}
    chat_state.wait_for(turn.session, turn.user_id, "fund", data, turn.now, FLOW_MINUTES)
    return _ask(turn, turn.session.get(Case, data["case_id"]), data)


def _ask(turn, case: Case, data: dict, prefix: str | None = None) -> list[dict]:
    items = fund.eligible_items(case, turn.settings)
    body = say(f"fund_ask_{data['step']}", case=case, a=data["a"], items=items, methods=fund.METHODS,
               item=next((i for i in items if i.key == data["a"].get("item")), None),
               deadline=fund.deadline(case, turn.settings), late=turn.now > fund.deadline(case, turn.settings))
    buttons = {"grade": [m.say_button(g) for g in GRADES],
               "item": [m.say_button(str(n), str(n)) for n in range(1, len(items) + 1)],
               "method": [m.say_button(label) for label in fund.METHODS.values()],
               "confirm": [m.say_button("ยืนยัน")]}.get(data["step"], [])
    return [m.text(f"{prefix}\n\n{body}" if prefix else body, buttons[:12] + [m.say_button("ยกเลิก")])]


def _read_item(turn, case, answer):
    items = fund.eligible_items(case, turn.settings)
    typed = normalise(free_text(answer, "หมายเลขรายการ", 300))
    for number, item in enumerate(items, start=1):
        if typed in {str(number), normalise(item.label), item.key}:
            return item.key
    raise Invalid(say("fund_invalid_item", count=len(items)))


def _read_method(turn, case, answer):
    typed = normalise(free_text(answer, "วิธีรับเงิน", 100))
    for key, label in fund.METHODS.items():
        if typed in {key, normalise(label), normalise(label)[:4]}:
            return key
    raise Invalid(say("fund_invalid_method"))


def _read_confirm(turn, case, answer):
    if normalise(free_text(answer, "ยืนยัน", 100)) not in {"ยืนยัน", "confirm"}:
        raise Invalid(say("fund_confirm_expected"))
    return True


READERS = {
    "student": lambda turn, case, answer: free_text(answer, "ชื่อย่อหรือลำดับของนักเรียน", 60),
    "grade": lambda turn, case, answer: free_text(answer, "ชั้นเรียนของนักเรียน", 30),
    "item": _read_item,
    "method": _read_method,
    "confirm": _read_confirm,
}


def _file(turn, case: Case, data: dict) -> list[dict]:
    chat_state.clear(turn.session, turn.user_id)
    try:
        request = fund.create(turn.session, case, data["a"], turn.user_id, turn.now, turn.settings)
    except fund.FundError as problem:
        return [m.text(str(problem))]
    return [m.text(say("fund_filed", case=case, request=request, methods=fund.METHODS))]


# ---- officers --------------------------------------------------------------------------------

def officer_list(turn) -> list[dict]:
    """Pending requests for officers ("กองทุน"), with a button for each."""
    rows = fund.pending(turn.session)
    buttons = [m.postback_button(f"คำขอ {r.id}", f"v1:fund:{r.case_id}:{r.id}") for r in rows[:13]]
    return m.texts(say("fund_officer_list", rows=rows, status_names=fund.STATUS), buttons)


def officer_view(turn, officer, case: Case, more: list[str]) -> list[dict]:
    """One request with the buttons for its next step."""
    request = _request(turn, case, more)
    if request is None:
        return [m.text(say("button_expired"))]
    actions = {"requested": [("เสนอกรรมการ", "proposed")],
               "proposed": [("อนุมัติ", "approved"), ("ไม่อนุมัติ", "refused")],
               "approved": [("จ่ายเงินแล้ว", "paid")]}.get(request.status, [])
    buttons = [m.postback_button(label, f"v1:fundact:{case.id}:{request.id}:{status}") for label, status in actions]
    return [m.text(say("fund_officer_view", case=case, request=request, status_names=fund.STATUS,
                       methods=fund.METHODS), buttons)]


def officer_act(turn, officer, case: Case, more: list[str]) -> list[dict]:
    """Propose, approve, refuse (asks why) or record payment (asks the date) for a request."""
    request = _request(turn, case, more)
    status = more[1] if len(more) > 1 else ""
    if request is None or status not in fund.STEPS:
        return [m.text(say("button_expired"))]
    if status in ("refused", "paid"):
        chat_state.wait_for(turn.session, officer.line_user_id, f"fund_{status}",
                            {"case_id": case.id, "request": request.id}, turn.now, FLOW_MINUTES)
        quick = [m.say_button("วันนี้")] if status == "paid" else []
        return [m.text(say(f"fund_ask_{status}", request=request), quick + [m.say_button("ยกเลิก")])]
    return _advance(turn, officer, request, status)


def officer_waiting(turn, officer, state, answer: Answer) -> list[dict]:
    """The reason for a refusal, or the payment date, typed after the button."""
    request = turn.session.get(FundRequest, state.data["request"])
    chat_state.clear(turn.session, officer.line_user_id)
    if answer.kind == "text" and normalise(answer.text) in {"ยกเลิก", "cancel"}:
        return [m.text(say("fund_step_cancelled", request=request))]
    text = answer.text.strip() if answer.kind == "text" else ""
    if state.kind == "fund_refused":
        return _advance(turn, officer, request, "refused", note=text[:500] or None)
    try:
        paid_on = _day(text, turn.now)
    except DateParseError:
        chat_state.wait_for(turn.session, officer.line_user_id, state.kind, state.data, turn.now, FLOW_MINUTES)
        return [m.text(say("fund_invalid_paid_date"), [m.say_button("วันนี้"), m.say_button("ยกเลิก")])]
    return _advance(turn, officer, request, "paid", paid_on=paid_on)


def _day(text: str, now):
    """A day as typed ("วันนี้", "เมื่อวาน", "20/11/2569"); the time of day does not matter here."""
    if normalise(text) in {"วันนี้", "today"}:
        return now.astimezone(BANGKOK).date()
    return parse_datetime(f"{text} 00.01", now).astimezone(BANGKOK).date()


def _advance(turn, officer, request, status, note=None, paid_on=None) -> list[dict]:
    try:
        fund.advance(turn.session, request, status, officer, turn.now, note=note, paid_on=paid_on)
    except fund.FundError as problem:
        return [m.text(str(problem))]
    return [m.text(say("fund_officer_done", request=request, status_names=fund.STATUS),
                   [m.say_button("กองทุน")])]


def _request(turn, case: Case, more: list[str]) -> FundRequest | None:
    request = by_id(turn.session, FundRequest, more[0]) if more else None
    return request if request is not None and request.case_id == case.id else None
