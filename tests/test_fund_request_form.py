"""The student aid fund's request form: the school's voice, the centre's proposal, the decision, late requests."""
from __future__ import annotations

from datetime import UTC, datetime

from bench.render_samples import sample_fund_request
from bot.fund.aid import STATUS
from bot.paperwork.documents import render_fund_request
from bot.paperwork.documents.blocks import texts
from bot.paperwork.documents.fund import fund_document, render_fund_request_docx
from tests.test_documents import flat, plain
from tests.test_word_files import docx_lines, fonts_declared


def test_fund_request_is_the_schools_request_forwarded_by_the_centre():
    data = sample_fund_request()
    pdf = render_fund_request(data)
    one_line = flat(plain(pdf))
    for expected in (
        "แบบขอรับความช่วยเหลือจากกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน",
        "โรงเรียนบ้านหนองตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง", "วันที่ 23 พฤศจิกายน 2569",
        "เรื่อง ขอรับความช่วยเหลือจากกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
        # the school speaks for itself, in the first person, and its principal signs
        "ด้วยข้าพเจ้า นางสาวใจดี สมมติ ตำแหน่ง ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง ขอรายงานว่า",
        "นักเรียนของโรงเรียนบ้านหนองตัวอย่าง", "เรื่องเลขที่ 0001/2569",
        "๑. นักเรียน ด.ช. ก. ชั้น ป.5", "ประสบอุบัติเหตุจนทุพพลภาพ", "วันที่เกิดเหตุ 22 พฤศจิกายน 2569",
        "4,000 บาท (สี่พันบาทถ้วน)", "โอนเข้าบัญชีธนาคาร", "ข้าพเจ้าขอรับรองว่าข้อความข้างต้นเป็นความจริง",
        "(นางสาวใจดี สมมติ) ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง",
        # the centre checks it and proposes it for the committee, signed by the centre's head
        "ความเห็นและข้อเสนอของศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สพป.ตัวอย่าง เขต 9",
        "เห็นควรเสนอคณะกรรมการกองทุนฯ พิจารณา", "(นางสาวตัวอย่าง ทดสอบ)",
        "หัวหน้าศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน",
        # the superior decides on the committee's proposal
        "คำสั่งของผู้มีอำนาจอนุมัติ (ผู้บังคับบัญชา ตามข้อเสนอของคณะกรรมการกองทุนฯ)", "อนุมัติ", "ไม่อนุมัติ",
        "จำนวนเงินที่ขออนุมัติ 4,000 บาท (สี่พันบาทถ้วน)",
    ):
        assert flat(expected) in one_line, expected
    assert "ด้วยโรงเรียน" not in one_line and "รายงานว่ามีนักเรียน" not in one_line  # not the centre's voice
    assert "เกินกำหนด" not in one_line


def test_a_request_after_the_window_is_marked_late_for_the_committee():
    data = sample_fund_request(late=True, requested_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    one_line = flat(plain(render_fund_request(data)))
    assert flat("ยื่นเกินกำหนด ๒๔ ชั่วโมง") in one_line
    assert flat("โรงเรียนยื่นคำขอเมื่อ 24 พฤศจิกายน 2569 เวลา 9.00 น. หลังเกิดเหตุ 42 ชั่วโมง") in one_line
    assert flat("เกินกำหนด 24 ชั่วโมงตามระเบียบกองทุนฯ จึงเสนอให้คณะกรรมการพิจารณาเป็นกรณีไป") in one_line


def test_fund_request_with_the_decision_filled_in_prints_no_system_state():
    data = sample_fund_request(
        amount_baht=5000, payment_method="เงินสด", approved=True, proposed_on=datetime(2026, 11, 23).date(),
        approver_name="นายผู้อนุมัติ ทดสอบ", approver_position="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        approved_on=datetime(2026, 11, 24, tzinfo=UTC).date(), approval_note="อนุมัติตามเสนอ")
    text = plain(render_fund_request(data))
    one_line = flat(text)
    for expected in ("5,000 บาท (ห้าพันบาทถ้วน)", "เงินสด", "(นายผู้อนุมัติ ทดสอบ)",
                     "วันที่ 24 พฤศจิกายน 2569", "อนุมัติตามเสนอ", "วันที่ 23 พฤศจิกายน 2569"):
        assert flat(expected) in one_line, expected
    assert "สถานะ" not in one_line
    for state in set(STATUS.values()) - {"ไม่อนุมัติ"}:  # that one is also the form's own tick box
        assert flat(state) not in one_line, state
    raw = render_fund_request_docx(data)
    lines = docx_lines(raw)
    assert "☒ อนุมัติ      ☐ ไม่อนุมัติ" in lines
    assert not any("สถานะ" in line for line in lines)


def test_fund_request_word_file_has_the_same_paragraphs():
    data = sample_fund_request(late=True)
    raw = render_fund_request_docx(data)
    lines = docx_lines(raw)
    expected = texts(fund_document(data))
    assert [line for line in lines if line in expected] == expected
    assert "ด้วยข้าพเจ้า นางสาวใจดี สมมติ ตำแหน่ง ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง ขอรายงานว่า " \
           "นักเรียนของโรงเรียนบ้านหนองตัวอย่าง ประสบความเดือดร้อน ตามที่โรงเรียนได้รายงานเหตุต่อ" \
           "ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สพป.ตัวอย่าง เขต 9 ไว้แล้ว เรื่องเลขที่ 0001/2569 " \
           "จึงขอรับความช่วยเหลือจากกองทุนช่วยเหลือนักเรียนที่ประสบความเดือดร้อน รายละเอียดดังนี้" in lines
    fonts_declared(raw)
