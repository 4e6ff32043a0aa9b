"""Signed links are opened only by the holder they were issued to, and only while that holder has access.

A refusal is a short Thai page (the links open in LINE's browser): 410 when the link has expired,
403 when it is invalid or its holder lost access since (an officer deactivated).
"""
from __future__ import annotations

from flask import abort, make_response, render_template, request

from bot.core import access, signed_urls


def refuse(services, status: int, reason: str):
    """Stop the request with the Thai page explaining why the link does not open."""
    page = render_template("link_refused.html", reason=reason, centre_name=services.settings.centre_name)
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    abort(response)


def link_holder(services) -> str:
    """Whom this request's signed link was issued to; refuses forged, tampered, expired and unbound links."""
    holder = request.args.get("to", "")
    state = signed_urls.check(services.secret, request.path, request.args.get("exp", ""),
                              request.args.get("sig", ""), int(services.now().timestamp()), holder)
    if state == "expired":
        refuse(services, 410, "expired")
    if state != "ok" or not holder:  # links issued before they named a holder no longer open
        refuse(services, 403, "invalid")
    return holder


def require_access(services, session, holder: str, case_id: int | None) -> None:
    """Refuse unless the link's holder may still see `case_id` (or, without one, office-wide figures)."""
    if not access.holder_may_open(session, holder, case_id):
        refuse(services, 403, "no_access")
