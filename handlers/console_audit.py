"""/console/audit: the append-only audit log, filtered by case, person and date (supervisors only)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from bot.casework import references
from bot.core.thai_dates import BANGKOK
from handlers.console import SUPERVISOR_LINKS, guard, refuse, services, supervisor_required
from models import AuditLog, Case, Officer, Reporter

audit_bp = guard(Blueprint("console_audit", __name__, url_prefix="/console/audit"))
SUPERVISOR_LINKS.append(("console_audit.audit_log", "บันทึกการใช้งาน"))
PAGE = 100
ACTIONS = {  # Thai names of what was done; an unknown action shows as it is stored
    "case_filed": "แจ้งเรื่องใหม่", "case_viewed": "เปิดดูเรื่อง", "detail": "เปิดดูรายละเอียด (LINE)",
    "case_taken": "รับเรื่อง", "case_handover": "ส่งต่อเจ้าหน้าที่", "case_to_reporter": "ตอบผู้แจ้ง",
    "case_photo_to_reporter": "ส่งรูปถึงผู้แจ้ง", "case_note": "บันทึกภายใน", "case_state": "เปลี่ยนสถานะ",
    "reopen": "เปิดเรื่องอีกครั้ง", "memo_printed": "พิมพ์บันทึกข้อความ", "memo_opened": "เปิดบันทึกข้อความ",
    "documents_linked": "ส่งลิงก์เอกสาร", "form": "เปิดแบบฟอร์ม", "fund": "กองทุนช่วยเหลือ",
    "fundact": "ดำเนินการกองทุน", "pfund": "ขอกองทุน", "console_signed_in": "เข้าระบบเว็บ",
    "console_signed_out": "ออกจากระบบเว็บ", "console_code_confirmed": "ยืนยันรหัสเข้าระบบเว็บ",
    "console_code_wrong": "ส่งรหัสเข้าระบบผิด", "photo_opened": "เปิดดูภาพ", "fund_form_opened": "เปิดแบบคำขอเงินกองทุน",
    "officer_added": "เพิ่มเจ้าหน้าที่", "officer_invited": "เชิญเจ้าหน้าที่", "officer_linked": "เชื่อม LINE เจ้าหน้าที่",
    "officer_deactivated": "ระงับบัญชีเจ้าหน้าที่", "officer_role_changed": "เปลี่ยนบทบาทเจ้าหน้าที่",
    "outbox_retried": "ส่งข้อความใหม่", "summary_downloaded": "ดาวน์โหลดสรุปผล",
    "memo_secrecy_set": "กำหนดชั้นความลับ", "memo_urgency_set": "กำหนดความเร่งด่วน",
    "memo_number_set": "กำหนดเลขที่หนังสือ", "duty_started": "ให้เข้าเวร", "duty_stopped": "ให้ออกเวร",
    "roster_shift_added": "เพิ่มเวรประจำสัปดาห์", "roster_shift_removed": "ลบเวรประจำสัปดาห์",
    "group_registered": "ลงทะเบียนกลุ่ม LINE",
    "console_messages_shown": "เห็นข้อความใหม่ในหน้าเว็บ", "retention_purge": "ลบข้อมูลตามระยะเวลาเก็บรักษา",
}
CHANNELS = {"line": "LINE", "console": "เว็บ", "cli": "คำสั่งระบบ", "link": "ลิงก์"}


def _day(name: str) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        refuse(400, "วันที่ไม่ถูกต้อง กรุณาเลือกวันที่จากปฏิทิน")


def _query(db, now: datetime):
    """The filters of the request as a query, and what they were (to show them back)."""
    query, shown = select(AuditLog), {}
    if typed := request.args.get("case", "").strip():
        case = references.find(db, typed, now)
        if case is None:
            refuse(404, f"ไม่พบเรื่องเลขที่ {typed[:30]}")
        query, shown["case"] = query.where(AuditLog.case_id == case.id), case.reference
    if person := request.args.get("person", "").strip():
        query = query.where(AuditLog.actor == person)
    if (start := _day("from")) is not None:
        query = query.where(AuditLog.at >= datetime.combine(start, time(), BANGKOK))
    if (end := _day("to")) is not None:
        query = query.where(AuditLog.at < datetime.combine(end + timedelta(days=1), time(), BANGKOK))
    before = request.args.get("before", "")
    if before.isdigit():
        query = query.where(AuditLog.id < int(before))
    return query.order_by(AuditLog.id.desc()).limit(PAGE + 1), shown


@audit_bp.get("")
@supervisor_required
def audit_log():
    svc = services()
    with svc.db.session() as db:
        query, shown = _query(db, svc.now())
        rows = list(db.scalars(query))
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        people = {o.line_user_id: o.name for o in db.scalars(select(Officer).where(Officer.line_user_id.is_not(None)))}
        actors = {r.actor for r in rows} - set(people)
        people.update({r.line_user_id: f"{r.name} ({r.school})" for r in db.scalars(
            select(Reporter).where(Reporter.line_user_id.in_(actors)))})
        cases = {c.id: c.reference for c in db.scalars(select(Case).where(Case.id.in_({r.case_id for r in rows})))}
        officers = list(db.scalars(select(Officer).where(Officer.line_user_id.is_not(None)).order_by(Officer.name)))
    return render_template("console/supervisor/audit.html", rows=rows, more=more, people=people, cases=cases,
                           officers=officers, actions=ACTIONS, channels=CHANNELS, shown=shown, args=request.args)
