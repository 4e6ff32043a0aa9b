"""POST /callback: verify LINE's signature, handle each event once, answer 200 fast."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy import text

from handlers import events

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def signature_ok(secret: str, body: bytes, signature: str) -> bool:
    """LINE signs the raw body with the channel secret (HMAC-SHA256, Base64)."""
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("ascii", "ignore"))


@bp.post("/callback")
def callback() -> Response:
    services = current_app.extensions["ccpc"]
    secret = services.settings.line_channel_secret
    if not secret:
        return Response("LINE_CHANNEL_SECRET is not set; this service cannot accept webhooks yet.\n", 503)
    body = request.get_data(cache=False)
    if not signature_ok(secret, body, request.headers.get("X-Line-Signature", "")):
        log.warning("webhook with a missing or wrong signature from %s", request.remote_addr)
        return Response("invalid signature\n", 400)
    try:
        payload = json.loads(body)
        batch = [e for e in payload.get("events", []) if isinstance(e, dict)]
    except (ValueError, AttributeError):
        log.warning("signed webhook body is not a JSON object")
        return Response("bad body\n", 400)
    queued = [row_id for event in batch for row_id in events.process(services, event)]
    images = any((e.get("message") or {}).get("type") == "image" for e in batch)
    response = Response("OK\n", 200)
    if queued or images:
        # Talking to LINE is the slow part: do it after the response has gone back to LINE.
        response.call_on_close(lambda: services.after_webhook(queued, images))
    return response


@bp.get("/healthz")
def healthz() -> Response:
    services = current_app.extensions["ccpc"]
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001
        log.exception("health check: database unreachable")
        return Response(json.dumps({"status": "error", "database": "unreachable"}), 503, mimetype="application/json")
    body = {"status": "ok", "line_configured": services.settings.line_configured}
    return Response(json.dumps(body), 200, mimetype="application/json")
