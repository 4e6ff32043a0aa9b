"""POST /console/cases/<id>/…: what officers do to a case, through the very functions LINE's commands call.

Each action is one unit of work tagged "console" for the audit log; what it queues for LINE (the
principal's notice, the other officers' alerts) is sent right after the commit, as after a LINE event.
The officer reads the bot's own answer as the notice on the case page.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from bot.casework import actions as casework
from bot.conversation import Turn
from bot.core import audit
from bot.core.thai_dates import BANGKOK, DateParseError, parse_date
from bot.fund import chat as fund_chat
from bot.line import outbox
from bot.paperwork import memo_marks
from handlers.console import address, officer_required, services
from handlers.console_cases import cases_bp
from models import Case, FundRequest, Officer

TEXT_LIMIT = 2000
STATE_CHOICES = ("taken", "helping", "following")  # referring and closing have their own forms
MARKS = {  # the memo's marks: what the page offers, and LINE's own command function that records each
    "secrecy": (("ไม่มี",) + memo_marks.SECRECY_MARKS, memo_marks.set_secrecy),
    "urgency": (("ไม่มี",) + memo_marks.URGENCY_MARKS, memo_marks.set_urgency),
}


def _text(name: str, what: str, required: bool = True) -> str:
    value = request.form.get(name, "").strip()
    if required and not value:
        abort(400, description=f"กรุณากรอก{what}")
    if len(value) > TEXT_LIMIT:
        abort(400, description=f"{what}ยาวเกิน {TEXT_LIMIT:,} ตัวอักษร กรุณาย่อให้สั้นลง ไม่มีข้อมูลใดถูกบันทึก")
    return value


def _act(case_id: int, do):
    """Run `do(turn, officer, case)` in one unit of work, send what it queued, show its answer."""
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        audit.tag(db, "console", address())
        outbox.send_after_commit(db, now)
        case = db.get(Case, case_id) or abort(404, description="ไม่พบเรื่องนี้ในระบบ")
        officer = db.get(Officer, current_user.officer_id)
        reply = do(Turn(db, officer.line_user_id, now, svc.settings), officer, case)
        db.commit()
        queued = outbox.queued_ids(db)
    svc.send_claimed(queued)
    for message in reply:
        if message.get("type") == "text":
            flash(message["text"])
    return redirect(url_for("console_cases.case_view", case_id=case_id))


def _route(rule: str, endpoint: str):
    """A POST action on a case, for signed-in officers (CSRF is checked for every console POST)."""
    def register(view):
        cases_bp.add_url_rule(f"/<int:case_id>/{rule}", endpoint, officer_required(view), methods=["POST"])
        return view
    return register


@_route("take", "take")
def take(case_id: int):
    return _act(case_id, lambda t, o, c: casework.take(t.session, c, o, t.now))


@_route("hand-over", "hand_over")
def hand_over(case_id: int):
    target_id = request.form.get("officer", "")
    def do(t, o, c):
        target = t.session.get(Officer, int(target_id)) if target_id.isdigit() else None
        if target is None or target.id == c.owner_officer_id:
            abort(400, description="กรุณาเลือกเจ้าหน้าที่ที่จะรับโอนเรื่อง")
        return casework.hand_over(t.session, c, o, target, t.now)
    return _act(case_id, do)


@_route("reply", "reply")
def reply(case_id: int):
    text = _text("text", "ข้อความถึงผู้รายงาน")
    return _act(case_id, lambda t, o, c: casework.relay_to_reporter(t.session, c, o, text, t.now))


@_route("note", "note")
def note(case_id: int):
    text = _text("text", "บันทึกภายใน")
    return _act(case_id, lambda t, o, c: casework.note(t.session, c, o, text, t.now))


@_route("state", "change_state")
def change_state(case_id: int):
    state = request.form.get("state", "")
    if state not in STATE_CHOICES:
        abort(400, description="กรุณาเลือกสถานะ")
    def do(t, o, c):
        if c.state == "closed":  # as in LINE: a closed case is reopened first
            return casework.reopen(t.session, c, o, t.now)
        return casework.change_state(t.session, c, o, state, t.now)
    return _act(case_id, do)


@_route("refer", "refer")
def refer(case_id: int):
    destination = request.form.get("destination", "")
    if destination not in casework.DESTINATIONS:
        abort(400, description="กรุณาเลือกหน่วยงานที่ส่งต่อ")
    contact = _text("contact", "หน่วยงานและผู้ประสานงาน", required=False)
    return _act(case_id, lambda t, o, c: casework.refer(t.session, c, o, destination, contact, t.now))


@_route("close", "close")
def close(case_id: int):
    summary = _text("summary", "สรุปผลการดำเนินงาน")
    def do(t, o, c):
        if c.state == "closed":
            abort(400, description="เรื่องนี้ปิดแล้ว")
        return casework.change_state(t.session, c, o, "closed", t.now, summary=summary)
    return _act(case_id, do)


@_route("reopen", "reopen")
def reopen(case_id: int):
    return _act(case_id, lambda t, o, c: casework.reopen(t.session, c, o, t.now))


def _paid_on(typed: str, now) -> date:
    """The payment date from the page's date field (2026-11-22) or typed as in LINE ("วันนี้", "22/11/2569")."""
    if not typed:
        return now.astimezone(BANGKOK).date()
    try:
        return date.fromisoformat(typed)
    except ValueError:
        pass
    try:
        return parse_date(typed, now)
    except DateParseError as error:
        abort(400, description=str(error))


@_route("fund/<int:request_id>/<step>", "fund_step")
def fund_step(case_id: int, request_id: int, step: str):
    """Propose, approve, refuse (with a reason) or record the payment of a fund request of this case."""
    if step not in ("proposed", "approved", "refused", "paid"):
        abort(404)
    note_text = _text("reason", "เหตุผล", required=False) if step == "refused" else None
    def do(t, o, c):
        row = t.session.get(FundRequest, request_id)
        if row is None or row.case_id != c.id:
            abort(404, description="ไม่พบคำขอนี้ในเรื่องนี้")
        paid_on = _paid_on(request.form.get("paid_on", "").strip(), t.now) if step == "paid" else None
        return fund_chat.advance(t, o, row, step, note=note_text or None, paid_on=paid_on)
    return _act(case_id, do)


@_route("marks/<kind>", "set_mark")
def set_mark(case_id: int, kind: str):
    """The memo's secrecy or urgency mark (ชั้นความลับ / ความเร่งด่วน in LINE), or none."""
    if kind not in MARKS:
        abort(404)
    choices, record = MARKS[kind]
    value = request.form.get("mark", "")
    if value not in choices:
        abort(400, description="กรุณาเลือกจากรายการ")
    return _act(case_id, lambda t, o, c: record(t, o, c, value))


@_route("doc-number", "set_doc_number")
def set_doc_number(case_id: int):
    """The memo's ที่ from the office's register (เลขที่หนังสือ in LINE); left empty, the memo leaves it to fill in."""
    typed = _text("doc_number", "เลขที่หนังสือ", required=False)
    if len(typed) > memo_marks.DOC_NUMBER_LIMIT:
        abort(400, description=f"เลขที่หนังสือยาวเกิน {memo_marks.DOC_NUMBER_LIMIT} ตัวอักษร ไม่มีข้อมูลใดถูกบันทึก")
    return _act(case_id, lambda t, o, c: memo_marks.set_doc_number(t, o, c, typed or "ไม่มี"))
