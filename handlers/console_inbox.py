"""/console/inbox: what is new for the signed-in officer, on every console page, instead of a push.

Every page asks `inbox.json` every few seconds (which also tells the server the officer is at the
console) and acknowledges the messages it showed (`seen`): those are then delivered through the
console and never pushed (bot/line/console_delivery.py). What a page showed is recorded in the audit
log, as opening a case is.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user

from bot.core import audit
from bot.line import console_delivery
from handlers.console import address, guard, officer_required, services
from models import AuditLog

inbox_bp = guard(Blueprint("console_inbox", __name__, url_prefix="/console"))
POLL_SECONDS = 20


def _items(db, rows) -> list[dict]:
    items = []
    for row in rows:
        shown = console_delivery.item(db, row)
        shown["url"] = url_for("console_cases.case_view", case_id=row.case_id) if row.case_id else ""
        items.append(shown)
    return items


@inbox_bp.get("/inbox.json")
@officer_required
def waiting():
    """The messages waiting for this officer that the console may show (the page then acknowledges them)."""
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        rows = console_delivery.waiting(db, current_user.line_user_id, now)
        items = _items(db, rows)
        db.commit()  # the rows of a lost access are withdrawn
    return jsonify(messages=items, now=now.isoformat(), seconds=POLL_SECONDS)


@inbox_bp.post("/inbox/seen")
@officer_required
def seen():
    """The page showed these messages: they are delivered (not pushed); returns the ids settled."""
    payload = request.get_json(silent=True) or {}
    ids = [i for i in payload.get("ids", []) if isinstance(i, int) and not isinstance(i, bool)]
    svc = services()
    now = svc.now()
    with svc.db.session() as db:
        settled = console_delivery.settle(db, current_user.line_user_id, ids, now)
        record_shown(db, settled, now)
        db.commit()
    return jsonify(settled=[row.id for row in settled])


def record_shown(db, rows, now) -> None:
    """Showing a case's messages is recorded like opening it: who, when, which, from the console and where."""
    by_case: dict = {}
    for row in rows:
        by_case.setdefault(row.case_id, []).append(row.id)
    if by_case:
        audit.tag(db, "console", address())
    for case_id, ids in by_case.items():
        db.add(AuditLog(at=now, actor=current_user.line_user_id, action="console_messages_shown", case_id=case_id,
                        detail={"outbox": ids}))
