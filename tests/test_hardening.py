"""What enters from LINE (and the files and logs the service leaves) cannot hurt it: issue 11's edge hardening."""
from __future__ import annotations

import json
import logging
import os
import secrets
import stat
import threading
import urllib.request
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from bot.fake_line import postback_event, signature, text_event, webhook_body
from config.settings import Settings, from_env
from models import Case, Draft, WebhookEvent
from tests.conftest import SECRET, connect, make_settings
from tests.helpers import add_officer, cases, file_report, fill_report, jpeg
from tests.test_documents import plain

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def draft_step(services, user_id: str) -> str | None:
    with services.db.session() as session:
        draft = session.scalars(select(Draft).where(Draft.line_user_id == user_id)).first()
        return draft.step if draft else None


def file_typed(principal, facts: str, subject: str | None = None, name: str = "นายตัวอย่าง ใจดี",
               school: str = "โรงเรียนบ้านหนองตัวอย่าง") -> None:
    """File a report typing the given texts (the source is the reporter, no photos)."""
    principal.says("แจ้งเหตุ")
    principal.taps("เกิดอุบัติเหตุ")
    principal.says(subject) if subject else principal.taps("ใช้เรื่องที่แนะนำ")
    principal.says("วันนี้ 14:30")
    principal.says(facts)
    principal.says("ข้าม")
    principal.taps("ผู้รายงานเอง")
    principal.says(name)
    principal.taps("ผู้อำนวยการโรงเรียน")
    principal.says(school)
    principal.taps("เมืองตัวอย่าง")
    principal.says("0812345678")
    principal.taps("ข้าม")
    principal.taps("ยืนยัน")


# ---- 1. NUL and other control characters are removed before anything is stored ----------------

def test_a_report_with_a_nul_in_its_facts_files_on_every_database(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_typed(principal, "ก่อน\u0000หลัง\x07\x1b[31m\u0085", name="นายตัวอย่าง\u0000 ใจดี")
    assert any("เลขที่รับเรื่อง 0001/2569" in t for t in principal.texts()[-2:])
    (case,) = cases(services)
    assert case.facts == "ก่อนหลัง[31m" and case.reporter_name == "นายตัวอย่าง ใจดี"
    assert "0001/2569" in line.pushes_to(officer.user_id)[0].messages[0]["altText"]


def test_the_stored_webhook_body_is_cleaned_too(database_url, line, clock, tmp_path):
    application = create_app(make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m")), clock=clock)
    connect(line, application, handle_events=False)  # no worker: the events stay as stored
    services = application.extensions["ccpc"]
    principal = line.user()
    event = text_event(line, principal.user_id, f"ก่อน\u0000หลัง{BIDI}{INVISIBLE}\r\nจบ")
    event["message"]["emojis"] = [{"productId": "x\u0000", "emojiId": "\u202e1"}]
    assert line.send([event]) == 200
    with services.db.session() as session:
        (row,) = session.scalars(select(WebhookEvent))
        stored = json.loads(row.payload)
    assert stored["message"]["text"] == "ก่อนหลัง\nจบ"
    assert stored["message"]["emojis"] == [{"productId": "x", "emojiId": "1"}]
    assert "\\u0000" not in row.payload and "\u202e" not in row.payload
    services.db.dispose()


def test_lone_surrogates_and_controls_never_keep_a_text_from_being_stored(app, services, line):
    principal = line.user()
    body = ('{"destination":"U0","events":[' + json.dumps(text_event(line, principal.user_id, "PLACEHOLDER"))
            + "]}").replace("PLACEHOLDER", "\\ud800แจ้งเหตุ\\u0000").encode()
    assert line.deliver(body, signature(SECRET, body)) == 200
    assert "ข้อ 1" in principal.last_text()  # "แจ้งเหตุ" read as the command once cleaned


# ---- 7. answers made only of invisible characters are empty ------------------------------------

FREE_TEXT_STEPS = [  # (step, invisible answer, the real answer) in the order the form asks them
    ("category", None, "เกิดอุบัติเหตุ"),
    ("subject", INVISIBLE, "รายงานนักเรียนประสบอุบัติเหตุ"),
    ("occurred_at", INVISIBLE, "วันนี้ 14:30"),
    ("facts", "\u200f\u200e", "นักเรียนพลัดตกสระน้ำ"),
    ("initial_help", INVISIBLE, "ปฐมพยาบาลแล้ว"),
    ("source_name", INVISIBLE + " \u200e", "นางสาวสมมุติ ทดสอบ"),
    ("source_phone", INVISIBLE, "0891234567"),
    ("reporter_name", "\u3164\u2800", "นายตัวอย่าง ใจดี"),
    ("reporter_position", INVISIBLE, "ครู"),
    ("reporter_school", INVISIBLE, "โรงเรียนบ้านหนองตัวอย่าง"),
    ("reporter_district", "\u200b\u202e\u202c", "เมืองตัวอย่าง"),
    ("reporter_phone", INVISIBLE, "0812345678"),
]


def test_an_invisible_answer_is_refused_as_empty_at_every_typed_step(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    for step, invisible, real in FREE_TEXT_STEPS:
        assert draft_step(services, principal.user_id) == step
        if invisible is not None:
            principal.says(invisible)
            assert draft_step(services, principal.user_id) == step, step
            assert "ไม่มีตัวอักษรที่อ่านได้" in principal.last_text(), step
        principal.says(real)
    assert draft_step(services, principal.user_id) == "photos"


def test_an_invisible_answer_in_the_middle_of_a_word_is_removed_not_refused(app, services, line):
    principal = line.user()
    fill_report(principal)
    principal.taps("แก้ไข")
    principal.says("ข้อเท็จจริง")
    principal.says("นักเรียน\u200bพลัด\u2060ตก\ufeffสระ")
    principal.taps("ยืนยัน")
    assert cases(services)[0].facts == "นักเรียนพลัดตกสระ"


# ---- 8. bidi controls never reach the alerts or the memo ----------------------------------------

def test_bidi_controls_around_words_never_reach_alerts_or_the_memo(app, services, line, tmp_path):
    officer = add_officer(services, line)
    file_typed(line.user(), "นักเรียน\u2067ถูกทำร้าย\u2069 ชั้น ป.5 \u202dlatin\u202c", subject="เรื่อง\u202eอันตราย\u202c",
               name="นายตัวอย่าง\u200f ใจดี", school="โรงเรียน\u202bบ้านหนอง\u202c")
    alert = json.dumps(line.pushes_to(officer.user_id)[0].messages, ensure_ascii=False)
    assert "นักเรียนถูกทำร้าย ชั้น ป.5 latin" in alert and "เรื่องอันตราย" in alert
    assert not set(BIDI) & set(alert)
    out = tmp_path / "memo.pdf"
    assert app.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)]).exit_code == 0
    memo = plain(out.read_bytes())
    assert not set(BIDI + INVISIBLE.replace("\u200b", "")) & set(memo)
    case = cases(services)[0]
    assert (case.subject, case.reporter_school) == ("เรื่องอันตราย", "โรงเรียนบ้านหนอง")


# ---- 4. no log line carries a signature, token or code -----------------------------------------

@pytest.fixture
def public_app(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"),
                             public_base_url="https://ccpc.example.test")
    application = create_app(settings, clock=clock)
    connect(line, application)
    yield application
    application.extensions["ccpc"].db.dispose()


def test_memo_and_photo_links_are_logged_without_their_signature(public_app, line, clock, caplog):
    services = public_app.extensions["ccpc"]
    officer = add_officer(services, line)
    file_report(line.user(), photos=1)
    officer.says("เอกสาร 0001/2569")
    memo = next(w for w in officer.last_text().split() if w.startswith("https://"))
    photo = next(m["originalContentUrl"] for m in line.messages_to(officer.user_id) if m["type"] == "image")
    server = make_server("127.0.0.1", 0, public_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO):
            for url in (memo, photo):
                parts = urlsplit(url)
                local = f"http://127.0.0.1:{server.port}{parts.path}?{parts.query}&token=abc123&code=K7QM-2XPD"
                with urllib.request.urlopen(local) as response:
                    assert response.status == 200
    finally:
        server.shutdown()
        thread.join()
    request_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/documents/memo/1.pdf" in line_ for line_ in request_lines)
    assert any("/media/photos/1/full.jpg" in line_ for line_ in request_lines)
    for url in (memo, photo):
        query = dict(part.split("=", 1) for part in urlsplit(url).query.split("&"))
        assert query["sig"] not in caplog.text and query["exp"] not in caplog.text
    assert "abc123" not in caplog.text and "K7QM-2XPD" not in caplog.text
    assert "sig=[redacted]" in caplog.text


def test_the_log_of_a_whole_report_holds_no_facts_names_phones_or_tokens(public_app, line, clock, caplog):
    """Everything the service logs (every logger, DEBUG and up) while a case is reported, alerted with
    a photo, taken, answered, noted and closed, with LINE failing once on the way."""
    services = public_app.extensions["ccpc"]
    with caplog.at_level(logging.DEBUG):
        officer = add_officer(services, line, "นางสาวเจ้าหน้าที่ ลับเฉพาะ", "081-555-0199")
        principal = line.user(display_name="ผอ.ชื่อจริง นามสกุลจริง")
        line.fail_next("/v2/bot/message/push", 500)  # the first alert is retried: its error is logged
        file_report(principal, photos=1)
        clock.advance(minutes=1)
        services.send_outbox()
        officer.taps("รับเรื่อง")
        principal.says("ผู้ปกครองชื่อนางมะลิ ซ่อนกลิ่น โทร 0867771234 มาถึงแล้ว")
        officer.says("ตอบ 0001/2569 ติดต่อครูประจำชั้นที่ 0923334444 ได้เลยครับ")
        officer.says("บันทึก 0001/2569 เด็กชายสมปอง ลับมาก อาการดีขึ้น")
        officer.says("ปิดเรื่อง 0001/2569 ส่งต่อโรงพยาบาลแล้ว เด็กชายสมปอง ปลอดภัย")
        officer.says("รายละเอียด 0001/2569")
    assert len(cases(services)) == 1 and cases(services)[0].state == "closed"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    secrets_ = ["พลัดตกสระน้ำ", "ปฐมพยาบาล", "สมมุติ", "ตัวอย่าง ใจดี", "หนองตัวอย่าง", "ชื่อจริง", "มะลิ", "ลับเฉพาะ",
                "สมปอง", "โรงพยาบาลแล้ว", "089 123 4567", "0891234567", "0812345678", "081-555-0199", "0867771234",
                "0923334444", SECRET, services.settings.line_channel_access_token, services.settings.secret_key]
    secrets_ += [r["json"]["replyToken"] for r in line.requests if r["path"] == "/v2/bot/message/reply"]
    secrets_ += [e["replyToken"] for e in line.sent_events if e.get("replyToken")]
    assert len(secrets_) > 25 and caplog.records  # the report really was logged about
    leaked = [s for s in secrets_ if s in logged]
    assert not leaked, leaked


def test_gunicorn_access_log_lines_are_redacted_too(app):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    records = []
    capture = logging.Handler()
    capture.emit = records.append
    config = Config()
    config.set("accesslog", "-")  # gunicorn's --access-logfile -
    logger = Logger(config)
    logger.access_log.addHandler(capture)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/documents/memo/1.pdf", "QUERY_STRING": "exp=1&sig=SeCrEt",
               "RAW_URI": "/documents/memo/1.pdf?exp=1&sig=SeCrEt", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1"}

    class Response:
        status, headers, sent, response_length = "200 OK", [], 10, 10

    class Request:
        headers = []

    from datetime import timedelta

    logger.access(Response(), Request(), environ, timedelta(seconds=0.01))
    assert records and "/documents/memo/1.pdf" in records[0].getMessage()
    assert "SeCrEt" not in records[0].getMessage()


# ---- 5. files are owner-only ------------------------------------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_media_and_key_files_are_created_owner_only(line, clock, tmp_path, monkeypatch):
    from bot import services as services_module

    instance = tmp_path / "instance"
    monkeypatch.setattr(services_module, "INSTANCE_DIR", instance)
    data = tmp_path / "data"
    settings = make_settings(f"sqlite:///{data / 'ccpc.sqlite3'}", line.base_url,
                             media_dir=str(tmp_path / "media"), secret_key="")
    application = create_app(settings, clock=clock)
    connect(line, application)
    services = application.extensions["ccpc"]
    file_report(line.user(), photos=1)
    out = tmp_path / "memo.pdf"
    assert application.test_cli_runner().invoke(args=["cases", "memo", "1/2569", "-o", str(out)]).exit_code == 0
    assert mode(instance) == 0o700 and mode(instance / "secret_key") == 0o600
    assert mode(data) == 0o700
    for name in ("ccpc.sqlite3", "ccpc.sqlite3-wal", "ccpc.sqlite3-shm"):
        assert mode(data / name) == 0o600, name
    media = tmp_path / "media"
    photo_files = [p for p in media.rglob("*") if p.is_file()]
    assert len(photo_files) == 2  # the photo and its preview
    assert mode(media) == 0o700 and all(mode(p.parent) == 0o700 and mode(p) == 0o600 for p in photo_files)
    assert mode(out) == 0o600
    services.db.dispose()


def test_an_existing_world_readable_database_is_made_owner_only(line, clock, tmp_path, sqlite_template):
    import shutil

    path = tmp_path / "old.sqlite3"
    shutil.copy(sqlite_template, path)
    os.chmod(path, 0o644)
    application = create_app(make_settings(f"sqlite:///{path}", line.base_url, media_dir=str(tmp_path / "m")),
                             clock=clock)
    connect(line, application)
    line.user().says("แจ้งเหตุ")
    assert mode(path) == 0o600 and mode(f"{path}-wal") == 0o600
    application.extensions["ccpc"].db.dispose()


# ---- 9. a weak SECRET_KEY refuses to start ----------------------------------------------------

@pytest.mark.parametrize("weak", ["k9", "short-but-not-32-characters-long", "a" * 64, "abcd1234" * 8,
                                  "0123456789abcdef0123456789abcdef"])
def test_a_weak_secret_key_refuses_to_start_and_says_how_to_make_one(database_url, weak):
    with pytest.raises(SystemExit) as refused:
        create_app(Settings(database_url=database_url, secret_key=weak))
    message = str(refused.value)
    assert "SECRET_KEY" in message and 'secrets.token_urlsafe(48)' in message
    assert weak not in message
    with pytest.raises(SystemExit):
        from_env({"SECRET_KEY": weak, "DATABASE_URL": database_url})


def test_strong_and_generated_secret_keys_start(database_url, tmp_path, monkeypatch):
    from bot import services as services_module

    for key in (secrets.token_urlsafe(48), secrets.token_hex(32), secrets.token_urlsafe(40)):
        from_env({"SECRET_KEY": key})
        create_app(Settings(database_url=database_url, secret_key=key)).extensions["ccpc"].db.dispose()
    monkeypatch.setattr(services_module, "INSTANCE_DIR", tmp_path)
    generated = create_app(Settings(database_url=database_url)).extensions["ccpc"]
    assert len(generated.secret) >= 64
    generated.db.dispose()


# ---- 10. signed but malformed webhook bodies --------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
MALFORMED = [  # (body, status): not what LINE sends at all is a 400; LINE's shape with odd events, 200
    (b'{"events": null}', 400), (b'{"events": 5}', 400), (b'{"events": "x"}', 400), (b"[]", 400),
    (b"null", 400), (b'"events"', 400), (DEEP, 400), (b'{"events": ' + DEEP + b"}", 400),
    (b'{"events": [{"type": "message", "message": {"type": "text", "text": "\xff\xfe"}}]}', 400),
    (b'{"events": [1, "x", null, []]}', 200), (b'{"destination": "U1"}', 200),
]


@pytest.mark.parametrize("body,status", MALFORMED, ids=range(len(MALFORMED)))
def test_signed_malformed_bodies_get_a_clear_answer_and_one_log_line(client, services, caplog, body, status):
    with caplog.at_level(logging.INFO):
        response = client.post("/callback", data=body,
                               headers={"X-Line-Signature": signature(SECRET, body), "Content-Type": "application/json"})
    assert response.status_code == status
    ours = [r for r in caplog.records if r.name.startswith("handlers")]
    assert len(ours) <= 1 and not any(r.exc_info for r in caplog.records)
    if status == 400:
        assert len(ours) == 1
    with services.db.session() as session:
        assert session.scalars(select(WebhookEvent)).first() is None


def test_events_of_the_wrong_shape_are_ignored_and_never_block_the_next_person(app, services, line, caplog):
    principal = line.user()
    good = text_event(line, principal.user_id, "แจ้งเหตุ")
    odd = [dict(good, source=5, webhookEventId="01A"), dict(good, message="text", webhookEventId="01B"),
           dict(good, message={"type": "text", "text": 5, "id": "1"}, webhookEventId="01C"),
           dict(good, replyToken=["x"], webhookEventId="01D"), dict(good, type=None, webhookEventId="01E"),
           dict(good, source={"type": "user", "userId": 7}, webhookEventId="01F"),
           dict(good, type="postback", postback={"data": "v1:form:occurred_at", "params": "2026-11-22T14:30"},
                webhookEventId="01G")]
    with caplog.at_level(logging.INFO):
        assert line.send(odd + [good]) == 200
    assert "ข้อ 1" in principal.last_text()  # the real event behind them was answered
    assert len([r for r in caplog.records if "malformed" in r.getMessage()]) == 1
    with services.db.session() as session:
        assert len(list(session.scalars(select(WebhookEvent)))) == 1


# ---- 11. the simulator's files are served in simulator mode only ---------------------------------

def test_simulator_assets_are_not_served_with_a_real_channel(client):
    for path in ("/static/simulator/simulator.js", "/static/simulator/flex.js", "/static/simulator/simulator.css",
                 "/simulator", "/simulator/assets/simulator.js", "/simulator/fonts/Sarabun-Regular.ttf"):
        assert client.get(path).status_code == 404, path


# ---- 12. a date-picker postback without a date asks the date again -------------------------------

@pytest.mark.parametrize("params", [None, {}, {"datetime": "garbage"}, {"date": "2026-11-22"},
                                    {"datetime": "2030-01-01T10:00"}, {"datetime": ""}])
def test_a_date_picker_postback_without_a_usable_date_asks_the_date_again(app, services, line, params):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("เกิดอุบัติเหตุ")
    principal.taps("ใช้เรื่องที่แนะนำ")
    event = postback_event(line, principal.user_id, "v1:form:occurred_at", params)
    if params is None:
        event["postback"].pop("params", None)
    assert line.send([event]) == 200
    reply = principal.last_text()
    assert "เฉพาะเจ้าหน้าที่" not in reply and "เหตุเกิดขึ้นเมื่อใด" in reply
    assert draft_step(services, principal.user_id) == "occurred_at"
    principal.taps("เลือกวันและเวลา", picks="2026-11-22T14:30")
    assert draft_step(services, principal.user_id) == "facts"


def test_a_stale_date_picker_tapped_at_another_step_asks_that_step_again(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.taps("เกิดอุบัติเหตุ")
    principal.taps("ใช้เรื่องที่แนะนำ")
    principal.taps("เลือกวันและเวลา", picks="2026-11-22T14:30")
    line.send([postback_event(line, principal.user_id, "v1:form:occurred_at")])
    assert "เฉพาะเจ้าหน้าที่" not in principal.last_text() and "ข้อ 4" in principal.last_text()
    assert draft_step(services, principal.user_id) == "facts"


ODD_PAYLOADS = ["", "v1", "v1:take", "v1:take:abc", "v1:take:99999999999999999999", "v1:take:²",
                "v1:handover:1:99999999999999999999", "v1:detail:1:²", "v1:pick:99999999999999999999",
                "v1:pfund:99999999999999999999", "v1:fund:1:99999999999999999999", "v1:form:"]


def test_buttons_with_odd_or_huge_ids_are_refused_politely(app, services, line):
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    for person in (officer, principal):
        for data in ODD_PAYLOADS:
            assert line.send([postback_event(line, person.user_id, data)]) == 200
            assert "ระบบขัดข้อง" not in person.last_text(), data
    officer.says("รายละเอียด 0001/2569 ²")
    assert "0001/2569" in officer.last_text()


# ---- the staff group's notice shows what the office chose ----------------------------------------

GROUP = "C" + "2" * 32


def group_notice(line, clock, tmp_path, database_url, **overrides) -> str:
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "m"), **overrides)
    application = create_app(settings, clock=clock)
    connect(line, application)
    services = application.extensions["ccpc"]
    runner = application.test_cli_runner()
    assert runner.invoke(args=["groups", "add", GROUP, "--name", "ทดสอบ"]).exit_code == 0
    file_report(line.user())
    services.db.dispose()
    return line.messages_to(GROUP)[-1]["text"]


def test_the_group_notice_shows_the_district_by_default_and_only_what_is_configured(line, clock, tmp_path,
                                                                                  database_url):
    default = group_notice(line, clock, tmp_path, database_url)
    assert "0001/2569" in default and "เกิดอุบัติเหตุ" in default and "เมืองตัวอย่าง" in default
    line.clear()
    fields = from_env({"GROUP_NOTICE_FIELDS": "category"}).group_notice_fields
    narrow = group_notice(line, clock, tmp_path, database_url, group_notice_fields=fields)
    assert "0002/2569" in narrow and "เกิดอุบัติเหตุ" in narrow and "เมืองตัวอย่าง" not in narrow
    line.clear()
    bare = group_notice(line, clock, tmp_path, database_url, group_notice_fields=())
    assert "0003/2569" in bare and "เกิดอุบัติเหตุ" not in bare and "อำเภอ" not in bare
    assert from_env({"GROUP_NOTICE_FIELDS": "none"}).group_notice_fields == ()
    with pytest.raises(SystemExit, match="GROUP_NOTICE_FIELDS"):
        from_env({"GROUP_NOTICE_FIELDS": "district,facts"})
