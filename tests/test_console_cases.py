"""The console's case list and case page: what officers see, and what they do through the bot's own functions."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import AuditLog, Case, CaseEntry, FundRequest, Photo
from tests.console_helpers import csrf_token, post, sign_in_directly
from tests.helpers import add_officer, cases, file_report
from tests.test_paperwork import ask_fund


def setup(app, services, line, client, photos=0):
    officer = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    other = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    principal = line.user()
    file_report(principal, photos=photos)
    assert services.sends.wait_idle(30)
    sign_in_directly(client, services, officer)
    return officer, other, principal


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_list_shows_each_case_with_its_date_age_state_and_photos(app, services, line, client, clock):
    setup(app, services, line, client, photos=2)
    clock.advance(minutes=20)
    html = page(client, "/console/cases")
    assert "0001/2569" in html and "22 พ.ย. 69" in html and "20 นาทีที่แล้ว" in html
    assert "โรงเรียนบ้านหนองตัวอย่าง" in html and "ใหม่ (รอเจ้าหน้าที่รับเรื่อง)" in html
    assert "⚠" in html  # not taken within TAKE_DEADLINE_MINUTES
    assert re.search(r"<td>2</td>\s*</tr>", html)  # two photos
    assert "0001/2569" not in page(client, "/console/cases?state=closed")
    assert "0001/2569" in page(client, "/console/cases?owner=nobody&overdue=1&year=2569&category=accident")
    assert "0001/2569" not in page(client, "/console/cases?owner=mine")


def test_the_search_box_finds_by_school_subject_facts_and_reference(app, services, line, client):
    setup(app, services, line, client)
    for words in ("หนองตัวอย่าง", "อุบัติเหตุ", "สระน้ำ รู้สึกตัว"):
        assert "0001/2569" in page(client, f"/console/cases?q={words}"), words
    assert "0001/2569" not in page(client, "/console/cases?q=สระน้ำ ไม่มีคำนี้")
    assert "0001/2569" not in page(client, "/console/cases?q=100%25")  # % is a character, not a wildcard
    (case,) = cases(services)
    for typed in ("1/2569", "#1", "0001/69", "๑/๒๕๖๙"):
        response = client.get("/console/cases", query_string={"q": typed})
        assert response.status_code == 302 and response.headers["Location"] == f"/console/cases/{case.id}", typed


def test_an_unknown_reference_or_case_is_404_in_thai(app, services, line, client):
    setup(app, services, line, client)
    response = client.get("/console/cases?q=9/2569")
    assert response.status_code == 404 and "ไม่พบเรื่องเลขที่ 9/2569" in response.get_data(as_text=True)
    response = client.get("/console/cases/999")
    assert response.status_code == 404 and "ไม่พบเรื่องนี้ในระบบ" in response.get_data(as_text=True)
    assert client.get("/console/cases?page=99999999999&year=abc&state=<x>").status_code == 200


def test_new_cases_are_counted_while_the_list_is_open(app, services, line, client, clock):
    _, _, principal = setup(app, services, line, client)
    html = page(client, "/console/cases")
    since = re.search(r'data-since="([^"]+)"', html).group(1)
    assert client.get("/console/cases/new.json", query_string={"since": since}).get_json()["count"] == 0
    clock.advance(minutes=1)
    file_report(line.user(), first_time=True)
    news = client.get("/console/cases/new.json", query_string={"since": since}).get_json()
    assert news["count"] == 1 and news["cases"][0]["reference"] == "0002/2569"
    assert client.get("/console/cases/new.json?since=yesterday").status_code == 400
    stranger = app.test_client()
    assert stranger.get("/console/cases/new.json", query_string={"since": since}).status_code == 401


def test_polling_does_not_keep_an_idle_session_alive(app, services, line, client, clock):
    setup(app, services, line, client)
    since = services.now().isoformat()
    for _ in range(4):
        clock.advance(minutes=10)
        client.get("/console/cases/new.json", query_string={"since": since})
    assert client.get("/console/cases").status_code == 302


def test_the_case_page_shows_every_field_photos_and_the_thread(app, services, line, client):
    _, _, principal = setup(app, services, line, client, photos=1)
    principal.says("เพิ่มเติม: ผู้ปกครองมาถึงแล้ว")
    (case,) = cases(services)
    html = page(client, f"/console/cases/{case.id}")
    for text in ("เกิดอุบัติเหตุ", "พลัดตกสระน้ำหลังโรงเรียน", "ปฐมพยาบาลและนำส่งโรงพยาบาลชุมชน",
                 "นางสาวสมมุติ ทดสอบ", "089-123-4567", "นายตัวอย่าง ใจดี", "ผู้อำนวยการโรงเรียน", "081-234-5678", "22 พฤศจิกายน 2569 เวลา 14.30 น.",
                 "ผู้ปกครองมาถึงแล้ว", "แจ้งเหตุ"):
        assert text in html, text
    with services.db.session() as session:
        (photo,) = session.scalars(select(Photo))
    preview = client.get(f"/console/cases/{case.id}/photos/{photo.id}/preview")
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg" and preview.data[:2] == b"\xff\xd8"
    assert f"/console/cases/{case.id}/photos/{photo.id}/preview" in html
    assert app.test_client().get(f"/console/cases/{case.id}/photos/{photo.id}/full").status_code == 302


def test_a_photo_or_document_of_another_case_is_not_served(app, services, line, client):
    _, _, principal = setup(app, services, line, client, photos=1)
    file_report(line.user())
    first, second = cases(services)
    with services.db.session() as session:
        (photo,) = session.scalars(select(Photo))
    assert photo.case_id == first.id
    assert client.get(f"/console/cases/{second.id}/photos/{photo.id}/full").status_code == 404
    ask_fund(principal)
    with services.db.session() as session:
        (request,) = session.scalars(select(FundRequest))
    assert client.get(f"/console/cases/{second.id}/fund/{request.id}.pdf").status_code == 404
    form = client.get(f"/console/cases/{first.id}/fund/{request.id}.pdf")
    assert form.status_code == 200 and form.data.startswith(b"%PDF")
    memo = client.get(f"/console/cases/{first.id}/memo.pdf")
    assert memo.status_code == 200 and memo.data.startswith(b"%PDF")


def test_taking_and_replying_in_the_console_reach_the_principal_as_from_line(app, services, line, client):
    officer, other, principal = setup(app, services, line, client)
    (case,) = cases(services)
    response = post(client, f"/console/cases/{case.id}/take")
    assert response.status_code == 302
    assert "รับเรื่อง 0001/2569 แล้ว" in page(client, f"/console/cases/{case.id}")  # the bot's own answer
    told = principal.last_text()
    assert "รับเรื่องแล้ว" in told and "นางสาวหนึ่ง ทดสอบ" in told and "081-000-0001" in told
    assert "นางสาวหนึ่ง ทดสอบ รับเรื่องแล้ว" in other.last_text()
    post(client, f"/console/cases/{case.id}/reply", {"text": "ขอเบอร์ผู้ปกครองด้วยครับ"})
    assert "ขอเบอร์ผู้ปกครองด้วยครับ" in principal.last_text()
    assert "เรื่อง 0001/2569" in principal.last_text()
    html = page(client, f"/console/cases/{case.id}")
    assert "ขอเบอร์ผู้ปกครองด้วยครับ" in html and "ส่งถึงแล้ว 22 พ.ย. 69 16.00 น." in html


def test_a_note_stays_internal(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    (case,) = cases(services)
    before = len(principal.messages())
    post(client, f"/console/cases/{case.id}/note", {"text": "โทรคุยกับครูประจำชั้นแล้ว"})
    assert len(principal.messages()) == before
    html = page(client, f"/console/cases/{case.id}")
    assert "โทรคุยกับครูประจำชั้นแล้ว" in html and "บันทึกภายใน ผู้รายงานไม่เห็น" in html


def test_state_referral_closing_and_reopening_are_told_to_the_principal(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    (case,) = cases(services)
    post(client, f"/console/cases/{case.id}/state", {"state": "helping"})
    assert "กำลังให้ความช่วยเหลือ" in principal.last_text()
    post(client, f"/console/cases/{case.id}/refer", {"destination": "hospital", "contact": "รพ.ชุมชน คุณพยาบาล"})
    assert "โรงพยาบาล" in principal.last_text()
    post(client, f"/console/cases/{case.id}/close", {"summary": "นักเรียนปลอดภัย กลับบ้านแล้ว"})
    assert "นักเรียนปลอดภัย กลับบ้านแล้ว" in principal.last_text()
    assert cases(services)[0].state == "closed"
    post(client, f"/console/cases/{case.id}/reopen")
    assert cases(services)[0].state == "following"
    with services.db.session() as session:
        kinds = [e.detail.get("to") for e in session.scalars(select(CaseEntry).where(CaseEntry.kind == "state"))]
    assert kinds == ["helping", "referred", "closed", "following"]


def test_handing_over_tells_the_new_owner(app, services, line, client):
    _, other, principal = setup(app, services, line, client)
    (case,) = cases(services)
    post(client, f"/console/cases/{case.id}/take")
    with services.db.session() as session:
        target = session.scalars(select(Case)).one().owner_officer_id + 1
    post(client, f"/console/cases/{case.id}/hand-over", {"officer": str(target)})
    assert "ให้ท่านเป็นผู้รับผิดชอบ" in other.last_text()
    assert "นายสอง ทดสอบ" in principal.last_text()


def test_fund_steps_in_the_console(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    ask_fund(principal)
    (case,) = cases(services)
    with services.db.session() as session:
        (request,) = session.scalars(select(FundRequest))
    base = f"/console/cases/{case.id}/fund/{request.id}"
    assert "เสนอคณะกรรมการ" in page(client, f"/console/cases/{case.id}")
    post(client, f"{base}/proposed")
    assert "เสนอคณะกรรมการกองทุนพิจารณาแล้ว" in principal.last_text()
    post(client, f"{base}/approved")
    assert "ได้รับอนุมัติแล้ว" in principal.last_text()
    post(client, f"{base}/paid", {"paid_on": "2026-11-22"})
    assert "22 พฤศจิกายน 2569" in principal.last_text()
    with services.db.session() as session:
        assert session.get(FundRequest, request.id).status == "paid"


def test_refusals_change_nothing(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    (case,) = cases(services)
    before = len(principal.messages())
    assert client.post(f"/console/cases/{case.id}/take").status_code == 400  # no CSRF token
    empty = post(client, f"/console/cases/{case.id}/reply", {"text": "   "})
    assert empty.status_code == 400 and "กรุณากรอกข้อความถึงผู้รายงาน" in empty.get_data(as_text=True)
    long = post(client, f"/console/cases/{case.id}/note", {"text": "ก" * 2001})
    assert long.status_code == 400 and "ยาวเกิน" in long.get_data(as_text=True)
    assert post(client, f"/console/cases/{case.id}/state", {"state": "closed"}).status_code == 400
    assert post(client, f"/console/cases/{case.id}/refer", {"destination": "mars"}).status_code == 400
    assert post(client, "/console/cases/999/take").status_code == 404
    assert app.test_client().post(f"/console/cases/{case.id}/take").status_code in (302, 400)
    (after,) = cases(services)
    assert after.state == "new" and after.owner_officer_id is None
    assert len(principal.messages()) == before
    with services.db.session() as session:
        assert session.scalars(select(CaseEntry).where(CaseEntry.kind != "filed")).first() is None


def test_html_typed_by_anyone_is_shown_escaped(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    principal.says('<script>alert("x")</script><b>ด่วน</b>')
    (case,) = cases(services)
    post(client, f"/console/cases/{case.id}/note", {"text": "<img src=x onerror=alert(1)>"})
    html = page(client, f"/console/cases/{case.id}")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>ด่วน</b>" not in page(client, "/console/cases")


def test_a_fund_refusal_in_the_console_carries_its_reason(app, services, line, client):
    _, _, principal = setup(app, services, line, client)
    ask_fund(principal)
    (case,) = cases(services)
    with services.db.session() as session:
        (request,) = session.scalars(select(FundRequest))
    post(client, f"/console/cases/{case.id}/fund/{request.id}/refused", {"reason": "เอกสารไม่ครบ"})
    assert "เอกสารไม่ครบ" in principal.last_text()
    assert post(client, f"/console/cases/{case.id}/fund/{request.id}/paid").status_code == 302
    assert "จึงทำขั้นตอนนี้ไม่ได้" in page(client, f"/console/cases/{case.id}")  # the bot's own wrong-step answer
    with services.db.session() as session:
        row = session.get(FundRequest, request.id)
        assert (row.status, row.decision_note) == ("refused", "เอกสารไม่ครบ")
