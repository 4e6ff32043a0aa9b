"""/console: the centre's web console. The session, CSRF, security headers and access decorators live here.

Pages are thin routes (handlers/console_*.py) on blueprints passed through `guard()`; every decision
is made by the same bot/ functions the LINE commands call. Sessions are rows in the database
(bot/staff/console_access.py): the signed cookie only carries a random token, so a sign-out, the idle
timeout and a deactivation take effect in every web process at the next click.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from functools import wraps
from importlib.resources import files
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, Response, abort, current_app, g, jsonify, redirect, render_template, request,
                   send_file, session, url_for)
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from bot.core import thai_dates
from bot.staff import console_access
from config.settings import PROJECT_ROOT

bp = Blueprint("console", __name__, url_prefix="/console", static_folder=str(PROJECT_ROOT / "static" / "console"),
               static_url_path="/static")
csrf = CSRFProtect()
login_manager = LoginManager()
FONT_STYLES = ("Regular", "Bold")
# Everything the pages use is served from here: no CDN, no inline script or style.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
MESSAGES = {  # why the sign-in page is shown (?why=…)
    "signed_out": "ออกจากระบบแล้ว", "idle": "หมดเวลาการใช้งานเนื่องจากไม่มีการใช้งานนานเกินกำหนด กรุณาเข้าระบบอีกครั้ง",
    "deactivated": "บัญชีเจ้าหน้าที่นี้ถูกระงับการใช้งานแล้ว", "required": "กรุณาเข้าระบบก่อนใช้งาน",
}


class ConsoleUser(UserMixin):
    """The signed-in officer as the pages see them (a plain copy, not a database row)."""

    def __init__(self, token: str, officer):
        self.id = token  # what the signed cookie holds: the session's random token
        self.officer_id, self.name, self.role = officer.id, officer.name, officer.role
        self.line_user_id = officer.line_user_id

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def services():
    return current_app.extensions["ccpc"]


def idle_limit() -> timedelta:
    return timedelta(minutes=services().settings.console_idle_minutes)


def address() -> str:
    """The browser's address (gunicorn sets it from the proxy's X-Forwarded-For)."""
    return (request.remote_addr or "unknown")[:64]


@login_manager.user_loader
def _load_user(token: str):
    svc = services()
    with svc.db.session() as db:
        row = console_access.load(db, svc.secret, token, svc.now(), idle_limit(), touch=not g.get("polling"))
        user = ConsoleUser(token, row.officer) if row is not None else None
        g.session_end = None if row is not None else console_access.end_reason(db, svc.secret, token)
        db.commit()
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    why = g.get("session_end") or "required"
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return jsonify(error=MESSAGES.get(why, MESSAGES["required"]), signed_in=False), 401
    session.pop("_user_id", None)
    return redirect(url_for("console.sign_in", why=why, next=_safe_next(request.full_path)))


def _safe_next(target: str | None) -> str | None:
    """Only a path inside the console is followed after signing in (never another site)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/") or "\\" in target:
        return None
    return target.rstrip("?")


def officer_required(view):
    """The page is for signed-in officers and supervisors; others go to the sign-in page."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return wrapped


def supervisor_required(view):
    """The page is for supervisors only: an officer gets 403 with a Thai explanation."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_supervisor:
            abort(403, description="หน้านี้สำหรับหัวหน้าศูนย์ (ผู้ดูแล) เท่านั้น")
        return view(*args, **kwargs)
    return wrapped


def refuse(status: int, message: str):
    """Stop the request with a Thai page (or JSON for the live-update calls)."""
    abort(status, description=message)


TITLES = {400: "คำขอไม่ถูกต้อง", 401: "กรุณาเข้าระบบ", 403: "ไม่มีสิทธิ์เข้าถึง", 404: "ไม่พบหน้าที่ต้องการ",
          405: "คำขอไม่ถูกต้อง", 410: "หมดอายุแล้ว", 413: "ข้อมูลใหญ่เกินไป", 429: "ขอบ่อยเกินไป"}
DEFAULT_TEXT = {400: "คำขอนี้ไม่ถูกต้อง กรุณากลับไปหน้าเดิมแล้วลองใหม่", 403: "ท่านไม่มีสิทธิ์เข้าถึงหน้านี้",
                404: "ไม่พบหน้าหรือข้อมูลที่ต้องการ", 405: "หน้านี้ไม่รับคำขอแบบนี้",
                429: "ขอรหัสบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"}


def _error_page(error):
    status = getattr(error, "code", 500) or 500
    text = error.description if isinstance(getattr(error, "description", None), str) \
        and not error.description.startswith(("The ", "You ", "Method ", "Bad ", "Request ")) else None
    text = text or DEFAULT_TEXT.get(status, "เกิดข้อผิดพลาด กรุณาลองใหม่")
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return jsonify(error=text), status
    return render_template("console/error.html", status=status, title=TITLES.get(status, "เกิดข้อผิดพลาด"),
                           message=text), status


def _csrf_refused(error: CSRFError):
    return _error_page(type("Refused", (), {"code": 400, "description":
                                            "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งจากหน้าของระบบ (ไม่มีรหัสป้องกัน CSRF ที่ถูกต้อง) "
                                            "กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง ไม่มีข้อมูลใดถูกเปลี่ยน"})())


# Pages only supervisors see in the menu, as (endpoint, Thai label); their blueprints add themselves.
SUPERVISOR_LINKS: list[tuple[str, str]] = []


def _page_values() -> dict:
    return {"centre_name": services().settings.centre_name,
            "console_supervisor_links": lambda: [(e, label) for e, label in SUPERVISOR_LINKS
                                                 if e in current_app.view_functions]}


def guard(blueprint: Blueprint) -> Blueprint:
    """Give a console blueprint the console's rules: CSRF on every POST, headers, Thai error pages."""
    blueprint.context_processor(_page_values)
    blueprint.before_request(_before)
    blueprint.after_request(_headers)
    for status in (400, 401, 403, 404, 405, 410, 413, 429):
        blueprint.register_error_handler(status, _error_page)
    blueprint.register_error_handler(CSRFError, _csrf_refused)
    return blueprint


# Background calls the pages make by themselves: they are no click, so they do not keep a session alive.
POLLING = {"console.sign_in_status", "console_cases.new_cases", "console_inbox.waiting", "console_inbox.seen"}


def _before():
    g.polling = request.endpoint in POLLING
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # raises CSRFError (400) before any view runs


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint not in ("console.static", "console.font"):
        response.headers["Cache-Control"] = "no-store"  # children's data stays out of shared caches
    return response


guard(bp)


@bp.get("/fonts/Sarabun-<style>.ttf")
def font(style: str):
    """Sarabun from the fontpkg-sarabun package: Thai looks right on office PCs without fonts."""
    if style not in FONT_STYLES:
        abort(404)
    return send_file(str(files("fontpkg_sarabun").joinpath("files", f"Sarabun-{style}.ttf")), max_age=86400)


def _session_key(secret: str) -> str:
    """Flask's cookie key, derived from SECRET_KEY so that it signs nothing else's format."""
    return hmac.new(secret.encode(), b"console-session-cookie", hashlib.sha256).hexdigest()


def install(app: Flask) -> None:
    """Attach the console to the app: cookie settings, Flask-Login, CSRF, the template filters, the pages."""
    settings = app.extensions["ccpc"].settings
    app.config.update(
        SECRET_KEY=_session_key(settings.secret_key),
        SESSION_COOKIE_NAME="ccpc_console", SESSION_COOKIE_PATH="/console", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        WTF_CSRF_CHECK_DEFAULT=False,  # only the console's POSTs: the webhook is signed by LINE instead
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which the idle timeout ends
        WTF_CSRF_SSL_STRICT=settings.public_base_url.startswith("https://"),
        REMEMBER_COOKIE_DURATION=timedelta(0),
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # the database session is the truth (see console_access.load)
    app.jinja_env.filters.setdefault("thai_datetime", thai_dates.format_datetime)
    app.jinja_env.filters.setdefault("thai_date", thai_dates.format_date)
    from handlers import console_actions, console_cases, console_sign_in  # noqa: F401 - their routes join bp
    from handlers import console_audit, console_inbox, console_officers, console_outbox, console_summary

    app.register_blueprint(bp)
    for extra in (console_cases.cases_bp, console_summary.summary_bp, console_officers.officers_bp,
                  console_outbox.outbox_bp, console_audit.audit_bp, console_inbox.inbox_bp):
        app.register_blueprint(extra)
