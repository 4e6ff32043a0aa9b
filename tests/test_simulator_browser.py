"""The simulator page in headless Chromium: a principal reports, an officer takes the case and answers;
the rich menu under one-to-one chats.

Runs the app and the fake LINE as `python app.py --simulator` does (real HTTP, signed webhooks),
on free loopback ports. Screenshots of both chats go to out/screenshots/ (ignored by git).
"""
from __future__ import annotations

import re
import threading
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import create_app
from bot import demo
from bot.fake_line import http_deliverer
from bot.core.thai_dates import BANGKOK
from config.settings import PROJECT_ROOT, Settings
from handlers import simulator_mode, worker

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "out" / "screenshots"
WAIT_MS = 15_000

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: "
                               "pip install -r requirements-dev.txt")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium: "
                                "apt-get install chromium (Playwright's own browser download is not used)")
expect = sync_api.expect


@pytest.fixture
def served(tmp_path):
    """The app with the simulator on a real werkzeug server thread; yields (page URL, simulator, services)."""
    from werkzeug.serving import make_server

    settings = simulator_mode.simulator_settings(Settings(scheduler_enabled=False))
    settings = replace(settings, database_url=f"sqlite:///{tmp_path / 'simulator.sqlite3'}",
                       media_dir=str(tmp_path / "media"))
    app, simulator = simulator_mode.build(create_app, settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    simulator.platform.deliver = http_deliverer(f"http://127.0.0.1:{server.server_port}/callback")
    events = worker.start(app.extensions["ccpc"], jobs=False)
    yield f"http://127.0.0.1:{server.server_port}/simulator", simulator, app.extensions["ccpc"]
    events.stop()
    server.shutdown()
    thread.join(timeout=5)
    simulator.platform.stop()
    app.extensions["ccpc"].db.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def open_chat(browser, url: str, persona: str, errors: list[str]):
    """A browser tab showing one persona's chat; script errors are collected in `errors`."""
    page = browser.new_page(viewport={"width": 1200, "height": 800}, locale="th-TH", timezone_id="Asia/Bangkok")
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}#{persona}")
    expect(page.locator(f'[data-persona="{persona}"].active')).to_be_visible()
    return page


def bot_says(page, text: str) -> None:
    expect(page.locator("#messages .row.bot").last).to_contain_text(text, timeout=WAIT_MS)


def types(page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def taps_quick_reply(page, label: str) -> None:
    page.locator("#quick-replies").get_by_role("button", name=label, exact=True).click()


def scene_photo(path: Path) -> None:
    """An invented photo (a school, a pond) drawn with Pillow, so screenshots show a real picture."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (150, 200, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 330, 800, 600], fill=(90, 160, 90))
    draw.ellipse([180, 360, 620, 560], fill=(60, 120, 200))
    draw.rectangle([80, 160, 300, 340], fill=(230, 220, 200))
    draw.polygon([(60, 170), (190, 90), (320, 170)], fill=(180, 60, 50))
    draw.rectangle([650, 200, 670, 340], fill=(110, 80, 50))
    draw.ellipse([600, 120, 720, 230], fill=(50, 130, 60))
    image.save(path, "JPEG", quality=85)


def files_a_report(principal, tmp_path: Path) -> None:
    """The whole report form in the principal's chat, with one photo, up to case 0001/2569."""
    types(principal, "แจ้งเหตุ")
    bot_says(principal, "ข้อ 1")
    taps_quick_reply(principal, "เกิดอุบัติเหตุ")
    bot_says(principal, "ข้อ 2")
    taps_quick_reply(principal, "ใช้เรื่องที่แนะนำ")
    bot_says(principal, "ข้อ 3")
    taps_quick_reply(principal, "เลือกวันและเวลา")
    yesterday = (datetime.now(BANGKOK) - timedelta(days=1)).replace(hour=14, minute=30)
    principal.fill("#picker-value", yesterday.strftime("%Y-%m-%dT%H:%M"))
    principal.click("#picker-ok")
    bot_says(principal, "ข้อ 4")
    types(principal, "นักเรียนชาย ป.5 จำนวน 1 คน พลัดตกสระน้ำหลังโรงเรียน ครูช่วยขึ้นมาได้")
    bot_says(principal, "ข้อ 5")
    types(principal, "ปฐมพยาบาลและนำส่งโรงพยาบาลชุมชน แจ้งผู้ปกครองแล้ว")
    bot_says(principal, "ข้อ 6")
    taps_quick_reply(principal, "ผู้รายงานเอง")
    bot_says(principal, "ข้อ 7")
    types(principal, "นางปราณี ตัวอย่าง")
    bot_says(principal, "ตำแหน่ง")
    taps_quick_reply(principal, "ผู้อำนวยการโรงเรียน")
    bot_says(principal, "ชื่อโรงเรียน")
    types(principal, "โรงเรียนบ้านจำลองพัฒนา")
    bot_says(principal, "อำเภอ")
    taps_quick_reply(principal, "โคกจำลอง")
    bot_says(principal, "เบอร์โทรศัพท์")
    types(principal, "080-000-0103")
    bot_says(principal, "ข้อ 8")
    photo = tmp_path / "สระน้ำ.jpg"
    scene_photo(photo)
    principal.set_input_files("#photo-input", str(photo))
    bot_says(principal, "ได้รับภาพแล้ว รวม 1 ภาพ")
    expect(principal.locator("#messages .row.user img.photo")).to_have_count(1)
    taps_quick_reply(principal, "เสร็จ")
    bot_says(principal, "ตรวจสอบรายงานก่อนส่ง")
    taps_quick_reply(principal, "ยืนยัน")
    expect(principal.locator("#messages")).to_contain_text("0001/2569", timeout=WAIT_MS)


def test_a_principal_reports_and_an_officer_takes_the_case_and_answers(served, browser, tmp_path):
    url, _, _ = served
    errors: list[str] = []
    principal = open_chat(browser, url, "principal-3", errors)
    officer = open_chat(browser, url, "officer-1", errors)
    loaded = "document.fonts.load('16px Sarabun', 'ภาษาไทย').then(faces => faces.map(f => f.status))"
    assert principal.evaluate(loaded) == ["loaded"]  # Thai in Sarabun, served by the app, on any machine

    files_a_report(principal, tmp_path)

    alert = officer.locator(".flex-bubble").filter(has_text="แจ้งเหตุใหม่ เลขที่ 0001/2569")
    expect(alert).to_be_visible()
    expect(officer.locator("#messages img.photo")).to_have_count(1)
    assert officer.locator("#messages img.photo").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(principal.locator('[data-persona="officer-2"] .unread')).to_have_text(re.compile(r"^[1-9]\d*$"))
    alert.get_by_role("button", name="รับเรื่อง").click()
    bot_says(officer, "ท่านรับเรื่อง 0001/2569 แล้ว")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    officer.click("#rich-menu-bar")  # the menu closed, so the whole alert fits the screenshot
    expect(officer.locator("#rich-menu-image")).to_be_hidden()
    alert.evaluate("bubble => bubble.scrollIntoView({block: 'start'})")
    officer.screenshot(path=str(SCREENSHOTS / "officer-alert.png"))  # docs/simulator.png is this one
    alert.get_by_role("button", name="ตอบกลับ").click()
    bot_says(officer, "ข้อความถัดไปของท่านจะถูกส่งถึงผู้รายงาน")
    types(officer, "ศูนย์รับเรื่องแล้วค่ะ เจ้าหน้าที่จะโทรหาท่านภายใน 10 นาที")
    bot_says(officer, "ส่งข้อความถึงผู้รายงานเรื่อง 0001/2569 แล้ว")

    bot_says(principal, "เจ้าหน้าที่จะโทรหาท่านภายใน 10 นาที")
    expect(principal.locator("#messages")).to_contain_text("080-000-0201")  # the officer who took it
    principal.screenshot(path=str(SCREENSHOTS / "principal.png"))
    officer.screenshot(path=str(SCREENSHOTS / "officer.png"))
    assert errors == []


def test_what_line_refuses_shows_in_the_page(served, browser):
    url, _, services = served
    page = open_chat(browser, url, "principal-1", [])
    services.gateway.push(demo.demo_user_id(101), [{"type": "text", "text": "ก" * 5001}], str(uuid.uuid4()))
    expect(page.locator("#messages .refused")).to_contain_text("text is 5001 UTF-16 units, over 5000")
    expect(page.locator("#refusals")).to_contain_text("LINE ปฏิเสธคำขอ 1 ครั้ง")


def test_the_rich_menu_is_under_a_principals_chat_and_its_second_quarter_starts_a_report(served, browser):
    url, _, _ = served
    errors: list[str] = []
    page = open_chat(browser, url, "principal-1", errors)
    picture, bar = page.locator("#rich-menu-image"), page.locator("#rich-menu-bar")
    expect(picture).to_be_visible()
    page.wait_for_function("document.getElementById('rich-menu-image').naturalWidth === 2500")
    shown = picture.bounding_box()
    assert abs(shown["width"] - page.locator("#messages").bounding_box()["width"]) < 1  # the chat's width
    assert abs(shown["height"] - shown["width"] * 843 / 2500) < 1
    expect(bar).to_have_text("เมนูแจ้งเหตุ ▾")

    bar.click()
    expect(picture).to_be_hidden()
    expect(bar).to_have_text("เมนูแจ้งเหตุ ▴")
    bar.click()
    expect(picture).to_be_visible()

    picture.click(position={"x": shown["width"] * 3 / 8, "y": shown["height"] / 2})  # แจ้งเหตุ (เหตุด่วน is first)
    expect(page.locator("#messages .row.user .bubble").last).to_have_text("แจ้งเหตุ")  # sent as if typed
    bot_says(page, "ข้อ 1 เหตุที่เกิดขึ้นเป็นเรื่องประเภทใด")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "principal-rich-menu.png"))
    assert errors == []


def test_the_group_chat_has_no_rich_menu(served, browser):
    url, _, _ = served
    errors: list[str] = []
    page = open_chat(browser, url, "group", errors)
    types(page, "สวัสดีครับ")
    expect(page.locator("#messages .row.user")).to_have_count(1)  # drawn by a poll that also drew the menu
    expect(page.locator("#rich-menu")).to_be_hidden()
    page.locator('[data-persona="officer-1"]').click()
    expect(page.locator("#rich-menu-image")).to_be_visible()  # one-to-one chats have it
    assert errors == []
