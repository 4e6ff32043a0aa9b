"""Issue 14 in the console: the memo's secrecy and urgency marks and its number, set on the case page through
LINE's own command functions, and the Word copies of the memo and fund request forms beside the PDFs."""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from models import AuditLog, FundRequest
from tests.console_helpers import post
from tests.helpers import cases, file_report
from tests.test_console_cases import page, setup
from tests.test_documents import poppler_text
from tests.test_paperwork import ask_fund


def audit_rows(services, action: str) -> list[AuditLog]:
    with services.db.session() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def memo_lines(client, case_id: int) -> list[str]:
    response = client.get(f"/console/cases/{case_id}/memo.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return poppler_text(response.data).split("\n")


def test_the_page_shows_the_marks_and_an_officer_changes_them_into_the_memo(app, services, line, client):
    officer, _, _ = setup(app, services, line, client)
    (case,) = cases(services)
    html = page(client, f"/console/cases/{case.id}")
    assert "ชั้นความลับ: <strong>ไม่มี</strong>" in html and "ความเร่งด่วน: <strong>ไม่มี</strong>" in html
    assert not {"ลับมาก", "ด่วนมาก"} & set(memo_lines(client, case.id))

    assert post(client, f"/console/cases/{case.id}/marks/secrecy", {"mark": "ลับมาก"}).status_code == 302
    assert post(client, f"/console/cases/{case.id}/marks/urgency", {"mark": "ด่วนมาก"}).status_code == 302
    assert post(client, f"/console/cases/{case.id}/doc-number", {"doc_number": " ศธ  04123/456 "}).status_code == 302
    (case,) = cases(services)
    assert (case.secrecy, case.urgency, case.doc_number) == ("ลับมาก", "ด่วนมาก", "ศธ 04123/456")
    html = page(client, f"/console/cases/{case.id}")
    assert "ชั้นความลับ: <strong>ลับมาก</strong>" in html and "ความเร่งด่วน: <strong>ด่วนมาก</strong>" in html
    assert "ที่: <strong>ศธ 04123/456</strong>" in html
    lines = memo_lines(client, case.id)
    assert "ลับมาก" in lines and "ด่วนมาก" in lines
    assert "ที่ ศธ ๐๔๑๒๓/๔๕๖" in "\n".join(lines)

    for action, detail in (("memo_secrecy_set", {"mark": "ลับมาก"}), ("memo_urgency_set", {"mark": "ด่วนมาก"}),
                           ("memo_number_set", None)):
        (row,) = audit_rows(services, action)
        assert row.actor == officer.user_id and row.channel == "console" and row.case_id == case.id
        if detail:
            assert row.detail == detail

    post(client, f"/console/cases/{case.id}/marks/secrecy", {"mark": "ไม่มี"})
    post(client, f"/console/cases/{case.id}/doc-number", {"doc_number": ""})
    (case,) = cases(services)
    assert (case.secrecy, case.doc_number) == ("", "")
    lines = memo_lines(client, case.id)
    assert "ลับมาก" not in lines and "ด่วนมาก" in lines


def test_mark_changes_are_refused_without_csrf_or_with_a_bad_choice(app, services, line, client):
    setup(app, services, line, client)
    (case,) = cases(services)
    for path, data in ((f"/console/cases/{case.id}/marks/secrecy", {"mark": "ลับ"}),
                       (f"/console/cases/{case.id}/marks/urgency", {"mark": "ด่วน"}),
                       (f"/console/cases/{case.id}/doc-number", {"doc_number": "ศธ 1/2"})):
        assert client.post(path, data=data).status_code == 400, path
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    bad = post(client, f"/console/cases/{case.id}/marks/secrecy", {"mark": "ลับเฉพาะ"})
    assert bad.status_code == 400 and "กรุณาเลือกจากรายการ" in bad.get_data(as_text=True)
    long = post(client, f"/console/cases/{case.id}/doc-number", {"doc_number": "ศ" * 101})
    assert long.status_code == 400 and "ยาวเกิน" in long.get_data(as_text=True)
    assert post(client, f"/console/cases/{case.id}/marks/colour", {"mark": "ไม่มี"}).status_code == 404
    (case,) = cases(services)
    assert (case.secrecy, case.urgency, case.doc_number) == (None, None, None)
    for action in ("memo_secrecy_set", "memo_urgency_set", "memo_number_set"):
        assert audit_rows(services, action) == []


def is_docx(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data)) and "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_word_copies_sit_beside_the_pdfs_and_their_downloads_are_audited(app, services, line, client):
    officer, _, principal = setup(app, services, line, client)
    ask_fund(principal)
    (case,) = cases(services)
    with services.db.session() as session:
        (request,) = session.scalars(select(FundRequest))
    html = page(client, f"/console/cases/{case.id}")
    memo_url, fund_url = f"/console/cases/{case.id}/memo.docx", f"/console/cases/{case.id}/fund/{request.id}.docx"
    assert f'href="{memo_url}"' in html and f'href="{fund_url}"' in html
    post(client, f"/console/cases/{case.id}/doc-number", {"doc_number": "ศธ 04123/789"})
    for url in (memo_url, fund_url):
        response = client.get(url)
        assert response.status_code == 200 and is_docx(response.data), url
        assert response.mimetype.endswith("wordprocessingml.document")
        assert "attachment" in response.headers["Content-Disposition"]
    memo_xml = zipfile.ZipFile(io.BytesIO(client.get(memo_url).data)).read("word/document.xml").decode()
    assert "04123/789" in memo_xml or "๐๔๑๒๓/๗๘๙" in memo_xml
    opened = [(r.actor, r.channel, r.detail) for r in audit_rows(services, "memo_opened")]
    assert opened == [(officer.user_id, "console", {"kind": "docx"})] * 2
    (form,) = audit_rows(services, "fund_form_opened")
    assert (form.actor, form.channel, form.detail) == (officer.user_id, "console", {"request": request.id, "kind": "docx"})
    assert client.get(f"/console/cases/{case.id}/memo.exe").status_code == 404
    assert app.test_client().get(memo_url).status_code == 302  # not signed in: to the sign-in page


def test_the_summary_downloads_as_word_too_and_is_audited(app, services, line, client):
    from tests.test_console_supervisor import supervisor

    file_report(line.user(display_name="ผอ."))
    boss = supervisor(services, line, client)
    assert 'href="/console/summary/2569-11.docx"' in page(client, "/console/summary?period=2569-11")
    response = client.get("/console/summary/2569-11.docx")
    assert response.status_code == 200 and is_docx(response.data)
    assert "summary-2569-11.docx" in response.headers["Content-Disposition"]
    (row,) = audit_rows(services, "summary_downloaded")
    assert (row.actor, row.channel, row.detail) == (boss.user_id, "console", {"period": "2569-11", "kind": "docx"})
