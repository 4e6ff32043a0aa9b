"""/console/outbox: messages LINE refused or that keep failing, with a retry button (as `flask outbox retry`)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from bot.core import audit
from bot.core.texts import say
from bot.line import outbox
from handlers.console import SUPERVISOR_LINKS, address, guard, refuse, services, supervisor_required
from models import AuditLog, Case, Officer, Outbox, Reporter

outbox_bp = guard(Blueprint("console_outbox", __name__, url_prefix="/console/outbox"))
SUPERVISOR_LINKS.append(("console_outbox.troubled", "ข้อความค้างส่ง"))
STUCK_AFTER = timedelta(minutes=10)
PURPOSES = {  # what each message was, in the supervisor's words; an unknown purpose shows as stored
    "case_alert": "แจ้งเหตุใหม่ถึงเจ้าหน้าที่", "reply": "ตอบกลับในแชต", "group_notice": "แจ้งกลุ่ม LINE ของศูนย์",
    "delivery_failed": "แจ้งว่าส่งข้อความไม่สำเร็จ", "case_taken": "แจ้งผู้รายงานว่ารับเรื่องแล้ว",
    "handover": "แจ้งการโอนเรื่อง", "relay_to_reporter": "ข้อความจากเจ้าหน้าที่ถึงผู้รายงาน",
    "state_changed": "แจ้งผู้รายงานว่าเปลี่ยนสถานะ", "reporter_wrote": "แจ้งเจ้าหน้าที่ว่าผู้รายงานส่งข้อความ",
    "still_waiting": "แจ้งผู้รายงานว่ายังรอเจ้าหน้าที่", "monthly_report": "สรุปผลประจำเดือน",
}  # a pending message older than this that already failed once is "stuck"


def _recipients(db, chats: set[str]) -> dict[str, str]:
    """Who each LINE chat is, by name (officer or reporting school), for the supervisor to recognise."""
    names = {o.line_user_id: f"{o.name} (เจ้าหน้าที่)" for o in db.scalars(
        select(Officer).where(Officer.line_user_id.in_(chats)))}
    for r in db.scalars(select(Reporter).where(Reporter.line_user_id.in_(chats))):
        names.setdefault(r.line_user_id, f"{r.name} ({r.school})")
    return names


@outbox_bp.get("")
@supervisor_required
def troubled():
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        rows = list(db.scalars(select(Outbox).where(or_(
            Outbox.status == "failed",
            (Outbox.status == "pending") & (Outbox.attempts > 0) & (Outbox.created_at < now - STUCK_AFTER)))
            .order_by(Outbox.id.desc()).limit(200)))
        names = _recipients(db, {r.to for r in rows})
        cases = {c.id: c.reference for c in db.scalars(select(Case).where(Case.id.in_({r.case_id for r in rows})))}
    return render_template("console/supervisor/outbox.html", rows=rows, names=names, cases=cases, purposes=PURPOSES)


@outbox_bp.post("/<int:row_id>/retry")
@supervisor_required
def retry(row_id: int):
    """Queue a failed message again and hand it to the sender at once."""
    svc = services()
    now = svc.now()
    if not outbox.requeue(svc.db, row_id, now):
        refuse(404, "ไม่พบข้อความที่ส่งไม่สำเร็จรายการนี้ (อาจส่งใหม่ไปแล้ว)")
    with svc.db.session() as db:
        audit.tag(db, "console", address())
        row = db.get(Outbox, row_id)
        db.add(AuditLog(at=now, actor=current_user.line_user_id, action="outbox_retried", case_id=row.case_id,
                        detail={"outbox_id": row_id, "purpose": row.purpose}))
        db.commit()
        chat = row.to
    svc.send_ids_later([([row_id], (chat,))])
    flash(say("console_message_requeued", row_id=row_id))
    return redirect(url_for("console_outbox.troubled"))
