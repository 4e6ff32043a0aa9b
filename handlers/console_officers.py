"""/console/officers: the supervisor adds, invites, promotes and deactivates officers.

Everything goes through bot/staff/officers.py, the functions `flask officers …` calls; the rich menus
follow as they do after the CLI (bot/staff/menus.sync), and a deactivated officer's console sessions
end at their next click (bot/staff/console_access.load checks the officer each time).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bot.core import audit
from bot.core.texts import say
from bot.line import budget, console_delivery
from bot.staff import duty, menus
from bot.staff import officers as officer_admin
from handlers.console import SUPERVISOR_LINKS, address, guard, refuse, services, supervisor_required
from models import AuditLog, DutySlot, PushBudget

officers_bp = guard(Blueprint("console_officers", __name__, url_prefix="/console/officers"))
SUPERVISOR_LINKS.append(("console_officers.officer_list", "เจ้าหน้าที่"))
ROLES = {"officer": "เจ้าหน้าที่", "supervisor": "หัวหน้าศูนย์"}


def _page(status: int = 200, invited: tuple | None = None, error: str | None = None):
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        rows = officer_admin.all_officers(db)
        on_duty = duty.on_duty(db, now)
        shifts = duty.roster(db)
        reading = db.get(PushBudget, 1)  # the stored reading: LINE is never called on a request
        held = budget.held_count(db)
        by_console = console_delivery.delivered_count(db, since=console_delivery.month_start(now))
    return render_template("console/supervisor/officers.html", officers=rows, roles=ROLES, invited=invited,
                           error=error, form=request.form, on_duty=on_duty, on_duty_ids={o.id for o in on_duty},
                           shifts=shifts, days=duty.THAI_DAYS, reading=reading, held=held, by_console=by_console,
                           this_month=reading is not None and reading.month == budget.month_of(now),
                           left=budget.remaining(reading), share=round(budget.used_share(reading) * 100),
                           duty_hours=svc.settings.duty_hours), status


@officers_bp.get("")
@supervisor_required
def officer_list():
    return _page()


def _change(work):
    """Run one change to the officers in a tagged unit of work; a refusal shows the page again with the reason."""
    svc = services()
    with svc.db.session() as db:
        audit.tag(db, "console", address())
        try:
            result = work(db, svc.now(), current_user.line_user_id)
        except officer_admin.OfficerError as error:
            return None, _page(400, error=error.thai)
        db.commit()
    menus.sync(svc)
    return result, None


@officers_bp.post("/add")
@supervisor_required
def add():
    f = request.form
    officer, refused = _change(lambda db, now, actor: officer_admin.add(
        db, f.get("name", ""), f.get("phone", ""), f.get("line_user_id", "").strip(), f.get("role", ""), now, actor))
    if refused:
        return refused
    flash(say("console_officer_added", person=officer.name))
    return redirect(url_for("console_officers.officer_list"))


@officers_bp.post("/invite")
@supervisor_required
def invite():
    f = request.form
    result, refused = _change(lambda db, now, actor: officer_admin.invite(
        db, f.get("name", ""), f.get("phone", ""), f.get("role", ""), now, actor))
    if refused:
        return refused
    officer, code = result
    # The code is shown once, on this answer only (it is stored hashed): no redirect that could lose it.
    return _page(invited=(officer.name, code, officer_admin.INVITE_DAYS))


def _target(officer_id: int):
    if officer_id == current_user.officer_id:
        refuse(400, "ไม่สามารถเปลี่ยนบทบาทหรือระงับบัญชีของตนเองได้ กรุณาให้หัวหน้าศูนย์ท่านอื่นดำเนินการ")
    return str(officer_id)


@officers_bp.post("/<int:officer_id>/role")
@supervisor_required
def set_role(officer_id: int):
    key, role = _target(officer_id), request.form.get("role", "")
    officer, refused = _change(lambda db, now, actor: officer_admin.set_role(db, key, role, now, actor))
    if refused:
        return refused
    flash(say("console_role_changed", person=officer.name, role_name=ROLES[officer.role]))
    return redirect(url_for("console_officers.officer_list"))


@officers_bp.post("/<int:officer_id>/deactivate")
@supervisor_required
def deactivate(officer_id: int):
    key = _target(officer_id)
    officer, refused = _change(lambda db, now, actor: officer_admin.deactivate(db, key, now, actor))
    if refused:
        return refused
    flash(say("console_officer_deactivated", person=officer.name))
    return redirect(url_for("console_officers.officer_list"))


# ---- duty (เวร): on or off duty now, and the weekly roster, through the functions LINE and `flask roster` use ----

def _recorded(db, now, actor: str, action: str, officer, **detail) -> None:
    db.add(AuditLog(at=now, actor=actor, action=action, detail={"officer": officer.id, **detail}))


@officers_bp.post("/<int:officer_id>/duty")
@supervisor_required
def set_duty(officer_id: int):
    """Put an officer on duty now (for DUTY_HOURS, as เข้าเวร does) or off duty (as ออกเวร does)."""
    on = request.form.get("on", "")
    if on not in ("1", "0"):
        refuse(400, "กรุณาเลือกเข้าเวรหรือออกเวร")
    def work(db, now, actor):
        officer = officer_admin.find(db, str(officer_id))
        if not officer.active:
            raise officer_admin.OfficerError("inactive", "บัญชีนี้ถูกระงับแล้ว จึงเข้าเวรไม่ได้")
        if on == "1":
            duty.start(db, officer, now, services().settings.duty_hours)
        else:
            duty.stop(db, officer, now)
        _recorded(db, now, actor, "duty_started" if on == "1" else "duty_stopped", officer)
        return officer
    officer, refused = _change(work)
    if refused:
        return refused
    flash(say("console_duty_changed", person=officer.name, starting=on == "1"))
    return redirect(url_for("console_officers.officer_list"))


@officers_bp.post("/roster/add")
@supervisor_required
def add_shift():
    """A weekly shift: the days ticked and the hours, as `flask roster add` takes them."""
    f = request.form
    days = [d for d in f.getlist("day") if d in duty.DAYS]
    hours = f"{f.get('starts', '').strip()}-{f.get('ends', '').strip()}"
    def work(db, now, actor):
        if not days:
            raise officer_admin.OfficerError("no day", "กรุณาเลือกวันอย่างน้อยหนึ่งวัน")
        try:
            officer, shift = duty.set_shift(db, "#" + f.get("officer", ""), ",".join(days), hours)
        except officer_admin.OfficerError as error:
            if "hours" in str(error):
                raise officer_admin.OfficerError(str(error), "กรุณาระบุเวลาเริ่มและเลิกเวร เช่น 08:30 ถึง 16:30 "
                                                             "(เวลาเริ่มและเลิกต้องไม่ตรงกัน)") from error
            raise
        _recorded(db, now, actor, "roster_shift_added", officer, days=[duty.DAYS[d] for d in shift.days],
                  hours=f"{shift.starts}-{shift.ends}")
        return officer
    officer, refused = _change(work)
    if refused:
        return refused
    flash(say("console_shift_added", person=officer.name))
    return redirect(url_for("console_officers.officer_list"))


@officers_bp.post("/roster/<int:slot_id>/remove")
@supervisor_required
def remove_shift(slot_id: int):
    """Remove one weekly shift (one day's line of the roster)."""
    def work(db, now, actor):
        slot = db.get(DutySlot, slot_id)
        if slot is None:
            raise officer_admin.OfficerError("no such shift", "ไม่พบเวรนี้ในตารางเวร (อาจถูกลบไปแล้ว)")
        officer = duty.remove_shift(db, slot)
        _recorded(db, now, actor, "roster_shift_removed", officer, day=duty.DAYS[slot.weekday],
                  hours=f"{slot.starts}-{slot.ends}")
        return officer
    officer, refused = _change(work)
    if refused:
        return refused
    flash(say("console_shift_removed", person=officer.name))
    return redirect(url_for("console_officers.officer_list"))
