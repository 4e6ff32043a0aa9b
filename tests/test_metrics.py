"""/metrics: Prometheus figures that follow the work, for this machine or a token holder only; logs stay clean."""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from app import create_app
from tests.conftest import SECRET, TOKEN, connect
from tests.helpers import add_officer, file_report


def figures(client, **headers) -> dict[str, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/plain"
    values = {}
    for line in response.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def test_metrics_change_when_a_report_is_filed(app, services, client, line, clock):
    add_officer(services, line)
    before = figures(client)
    assert before["ccpc_cases_open"] == 0
    assert before["ccpc_events_waiting"] == 0
    file_report(line.user(display_name="ผอ.ทดสอบ"))
    after = figures(client)
    assert after["ccpc_cases_open"] == 1
    assert after["ccpc_cases_overdue"] == 0
    ok = 'ccpc_webhook_requests_total{status="200"}'
    assert after[ok] - before.get(ok, 0) >= 10  # one per answer the principal sent
    assert after["ccpc_webhook_seconds_count"] > before.get("ccpc_webhook_seconds_count", 0)
    assert after['ccpc_outbox_messages{status="pending"}'] == 0
    clock.advance(minutes=services.settings.take_deadline_minutes + 1)
    assert figures(client)["ccpc_cases_overdue"] == 1  # nobody took it in time


def test_line_errors_and_waiting_work_are_counted(app, services, client, line):
    officer = add_officer(services, line)
    connect(line, app, handle_events=False)  # no event worker: the event waits
    line.user().says("แจ้งเหตุ")
    before = figures(client)
    assert before["ccpc_events_waiting"] == 1
    from bot.line import outbox
    from bot.line.messages import text

    line.fail_next("/v2/bot/message/push", 503)
    with services.db.session() as session:
        outbox.enqueue_push(session, officer.user_id, [text("ทดสอบ")], services.now(), purpose="test")
        session.commit()
    services.send_outbox()
    after = figures(client)
    errors = 'ccpc_line_api_errors_total{status="503"}'
    assert after[errors] - before.get(errors, 0) == 1
    assert after['ccpc_outbox_messages{status="pending"}'] == 1


def test_metrics_answer_only_this_machine_or_the_token(settings, clock, line):
    open_app = create_app(settings, clock=clock)
    client = open_app.test_client()
    assert client.get("/metrics").status_code == 200  # from 127.0.0.1, directly
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403  # via the proxy
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 403
    guarded = create_app(replace(settings, metrics_token="s3cret-scrape-token"), clock=clock).test_client()
    assert guarded.get("/metrics").status_code == 403
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert guarded.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"},
                       headers={"Authorization": "Bearer s3cret-scrape-token"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_the_log_of_a_full_report_carries_no_facts_names_phones_or_tokens(app, services, line, clock, caplog):
    caplog.set_level(logging.DEBUG)
    officer = add_officer(services, line, name="นางสาวเจ้าหน้าที่ ลับเฉพาะ", phone="081-555-0199")
    principal = line.user(display_name="ผอ.ทดสอบ")
    line.fail_next("/v2/bot/message/push", 500)  # the alert fails once: the retry is logged
    file_report(principal, photos=1)
    clock.advance(minutes=1)
    services.send_outbox()
    officer.taps("รับเรื่อง")
    officer.says("ตอบ #1 รับทราบครับ จะโทรกลับที่ 089 123 4567")
    logged = caplog.text
    assert "outbox" in logged  # the report was logged about (the failed push) ...
    forbidden = ["พลัดตกสระน้ำ", "ปฐมพยาบาล", "นางสาวสมมุติ", "นายตัวอย่าง", "ใจดี", "ลับเฉพาะ", "บ้านหนองตัวอย่าง",
                 "089 123 4567", "0891234567", "0812345678", "081-555-0199", SECRET, TOKEN]
    for word in forbidden:  # ... but never with what it says or who said it
        assert word not in logged, word
    assert not re.search(r"replyToken|reply_token=\w", logged)
