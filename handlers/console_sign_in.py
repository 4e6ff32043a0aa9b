"""/console/sign-in: a one-time code (and its QR) that the officer sends to the bot from their own LINE."""
from __future__ import annotations

from urllib.parse import quote

import segno
from flask import current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from bot.core import audit
from bot.core.texts import say
from bot.staff import console_access
from handlers.console import MESSAGES, ConsoleUser, _safe_next, address, bp, refuse, services

NONCE, DIGITS, NEXT = "sign_in_nonce", "sign_in_code", "sign_in_next"


def _qr(settings, digits: str) -> Markup:
    """The code as a QR: with LINE_BASIC_ID it opens the bot's chat with the words already typed."""
    words = f"เข้าระบบ {digits}"
    target = f"https://line.me/R/oaMessage/{quote(settings.line_basic_id)}/?{quote(words)}" \
        if settings.line_basic_id else words
    svg = segno.make(target, error="m").svg_inline(scale=5, dark="#1b1b1b", light="#ffffff",
                                                   title=f"QR: {words}")
    return Markup(svg)


def _code_for_this_browser(svc):
    """This browser's live code (a reload shows the same one), or a new one."""
    with svc.db.session() as db:
        row = console_access.pending(db, svc.secret, session.get(NONCE, ""), svc.now())
        if row is not None and row.officer_id is None and session.get(DIGITS):
            return session[DIGITS], row.expires_at
        try:
            code = console_access.new_code(db, svc.secret, address(), svc.now())
        except console_access.TooManyCodes:
            refuse(429, "ขอรหัสเข้าระบบบ่อยเกินไปจากเครื่องนี้ กรุณารอประมาณ 15 นาทีแล้วเปิดหน้านี้ใหม่")
        db.commit()
    session[NONCE], session[DIGITS] = code.nonce, code.digits
    return code.digits, code.expires_at


@bp.get("/")
@bp.get("")
def home():
    return redirect(url_for("console_cases.case_list"))


@bp.get("/sign-in")
def sign_in():
    """The sign-in page: the code, its QR, and what to send; it checks by itself when JavaScript runs."""
    if current_user.is_authenticated:
        return redirect(url_for("console_cases.case_list"))
    svc = services()
    if (target := _safe_next(request.args.get("next"))) is not None:
        session[NEXT] = target
    if _claim(svc):  # the code was sent meanwhile (a reload, or the page without JavaScript)
        return redirect(_after_sign_in_url())
    digits, expires_at = _code_for_this_browser(svc)
    simulator = current_app.extensions.get("line_simulator")
    officers = simulator.officer_personas() if simulator is not None else []
    chosen = request.args.get("persona")  # the simulator chat's "เปิดเว็บเจ้าหน้าที่" link names its persona
    officers.sort(key=lambda persona: persona[0] != chosen)
    return render_template("console/sign_in.html", digits=digits, expires_at=expires_at, qr=_qr(svc.settings, digits),
                           why=MESSAGES.get(request.args.get("why", "")), simulator_officers=officers,
                           minutes=console_access.CODE_MINUTES)


def _claim(svc) -> bool:
    """Sign this browser in if an officer has confirmed its code from LINE."""
    with svc.db.session() as db:
        audit.tag(db, "console", address())
        found = console_access.claim(db, svc.secret, session.get(NONCE, ""), address(), svc.now())
        if found is None:
            db.commit()
            return False
        officer, token = found
        user = ConsoleUser(token, officer)
        db.commit()
    next_page = session.get(NEXT)
    session.clear()  # nothing from before signing in is carried over (no fixation)
    login_user(user)
    if next_page:
        session[NEXT] = next_page
    return True


def _after_sign_in_url() -> str:
    return session.pop(NEXT, None) or url_for("console_cases.case_list")


@bp.get("/sign-in/status.json")
def sign_in_status():
    """Polled by the sign-in page: signed in yet? (also says when the code expired)."""
    g.polling = True
    svc = services()
    if current_user.is_authenticated:
        return jsonify(signed_in=True, next=url_for("console_cases.case_list"))
    if _claim(svc):
        return jsonify(signed_in=True, next=_after_sign_in_url())
    with svc.db.session() as db:
        live = console_access.pending(db, svc.secret, session.get(NONCE, ""), svc.now()) is not None
    return jsonify(signed_in=False, expired=not live)


@bp.get("/sign-in/continue")
def sign_in_continue():
    """Without JavaScript: the officer presses "ส่งรหัสแล้ว" after sending the code."""
    if _claim(services()):
        return redirect(_after_sign_in_url())
    flash(say("console_code_not_received"))
    return redirect(url_for("console.sign_in"))


@bp.post("/sign-out")
def sign_out():
    """End the session in the database too: the cookie alone opens nothing afterwards."""
    svc = services()
    if current_user.is_authenticated:
        with svc.db.session() as db:
            audit.tag(db, "console", address())
            console_access.sign_out(db, svc.secret, current_user.get_id(), svc.now())
            db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("console.sign_in", why="signed_out"))


@bp.post("/sign-in/simulator")
def simulator_send_code():
    """Simulator mode only: the chosen officer persona sends this page's code through the fake LINE."""
    simulator = current_app.extensions.get("line_simulator")
    key = request.form.get("persona", "")
    if simulator is None or key not in dict(simulator.officer_personas()) or not session.get(DIGITS):
        refuse(404, "ใช้ได้เฉพาะในโหมดเครื่องจำลอง")
    simulator.says(key, f"เข้าระบบ {session[DIGITS]}")  # a signed webhook, exactly as from the phone
    return redirect(url_for("console.sign_in"))
