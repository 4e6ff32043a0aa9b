"""The LINE simulator's JSON API and the demo data, through Flask's test client and the real fake LINE."""
from __future__ import annotations

import io
import logging
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app import create_app
from bot import demo
from bot.line import rich_menu
from bot.fake_line.simulator import Simulator
from config.settings import Settings
from handlers import simulator_mode, simulator_page
from models import Case, CaseCounter, Officer, Reporter
from tests.conftest import make_settings
from tests.helpers import add_officer, file_report, jpeg

PUBLIC = simulator_mode.SIMULATED_PUBLIC_BASE


@pytest.fixture
def settings(database_url, line, tmp_path) -> Settings:
    return make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"), public_base_url=PUBLIC)


@pytest.fixture
def sim(app, services, line) -> Simulator:
    with services.db.session() as session:
        demo.seed(session, services.settings.districts, services.now())
        session.commit()
    simulator = Simulator(line, simulator_mode.personas(services.settings.districts), PUBLIC)
    simulator_page.install(app, simulator)
    return simulator


def state(client, persona: str, after: int = 0) -> dict:
    response = client.get(f"/simulator/api/state?persona={persona}&after={after}")
    assert response.status_code == 200
    return response.get_json()


def bot_texts(entries: list[dict]) -> list[str]:
    return [e["message"].get("text") or e["message"].get("altText", "") for e in entries if e["side"] == "bot"]


def tap(client, persona: str, label: str, picked: str | None = None):
    """Tap the button named `label` on the newest message that has it, as the page does."""
    for entry in reversed(state(client, persona)["entries"]):
        items = (entry["message"].get("quickReply") or {}).get("items", [])
        actions = [i["action"] for i in items] + _flex_buttons(entry["message"].get("contents"))
        for action in actions:
            if action.get("label") == label:
                body = {"seq": entry["seq"], "index": action["_tap"], "picked": picked}
                return client.post(f"/simulator/api/chats/{persona}/tap", json=body)
    raise AssertionError(f"no button {label!r}")


def _flex_buttons(node) -> list[dict]:
    if isinstance(node, list):
        return [a for child in node for a in _flex_buttons(child)]
    if not isinstance(node, dict):
        return []
    own = [node["action"]] if node.get("type") == "button" else []
    return own + [a for key, child in node.items() if key != "action" for a in _flex_buttons(child)]


def say(client, persona: str, text: str):
    return client.post(f"/simulator/api/chats/{persona}/text", json={"text": text})


def test_the_page_and_its_files_are_served(client, sim):
    page = client.get("/simulator")
    assert page.status_code == 200 and "เครื่องจำลอง LINE" in page.get_data(as_text=True)
    assert client.get("/simulator/assets/simulator.js").status_code == 200
    font = client.get("/simulator/fonts/Sarabun-Regular.ttf")
    assert font.status_code == 200 and len(font.data) > 10_000
    assert client.get("/simulator/fonts/Comic.ttf").status_code == 404


def test_personas_are_the_demo_people_and_the_staff_group(client, sim):
    personas = state(client, "principal-1")["personas"]
    assert [p["role"] for p in personas] == ["principal"] * 3 + ["officer", "officer", "supervisor", "group"]
    assert personas[0]["name"] == "นางสาวสมใจ ทดสอบ" and "เมืองตัวอย่าง" in personas[0]["title"]
    assert client.get("/simulator/api/state?persona=nobody").status_code == 404
    assert say(client, "nobody", "สวัสดี").status_code == 404


def test_a_text_shows_as_sent_and_the_reply_has_numbered_quick_replies(client, sim):
    assert say(client, "principal-3", "แจ้งเหตุ").get_json() == {"status": 200}
    entries = state(client, "principal-3")["entries"]
    assert entries[0]["side"] == "user" and entries[0]["message"]["text"] == "แจ้งเหตุ"
    question = entries[-1]["message"]
    assert "ข้อ 1" in question["text"]
    assert [i["action"]["_tap"] for i in question["quickReply"]["items"]] == list(range(10))  # the urgent button, 8 kinds, ยกเลิก
    assert say(client, "principal-3", "   ").status_code == 400
    assert say(client, "principal-3", "ก" * 5001).get_json()["error"].startswith("ข้อความยาวเกิน")


def test_tapping_sends_the_button_and_the_date_picker_needs_a_date(client, sim):
    say(client, "principal-3", "แจ้งเหตุ")
    tap(client, "principal-3", "เกิดอุบัติเหตุ")
    tap(client, "principal-3", "ใช้เรื่องที่แนะนำ")
    assert tap(client, "principal-3", "เลือกวันและเวลา").status_code == 400
    assert tap(client, "principal-3", "เลือกวันและเวลา", picked="2026-11-22T14:30").get_json() == {"status": 200}
    entries = state(client, "principal-3")["entries"]
    assert "ข้อ 4" in bot_texts(entries)[-1]
    assert "เกิดอุบัติเหตุ" in [e["message"].get("text") for e in entries if e["side"] == "user"]
    stale = client.post("/simulator/api/chats/principal-3/tap", json={"seq": 999, "index": 0})
    assert stale.status_code == 400 and stale.get_json()["error"] == "ไม่พบปุ่มนี้"


def test_pushes_count_as_unread_until_the_chat_is_opened(client, sim, line):
    file_report(sim.person("principal-3"))
    counts = {p["key"]: p["unread"] for p in state(client, "principal-3")["personas"]}
    assert counts["officer-1"] == counts["officer-2"] == counts["supervisor-1"] == 1
    assert counts["group"] == 1 and counts["principal-1"] == 0
    alert = state(client, "officer-1")["entries"][-1]["message"]
    assert alert["type"] == "flex" and "0001/2569" in alert["altText"]
    counts = {p["key"]: p["unread"] for p in state(client, "group")["personas"]}
    assert counts["officer-1"] == 0 and counts["group"] == 0 and counts["officer-2"] == 1


def test_an_officer_takes_by_the_alert_button_and_the_principal_hears(client, sim):
    file_report(sim.person("principal-3"))
    last = state(client, "principal-3")["last"]
    assert tap(client, "officer-1", "รับเรื่อง").status_code == 200
    officer = state(client, "officer-1")["entries"]
    assert officer[-2]["side"] == "user" and officer[-2]["message"]["text"] == "รับเรื่อง 0001/2569"  # displayText
    assert "ท่านรับเรื่อง 0001/2569 แล้ว" in bot_texts(officer)[-1]
    assert "นายตัวอย่าง ใจดี" in bot_texts(state(client, "principal-3", after=last)["entries"])[-1]
    assert tap(client, "officer-1", "โทรหาผู้รายงาน").get_json() == {"uri": "tel:0812345678"}


def test_photos_are_sent_as_an_image_set_and_shown_from_this_app(client, sim, line):
    sim.person("principal-3").says("แจ้งเหตุ")
    data = {"photos": [(io.BytesIO(jpeg(1)), "a.jpg", "image/jpeg"), (io.BytesIO(jpeg(2)), "b.jpg", "image/jpeg")]}
    ids = client.post("/simulator/api/chats/principal-3/photos", data=data).get_json()["ids"]
    sent = [e["message"] for e in line.sent_events[-2:]]
    assert [m["id"] for m in sent] == ids and [m["imageSet"]["index"] for m in sent] == [1, 2]
    assert client.get(f"/simulator/api/content/{ids[0]}").data == jpeg(1)
    assert client.post("/simulator/api/chats/principal-3/photos", data={}).status_code == 400


def test_the_bots_https_image_links_point_back_at_this_app(client, sim):
    file_report(sim.person("principal-3"), photos=1)
    image = state(client, "officer-1")["entries"][-1]["message"]
    assert image["type"] == "image" and image["previewImageUrl"].startswith("http://localhost/media/photos/")
    shown = client.get(image["previewImageUrl"])
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"


def test_links_to_the_bots_public_address_in_texts_open_this_app(client, sim, services):
    link = f"{PUBLIC}/documents/1/memo.pdf?exp=1&sig=x"
    services.gateway.push(demo.demo_user_id(201), [{"type": "text", "text": f"บันทึกข้อความ: {link}"}], str(uuid.uuid4()))
    shown = state(client, "officer-1")["entries"][-1]["message"]["text"]
    assert shown == "บันทึกข้อความ: http://localhost/documents/1/memo.pdf?exp=1&sig=x"


def test_sticker_and_location(client, sim, line):
    assert client.post("/simulator/api/chats/principal-1/sticker", json={"stickerId": "1989"}).status_code == 200
    assert line.sent_events[-1]["message"]["stickerId"] == "1989"
    body = {"title": "โรงเรียนบ้านทดสอบวิทยา", "latitude": "15.1", "longitude": "104.2", "address": "อ.เมืองตัวอย่าง"}
    assert client.post("/simulator/api/chats/principal-1/location", json=body).status_code == 200
    assert line.sent_events[-1]["message"]["latitude"] == 15.1
    body["latitude"] = "north"
    assert client.post("/simulator/api/chats/principal-1/location", json=body).status_code == 400


def test_the_group_persona_types_in_the_group(client, sim, line):
    say(client, "group", "สวัสดีครับ")
    assert line.sent_events[-1]["source"] == {"type": "group", "groupId": demo.GROUP_ID,
                                              "userId": demo.demo_user_id(201)}


def test_what_line_refuses_is_shown_in_the_chat_and_listed(client, sim, services):
    user = demo.demo_user_id(101)
    result = services.gateway.push(user, [{"type": "text", "text": "ก" * 5001}], str(uuid.uuid4()))
    assert not result.ok
    body = state(client, "principal-1")
    problem = body["entries"][-1]
    assert problem["side"] == "problem" and "over 5000" in problem["message"]["problems"][0]
    assert body["rejections"][0]["status"] == 400
    assert body["personas"][0]["unread"] == 0 and "LINE ปฏิเสธ" in body["personas"][0]["last"]


def test_reset_removes_demo_cases_and_starts_the_chats_afresh(client, sim, services):
    file_report(sim.person("principal-3"))
    assert client.post("/simulator/api/reset").get_json() == {"removed_cases": 1}
    body = state(client, "officer-1")
    assert body["entries"] == [] and body["cleared"] > 0
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Officer)) == 3


# -- the rich menu under the chat ---------------------------------------------------------------------


def build(tmp_path) -> tuple:
    """`simulator_mode.build` as `python app.py --simulator` runs it, on a fresh SQLite file: (app, simulator)."""
    settings = simulator_mode.simulator_settings(Settings(scheduler_enabled=False))
    settings = replace(settings, database_url=f"sqlite:///{tmp_path / 'simulator.sqlite3'}",
                       media_dir=str(tmp_path / "media"))
    return simulator_mode.build(create_app, settings)


@pytest.fixture
def built(tmp_path):
    app, simulator = build(tmp_path)
    yield app, simulator
    simulator.platform.stop()
    app.extensions["ccpc"].db.dispose()


def test_simulator_mode_installs_the_bots_rich_menu_and_the_page_shows_it(built):
    app, simulator = built
    client = app.test_client()
    installed = simulator.platform.default_rich_menu
    assert installed is not None and installed.definition == rich_menu.definition()
    menu = state(client, "principal-1")["richMenu"]
    assert menu["richMenuId"] == installed.rich_menu_id and menu["chatBarText"] == "เมนูแจ้งเหตุ"
    assert menu["selected"] is True and menu["size"] == {"width": 2500, "height": 843}
    assert [(a["bounds"]["x"], a["action"]["text"], a["action"]["_tap"]) for a in menu["areas"]] == [
        (0, "เหตุด่วน", 0), (625, "แจ้งเหตุ", 1), (1250, "สถานะ", 2), (1875, "เมนู", 3)]
    image = client.get(menu["image"])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == installed.image
    assert image.data.startswith(b"\x89PNG")
    officers_menu = state(client, "officer-1")["richMenu"]  # each persona sees its own menu
    assert officers_menu["richMenuId"] != installed.rich_menu_id and officers_menu["chatBarText"] == "เมนูงานศูนย์"
    assert [a["action"]["text"] for a in officers_menu["areas"]] == ["เรื่องค้าง", "กองทุน", "เข้าระบบเว็บ",
                                                                     "เมนูเจ้าหน้าที่"]
    assert state(client, "group")["richMenu"] is None  # LINE shows rich menus in one-to-one chats only
    assert client.get("/simulator/api/rich-menus/richmenu-nothing/image").status_code == 404


def test_the_simulator_starts_without_a_menu_when_installing_it_fails(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(rich_menu, "MAX_IMAGE_BYTES", 1000)  # the picture is then too big for "LINE"
    with caplog.at_level(logging.WARNING, logger="ccpc.simulator"):
        app, simulator = build(tmp_path)
    try:
        assert simulator.platform.default_rich_menu is None
        assert "installing the rich menu failed (the picture is" in caplog.text
        assert state(app.test_client(), "principal-1")["richMenu"] is None
    finally:
        simulator.platform.stop()
        app.extensions["ccpc"].db.dispose()


def test_tapping_the_rich_menu_sends_its_word_like_typing_it(client, sim, services):
    assert rich_menu.install(services.gateway).ok
    menu = state(client, "principal-3")["richMenu"]
    tapped = client.post("/simulator/api/chats/principal-3/tap", json={"menu": menu["richMenuId"], "index": 1})
    assert tapped.get_json() == {"status": 200}
    entries = state(client, "principal-3")["entries"]
    assert entries[0]["side"] == "user" and entries[0]["message"] == {"type": "text", "text": "แจ้งเหตุ"}
    assert bot_texts(entries)[-1].startswith("ข้อ 1 เหตุที่เกิดขึ้นเป็นเรื่องประเภทใด")
    for persona, body in (("principal-3", {"menu": "richmenu-old", "index": 0}),
                          ("principal-3", {"menu": menu["richMenuId"], "index": 4}),
                          ("group", {"menu": menu["richMenuId"], "index": 0})):
        refused = client.post(f"/simulator/api/chats/{persona}/tap", json=body)
        assert refused.status_code == 400 and refused.get_json()["error"] == "ไม่พบปุ่มนี้"


def test_rich_menu_postbacks_show_their_display_text_and_links_come_back(client, sim, services, line):
    half = {"y": 0, "width": 1250, "height": 843}
    areas = [{"bounds": {"x": 0, **half}, "action": {"type": "postback", "label": "สถานะ", "data": "menu=status",
                                                     "displayText": "ขอดูสถานะ"}},
             {"bounds": {"x": 1250, **half}, "action": {"type": "uri", "label": "คู่มือ", "uri": f"{PUBLIC}/guide"}}]
    result, menu_id = services.gateway.create_rich_menu({**rich_menu.definition(), "areas": areas})
    assert result.ok and services.gateway.upload_rich_menu_image(menu_id, rich_menu.render(), "image/png").ok
    assert services.gateway.set_default_rich_menu(menu_id).ok
    assert state(client, "principal-1")["richMenu"]["areas"][1]["action"]["uri"] == "http://localhost/guide"
    client.post("/simulator/api/chats/principal-1/tap", json={"menu": menu_id, "index": 0})
    assert line.sent_events[-1]["postback"]["data"] == "menu=status"
    assert state(client, "principal-1")["entries"][0]["message"]["text"] == "ขอดูสถานะ"
    link = client.post("/simulator/api/chats/principal-1/tap", json={"menu": menu_id, "index": 1})
    assert link.get_json() == {"uri": f"{PUBLIC}/guide"}


# -- demo data --------------------------------------------------------------------------------------


def test_seed_is_idempotent_and_uses_the_configured_districts(services):
    with services.db.session() as session:
        assert demo.seed(session, ("เมืองหนึ่ง", "สอง"), services.now()) == 6  # 3 officers, 2 principals, 1 group
        assert demo.seed(session, ("เมืองหนึ่ง", "สอง"), services.now()) == 0
        districts = [r.district for r in session.scalars(select(Reporter).order_by(Reporter.id))]
        assert districts == ["เมืองหนึ่ง", "สอง"]
    people = demo.people(("เมืองหนึ่ง", "สอง"))
    assert people[2].district == "เมืองหนึ่ง" and all(demo.is_demo_id(p.user_id) for p in people)
    assert demo.people()[0].district == "เมืองตัวอย่าง"


def test_reset_keeps_real_people_and_cases_and_rewinds_only_demo_numbers(app, services, line):
    real_officer = add_officer(services, line)
    real_principal = line.user()
    file_report(real_principal)
    with services.db.session() as session:
        demo.seed(session, services.settings.districts, services.now())
        session.commit()
    file_report(line.user(demo.demo_user_id(103)))
    with services.db.session() as session:
        assert demo.reset(session) == 1
        session.commit()
    with services.db.session() as session:
        assert [c.reference for c in session.scalars(select(Case))] == ["0001/2569"]
        assert [o.line_user_id for o in session.scalars(select(Officer))] == [real_officer.user_id]
        assert [r.line_user_id for r in session.scalars(select(Reporter))] == [real_principal.user_id]
        assert session.get(CaseCounter, 2569).last_number == 1


def test_demo_cli_refuses_a_real_channel_unless_forced_and_resets(app):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code != 0 and "real" in refused.output
    seeded = runner.invoke(args=["demo", "seed", "--force"])
    assert seeded.exit_code == 0 and "นางสาวสมใจ ทดสอบ" in seeded.output and demo.GROUP_ID in seeded.output
    reset = runner.invoke(args=["demo", "reset"])
    assert reset.exit_code == 0 and "real officers" in reset.output


def test_simulator_settings_never_keep_a_real_channel_or_its_database():
    real = Settings(line_channel_secret="real-secret", line_channel_access_token="real-token",
                    line_api_base_url="https://api.line.me", database_url="postgresql://db/prod",
                    public_base_url="https://ccpc.example.go.th", secret_key="prod-key")
    sim = simulator_mode.simulator_settings(real)
    assert sim.line_channel_secret not in ("", "real-secret") and sim.line_channel_access_token != "real-token"
    assert sim.line_api_base_url == "" and sim.database_url.endswith("simulator.sqlite3")
    assert sim.public_base_url == PUBLIC and sim.secret_key != "prod-key"
    assert sim.districts == demo.FALLBACK_DISTRICTS and sim.centre_hotlines == (demo.HOTLINE,)
