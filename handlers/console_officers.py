"""/console/officers: the supervisor adds, invites, promotes and deactivates officers.

Everything goes through bot/staff/officers.py, the functions `flask officers …` calls; the rich menus
follow as they do after the CLI (bot/staff/menus.sync), and a deactivated officer's console sessions
end at their next click (bot/staff/console_access.load checks the officer each time).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bot.core import audit
from bot.staff import menus
from bot.staff import officers as officer_admin
from handlers.console import SUPERVISOR_LINKS, address, guard, refuse, services, supervisor_required

officers_bp = guard(Blueprint("console_officers", __name__, url_prefix="/console/officers"))
SUPERVISOR_LINKS.append(("console_officers.officer_list", "เจ้าหน้าที่"))
ROLES = {"officer": "เจ้าหน้าที่", "supervisor": "หัวหน้าศูนย์"}


def _page(status: int = 200, invited: tuple | None = None, error: str | None = None):
    svc = services()
    with svc.db.session() as db:
        rows = officer_admin.all_officers(db)
    return render_template("console/supervisor/officers.html", officers=rows, roles=ROLES, invited=invited,
                           error=error, form=request.form), status


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
    flash(f"เพิ่ม {officer.name} แล้ว การแจ้งเตือนจะส่งถึง LINE ของท่านตั้งแต่นี้")
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
    flash(f"{officer.name} เป็น{ROLES[officer.role]}แล้ว")
    return redirect(url_for("console_officers.officer_list"))


@officers_bp.post("/<int:officer_id>/deactivate")
@supervisor_required
def deactivate(officer_id: int):
    key = _target(officer_id)
    officer, refused = _change(lambda db, now, actor: officer_admin.deactivate(db, key, now, actor))
    if refused:
        return refused
    flash(f"ระงับบัญชีของ {officer.name} แล้ว: ไม่มีการแจ้งเตือนถึงท่านอีก และเข้าระบบเว็บไม่ได้")
    return redirect(url_for("console_officers.officer_list"))
