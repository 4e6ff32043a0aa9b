"""The webhook endpoint as LINE sees it: signatures, verification, redelivery, odd events."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.fake_line import signature, text_event, webhook_body
from models import Draft, WebhookEvent
from tests.conftest import SECRET, SIGNING_KEY


def post(client, body: bytes, sig: str | None):
    headers = {"Content-Type": "application/json"}
    if sig is not None:
        headers["X-Line-Signature"] = sig
    return client.post("/callback", data=body, headers=headers)


def test_line_console_verify_request_gets_200(client):
    body = b'{"destination":"Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","events":[]}'
    assert post(client, body, signature(SECRET, body)).status_code == 200


def test_missing_or_forged_signature_is_refused_without_side_effects(client, services, line):
    principal = line.user()
    body = webhook_body([text_event(line, principal.user_id, "แจ้งเหตุ")])
    assert post(client, body, None).status_code == 400
    assert post(client, body, signature("another-secret", body)).status_code == 400
    assert post(client, body + b" ", signature(SECRET, body)).status_code == 400
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
        assert session.scalar(select(func.count()).select_from(Draft)) == 0
    assert line.deliveries == []


def test_redelivered_event_is_handled_once(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    event = line.last_event
    assert line.redeliver(event) == 200
    assert len(principal.messages()) == 2  # intro + first question, once
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1


def test_unhandled_events_are_acknowledged_not_errors(app, line):
    principal = line.user()
    assert principal.unfollows() == 200
    assert principal.sends_sticker() == 200  # outside a form: a hint, not a crash
    assert "ยังไม่เข้าใจ" in principal.last_text()
    group_event = text_event(line, principal.user_id, "สวัสดี", group_id="C" + "0" * 32)
    assert line.send([group_event]) == 200
    assert line.send([{"type": "somethingNew", "mode": "active", "timestamp": 0,
                       "webhookEventId": "01XYZ", "deliveryContext": {"isRedelivery": False},
                       "source": {"type": "user", "userId": principal.user_id}}]) == 200


def test_signed_garbage_body_is_a_400_not_a_500(client):
    body = b"not json"
    assert post(client, body, signature(SECRET, body)).status_code == 400


def test_service_without_line_credentials_starts_and_says_why_webhooks_fail(database_url):
    from app import create_app
    from config.settings import Settings

    app = create_app(Settings(database_url=database_url, secret_key=SIGNING_KEY))
    client = app.test_client()
    response = client.post("/callback", data=b"{}", headers={"X-Line-Signature": "x"})
    assert response.status_code == 503 and b"LINE_CHANNEL_SECRET" in response.data
    health = client.get("/healthz")
    assert health.status_code == 200 and json.loads(health.data)["line_configured"] is False
    app.extensions["ccpc"].db.dispose()


def test_a_failing_event_gets_an_apology_instead_of_silence(app, services, line, monkeypatch):
    from handlers import events

    def broken(turn, event):
        raise RuntimeError("boom")

    monkeypatch.setitem(events.HANDLERS, "message", broken)
    principal = line.user()
    assert principal.says("แจ้งเหตุ") == 200
    assert "ระบบขัดข้องชั่วคราว" in principal.last_text()


def test_a_reply_longer_than_five_messages_arrives_whole_and_in_order(app, line, monkeypatch):
    from bot.line.messages import text
    from handlers import events

    monkeypatch.setitem(events.HANDLERS, "follow", lambda turn, event: [text(f"ข้อความ {i}") for i in range(7)])
    principal = line.user()
    principal.follows()
    assert principal.texts() == [f"ข้อความ {i}" for i in range(7)]
    assert [d.kind for d in line.deliveries] == ["reply", "push"]
