"""The web console in headless Chromium, beside the simulator's chats (real HTTP, signed webhooks).

An officer signs in with a code sent from their persona's chat; a principal files a report; the case
appears on the open list without a reload; the officer works it from the console and the principal's
chat shows what they were told (and not the internal note); a supervisor sees the summary's charts
and the audit rows. Screenshots go to out/screenshots/ (docs/console-*.png are copies of them).
"""
from __future__ import annotations

import re

from tests.test_simulator_browser import (SCREENSHOTS, WAIT_MS, bot_says, browser, expect, files_a_report,  # noqa: F401
                                          open_chat, served, types)

LAPTOP = {"width": 1366, "height": 768}  # the office laptop the issue names


def console_tab(browser, base: str, chat, errors: list[str]):
    """A fresh browser (own cookies) signed in to the console by sending its code from `chat`."""
    context = browser.new_context(viewport=LAPTOP, locale="th-TH", timezone_id="Asia/Bangkok")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/console/cases")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))
    code = page.locator("#code").inner_text()
    types(chat, f"เข้าระบบ {code}")
    bot_says(chat, "เข้าระบบหน้าเว็บเจ้าหน้าที่ในนามของท่านแล้ว")
    expect(page).to_have_url(re.compile(r"/console/cases"))  # the sign-in page noticed by itself
    return page


def test_an_officer_works_a_new_case_from_the_console_and_a_supervisor_sees_it(served, browser, tmp_path):
    url, _, _ = served
    base = url.rsplit("/simulator", 1)[0]
    errors: list[str] = []
    principal = open_chat(browser, url, "principal-3", errors)
    officer_chat = open_chat(browser, url, "officer-1", errors)
    console = console_tab(browser, base, officer_chat, errors)
    expect(console.locator("header")).to_contain_text("นายตัวอย่าง ใจดี")

    files_a_report(principal, tmp_path)  # while the list is open
    row = console.locator("table.cases tbody tr").filter(has_text="0001/2569")
    expect(row).to_be_visible(timeout=3 * WAIT_MS)  # no reload: the list asks for new cases every 15 s
    expect(console).to_have_title(re.compile(r"^\(1 ใหม่\)"))  # the title counts what is new
    expect(row).to_contain_text("โรงเรียนบ้านจำลองพัฒนา")
    expect(console.locator("#no-cases")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(SCREENSHOTS / "console-list.png"))

    row.get_by_role("link", name="0001/2569", exact=True).click()
    expect(console.locator("main")).to_contain_text("พลัดตกสระน้ำหลังโรงเรียน")
    expect(console.locator("main")).to_contain_text("นางปราณี ตัวอย่าง")
    photo = console.locator(".photos img").first
    expect(photo).to_be_visible()
    console.wait_for_function("() => [...document.querySelectorAll('.photos img')].every(i => i.complete && i.naturalWidth > 0)")

    console.get_by_role("button", name="รับเรื่อง", exact=True).click()
    expect(console.locator("main")).to_contain_text("ผู้รับผิดชอบ: นายตัวอย่าง ใจดี")
    bot_says(principal, "เจ้าหน้าที่ศูนย์รับเรื่องแล้ว")  # the "taken" notice, as when taken in LINE
    expect(principal.locator("#messages")).to_contain_text("นายตัวอย่าง ใจดี โทร 080-000-0201")

    console.fill("#reply-text", "ศูนย์รับเรื่องแล้วค่ะ เจ้าหน้าที่จะโทรหาท่านภายใน 10 นาที")
    console.get_by_role("button", name="ส่งข้อความ", exact=True).click()
    bot_says(principal, "เจ้าหน้าที่จะโทรหาท่านภายใน 10 นาที")
    expect(console.locator("ol.timeline")).to_contain_text("เจ้าหน้าที่จะโทรหาท่านภายใน 10 นาที")

    console.fill("#note-text", "โทรคุยกับครูแล้ว รอผลจากโรงพยาบาล")
    console.get_by_role("button", name="บันทึก", exact=True).click()
    expect(console.locator("ol.timeline li.note")).to_contain_text("รอผลจากโรงพยาบาล")

    console.select_option("#state", "helping")
    console.get_by_role("button", name="เปลี่ยน", exact=True).click()
    expect(console.locator("main .badge").first).to_have_text("กำลังช่วยเหลือ/ประสานงาน")
    console.screenshot(path=str(SCREENSHOTS / "console-case.png"), full_page=True)

    console.fill("#summary", "นักเรียนปลอดภัย กลับไปเรียนตามปกติ")
    console.get_by_role("button", name="ปิดเรื่อง", exact=True).click()
    expect(console.locator("main .badge").first).to_have_text("ปิดเรื่อง")
    expect(console.locator("main")).to_contain_text("นักเรียนปลอดภัย กลับไปเรียนตามปกติ")
    bot_says(principal, "ปิด")  # the principal is told the case is closed, as from LINE
    assert "รอผลจากโรงพยาบาล" not in principal.locator("#messages").inner_text()  # the note stayed inside

    supervisor_chat = open_chat(browser, url, "supervisor-1", errors)
    boss = console_tab(browser, base, supervisor_chat, errors)
    boss.get_by_role("link", name="สรุปผล").click()
    expect(boss.locator("h1")).to_contain_text("สรุปผลการดำเนินงาน")
    expect(boss.locator("figure.chart svg")).to_have_count(5)
    expect(boss.locator("figure.chart").first).to_contain_text("เกิดอุบัติเหตุ")
    boss.screenshot(path=str(SCREENSHOTS / "console-summary.png"), full_page=True)
    boss.get_by_role("link", name="บันทึกการใช้งาน").click()
    boss.fill("input[name=case]", "1/2569")
    boss.get_by_role("button", name="ค้นหา").click()
    log = boss.locator("table.audit")
    for done in ("แจ้งเรื่องใหม่", "รับเรื่อง", "ตอบผู้แจ้ง", "บันทึกภายใน", "เปลี่ยนสถานะ"):
        expect(log).to_contain_text(done)
    expect(log).to_contain_text("เว็บ")  # what was done in the console says so
    assert errors == []


def test_the_principals_words_appear_in_the_officers_open_console_instead_of_a_push(served, browser, tmp_path):
    from sqlalchemy import select

    from models import Outbox

    url, _, services = served
    base = url.rsplit("/simulator", 1)[0]
    errors: list[str] = []
    principal = open_chat(browser, url, "principal-3", errors)
    officer_chat = open_chat(browser, url, "officer-1", errors)
    console = console_tab(browser, base, officer_chat, errors)
    files_a_report(principal, tmp_path)
    row = console.locator("table.cases tbody tr").filter(has_text="0001/2569")
    expect(row).to_be_visible(timeout=3 * WAIT_MS)
    row.get_by_role("link", name="0001/2569", exact=True).click()
    console.get_by_role("button", name="รับเรื่อง", exact=True).click()
    expect(console.locator("main")).to_contain_text("ผู้รับผิดชอบ: นายตัวอย่าง ใจดี")
    console.get_by_role("link", name="รายการเรื่อง").first.click()  # back at the list, the console open

    with console.expect_response(lambda r: r.url.endswith("/console/inbox/seen"), timeout=3 * WAIT_MS) as seen:
        types(principal, "ตอนนี้ผู้ปกครองมารับนักเรียนแล้วค่ะ")  # the page asks every 20 s, then acknowledges
    assert seen.value.ok  # (its body is not read: Playwright may wait for ever on a fetch's body)
    panel = console.locator("#inbox")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("ผู้ปกครองมารับนักเรียนแล้วค่ะ")
    expect(panel.get_by_role("link", name="เรื่อง 0001/2569")).to_be_visible()
    expect(console).to_have_title(re.compile(r"\(1 ข้อความใหม่\)"))
    console.screenshot(path=str(SCREENSHOTS / "console-inbox.png"))
    console.set_viewport_size({"width": 390, "height": 844})  # an officer on their phone
    console.screenshot(path=str(SCREENSHOTS / "console-inbox-phone.png"))
    console.set_viewport_size(LAPTOP)

    with services.db.session() as session:  # shown in the console: never pushed
        rows = session.scalars(select(Outbox).where(Outbox.purpose == "reporter_wrote")).all()
        assert [(r.status, r.kind, r.pushes) for r in rows] == [("sent", "console", 0)]
    assert "ผู้ปกครองมารับนักเรียนแล้วค่ะ" not in officer_chat.locator("#messages").inner_text()

    console.get_by_role("link", name="รายการเรื่อง").first.click()  # another page keeps what this tab showed
    expect(console.locator("#inbox")).to_contain_text("ผู้ปกครองมารับนักเรียนแล้วค่ะ")
    console.get_by_role("button", name="ซ่อนข้อความที่อ่านแล้ว").click()
    expect(console.locator("#inbox")).to_be_hidden()
    assert errors == []
