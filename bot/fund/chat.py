"""Asking the aid fund in chat: the principal's request (FUND_STEPS) and the officers' list and buttons."""
from __future__ import annotations

from sqlalchemy import select

from bot.core.texts import say
from bot.dialogue import chat_state
from bot.dialogue.answers import free_text
from bot.dialogue.choices import Choice
from bot.dialogue.engine import Flow, Step
from bot.dialogue.payloads import AskFund, FundAct, FundView
from bot.fund import aid as fund
from bot.line import messages as m
from models import Case, FundRequest

FLOW_MINUTES = 30
GRADES = ("อ.1", "อ.2", "อ.3", "ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6", "ม.1", "ม.2", "ม.3")
METHOD_WORDS = {"cash": ("เงินสด", "สด", "cash"), "transfer": ("โอน", "โอนเงิน", "โอนเข้าบัญชี", "บัญชี", "transfer")}


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
        buttons = [m.postback_button(c.reference, AskFund(c.id).data, f"กองทุน เรื่อง {c.reference}") for c in chosen]
        return [m.text(say("fund_pick_case", cases=chosen), buttons)]
    return chat_state.begin(turn, FUND, data={"case_id": chosen[0].id})


def _case(chat) -> Case:
    return chat.session.get(Case, chat.data["case_id"])


def _items(chat) -> list:
    return fund.eligible_items(_case(chat), chat.settings)


def _values(chat) -> dict:
    case, items = _case(chat), _items(chat)
    due = fund.deadline(case, chat.settings)
    return {"case": case, "a": chat.answers, "items": items, "methods": fund.METHODS, "deadline": due,
            "item": next((i for i in items if i.key == chat.answers.get("item")), None), "late": chat.now > due}


def _item_choices(chat) -> list[Choice]:
    return [Choice(i.label, i.key, text=f"{i.label} ({i.amount_baht:,} บาท)", words=(i.key,)) for i in _items(chat)]


def _method_choices(chat) -> list[Choice]:
    return [Choice(label, key, words=METHOD_WORDS.get(key, ())) for key, label in fund.METHODS.items()]


def _file(chat) -> list[dict]:
    case = _case(chat)
    try:
        request = fund.create(chat.session, case, chat.answers, chat.user_id, chat.now, chat.settings)
    except fund.FundError as problem:
        return [m.text(str(problem))]
    return [m.text(say("fund_filed", case=case, request=request, methods=fund.METHODS))]


# The fund request, one question per row; the answers are confirmed (and can be edited) before filing.
FUND_STEPS = (
    Step("student", group="student", parse=lambda a, chat: free_text(a, "ชื่อย่อหรือลำดับของนักเรียน", 60)),
    Step("grade", group="grade", parse=lambda a, chat: free_text(a, "ชั้นเรียนของนักเรียน", 30),
         choices=lambda chat: [Choice(g) for g in GRADES], numbers=False),
    Step("item", group="item", choices=_item_choices, invalid="fund_invalid_item"),
    Step("method", group="method", choices=_method_choices, invalid="fund_invalid_method"),
)
FUND = Flow(
    name="fund", steps=FUND_STEPS, prefix="fund_", finish=_file,
    cancelled=lambda chat: [m.text(say("fund_cancelled"))],
    summary=lambda chat: say("fund_ask_confirm", **_values(chat)), values=_values,
    groups=(("student", "นักเรียน", "student"), ("grade", "ชั้นเรียน", "grade"), ("item", "รายการ", "item"),
            ("method", "วิธีรับเงิน", "method")),
    minutes=lambda settings: FLOW_MINUTES,
)


# ---- officers --------------------------------------------------------------------------------

def officer_list(turn) -> list[dict]:
    """Pending requests for officers ("กองทุน"), with a button for each."""
    rows = fund.pending(turn.session)
    buttons = [m.postback_button(f"คำขอ {r.id}", FundView(r.case_id, r.id).data) for r in rows[:13]]
    return m.texts(say("fund_officer_list", rows=rows, status_names=fund.STATUS), buttons)


def request_of(turn, case: Case, request_id: int) -> FundRequest | None:
    """The request a button names, if it still belongs to that case."""
    request = turn.session.get(FundRequest, request_id)
    return request if request is not None and request.case_id == case.id else None


def officer_view(turn, officer, case: Case, request_id: int) -> list[dict]:
    """One request with the buttons for its next step."""
    request = request_of(turn, case, request_id)
    if request is None:
        return [m.text(say("button_expired"))]
    actions = {"requested": [("เสนอกรรมการ", "proposed")],
               "proposed": [("อนุมัติ", "approved"), ("ไม่อนุมัติ", "refused")],
               "approved": [("จ่ายเงินแล้ว", "paid")]}.get(request.status, [])
    buttons = [m.postback_button(label, FundAct(case.id, request.id, status).data) for label, status in actions]
    return [m.text(say("fund_officer_view", case=case, request=request, status_names=fund.STATUS,
                       methods=fund.METHODS), buttons)]


def advance(turn, officer, request, status, note=None, paid_on=None) -> list[dict]:
    """Move a request on and tell the officer; a step no longer possible is explained."""
    try:
        fund.advance(turn.session, request, status, officer, turn.now, note=note, paid_on=paid_on)
    except fund.FundError as problem:
        return [m.text(str(problem))]
    return [m.text(say("fund_officer_done", request=request, status_names=fund.STATUS),
                   [m.say_button("กองทุน")])]
