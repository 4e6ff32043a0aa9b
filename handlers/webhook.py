"""POST /callback: verify LINE's signature, store the events, answer 200 at once.

The event worker (handlers/worker.py) handles what was stored, once each, in order.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import text

from bot.core import metrics
from bot.line import budget, inbox, webhook_body

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def signature_ok(secret: str, body: bytes, signature: str) -> bool:
    """LINE signs the raw body with the channel secret (HMAC-SHA256, Base64)."""
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("ascii", "ignore"))


@bp.post("/callback")
def callback() -> Response:
    services = current_app.extensions["ccpc"]
    started = time.perf_counter()
    g.events_stored = 0
    with services.webhooks.answering():  # this process's event worker waits while LINE waits
        response = _store_events(services)
    metrics.webhook_answered(response.status_code, time.perf_counter() - started, g.events_stored)
    return response


def _store_events(services) -> Response:
    secret = services.settings.line_channel_secret
    if not secret:
        return Response("LINE_CHANNEL_SECRET is not set; this service cannot accept webhooks yet.\n", 503)
    body = request.get_data(cache=False)
    if not signature_ok(secret, body, request.headers.get("X-Line-Signature", "")):
        log.warning("webhook with a missing or wrong signature from %s", request.remote_addr)
        return Response("invalid signature\n", 400)
    try:
        batch = webhook_body.read(body)
    except webhook_body.BadBody as problem:  # signed, so from someone holding the secret: say so once
        log.warning("signed webhook body refused: %s", problem)
        return Response("bad body\n", 400)
    if batch.malformed:
        log.info("ignoring %s malformed event(s)", batch.malformed)
    batch = batch.events
    try:
        stored = inbox.store(services.db, batch, services.now())
    except Exception:  # noqa: BLE001 - not stored, so not acknowledged: LINE delivers it again
        log.exception("could not store %s webhook event(s)", len(batch))
        return Response("temporarily unavailable\n", 503)
    g.events_stored = stored
    if stored:
        services.events_waiting.set()  # the event worker answers; LINE gets its 200 now
    if stored < len(batch):
        log.info("skipping %s redelivered event(s)", len(batch) - stored)
    return Response("OK\n", 200)


@bp.get("/healthz")
def healthz() -> Response:
    services = current_app.extensions["ccpc"]
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
            quota = budget.health(session, services.now())  # the stored reading: LINE is not called here
    except Exception:  # noqa: BLE001
        log.exception("health check: database unreachable")
        return Response(json.dumps({"status": "error", "database": "unreachable"}), 503, mimetype="application/json")
    body = {"status": "ok", "line_configured": services.settings.line_configured,
            **inbox.backlog(services.db, services.now()), **quota}
    return Response(json.dumps(body), 200, mimetype="application/json")
