"""Render the sample documents (invented data) and save their first pages as PNGs in docs/samples/.

Usage: .venv/bin/python bench/render_samples.py [OUT_DIR]   (needs pdftoppm from poppler-utils)
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw

from bot.paperwork.documents.fund import TRANSFER, FundRequestData, render_fund_request
from bot.paperwork.documents.memo import MemoData, render_memo
from bot.paperwork.documents.summary import SummaryData, render_summary_pdf
from bot.core.thai_dates import BANGKOK

OUT_DIR = ROOT / "docs" / "samples"
RESOLUTION = 60  # dpi: an A4 page becomes about 500 x 700 pixels


def sample_photo(color: str = "steelblue", size: tuple[int, int] = (1200, 900), fmt: str = "JPEG") -> bytes:
    """An invented 'photo': a coloured scene with a pond and a tree, as JPEG or PNG bytes."""
    image = Image.new("RGB", size, "lightskyblue")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, h * 0.55, w, h), fill="olivedrab")
    draw.ellipse((w * 0.15, h * 0.65, w * 0.75, h * 0.95), fill=color)
    draw.rectangle((w * 0.8, h * 0.35, w * 0.84, h * 0.6), fill="saddlebrown")
    draw.ellipse((w * 0.72, h * 0.15, w * 0.92, h * 0.42), fill="forestgreen")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def sample_memo(photos: int = 2) -> MemoData:
    """An invented drowning report, as a principal would send it."""
    return MemoData(
        office_name="ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สพป.ตัวอย่าง เขต 9",
        doc_prefix="ศธ 04999/", date=date(2026, 11, 22),
        subject="รายงานนักเรียนประสบเหตุจมน้ำ",
        addressee="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
        reference="0001/2569", category="เกิดอุบัติเหตุ",
        occurred_at=datetime(2026, 11, 22, 14, 30, tzinfo=BANGKOK),
        facts=("นักเรียนชั้นประถมศึกษาปีที่ 5 จำนวน 1 คน ไปเล่นน้ำที่สระน้ำหลังหมู่บ้านกับเพื่อนอีกสองคนหลังเลิกเรียน "
               "แล้วลื่นล้มลงไปในน้ำลึก เพื่อนได้ขอความช่วยเหลือจากชาวบ้านที่อยู่ใกล้เคียง ชาวบ้านช่วยนำตัวขึ้นจากน้ำ"
               "และปฐมพยาบาลเบื้องต้น ก่อนนำส่งโรงพยาบาลส่งเสริมสุขภาพตำบล ปัจจุบันนักเรียนรู้สึกตัวดี "
               "แพทย์ให้สังเกตอาการต่ออีกหนึ่งคืน ตามข้อเท็จจริงที่ได้รับแจ้งจากผู้ปกครอง"),
        initial_help=("ครูประจำชั้นและผู้อำนวยการโรงเรียนไปเยี่ยมนักเรียนที่โรงพยาบาล ได้ประสานผู้ปกครองและเจ้าหน้าที่"
                      "สาธารณสุขในพื้นที่ และจัดกิจกรรมให้ความรู้เรื่องความปลอดภัยทางน้ำแก่นักเรียนทุกชั้น"),
        source_name="นายสมปอง ทดสอบดี (ผู้ใหญ่บ้าน)", source_phone="08x-xxx-1234",
        reporter_name="นางสาวมาลี ตัวอย่าง", reporter_position="ผู้อำนวยการโรงเรียน",
        reporter_school="บ้านหนองตัวอย่าง", reporter_district="เมืองตัวอย่าง", reporter_phone="08x-xxx-5678",
        signer_name="นางสาวมาลี ตัวอย่าง", signer_position="ผู้อำนวยการโรงเรียนบ้านหนองตัวอย่าง",
        photos=[sample_photo("steelblue"), sample_photo("teal", (900, 1200), "PNG")][:photos],
    )


def sample_secret_urgent_memo() -> MemoData:
    """An invented abuse report as the centre files it: ลับ, ด่วนที่สุด, numbered from the register."""
    data = sample_memo(photos=1)
    data.subject = "รายงานนักเรียนถูกล่วงละเมิดทางเพศ"
    data.category = "ถูกล่วงละเมิดทางเพศ"
    data.facts = ("ครูประจำชั้นสังเกตว่านักเรียนหญิงชั้นประถมศึกษาปีที่ 6 มีพฤติกรรมเปลี่ยนไป ซึมเศร้าและไม่ยอมกลับบ้าน "
                  "เมื่อครูแนะแนวพูดคุยเป็นการส่วนตัว นักเรียนเล่าว่าถูกบุคคลใกล้ชิดในครอบครัวล่วงละเมิด "
                  "โรงเรียนจึงรายงานเพื่อขอความช่วยเหลือเร่งด่วน")
    data.initial_help = "ให้นักเรียนพักกับครูผู้หญิงที่ไว้วางใจ และประสานศูนย์ช่วยเหลือสังคม สายด่วน 1300"
    data.source_phone = ""
    data.secrecy, data.urgency = "ลับ", "ด่วนที่สุด"
    data.doc_number, data.province = "ศธ 04999/1234", "ตัวอย่าง"
    return data


def sample_summary() -> SummaryData:
    """An invented month of the centre's work."""
    return SummaryData(
        title="แบบสรุปผลการดำเนินงานคุ้มครองและช่วยเหลือเด็กนักเรียน",
        office_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
        period_label="เดือนพฤศจิกายน 2569",
        generated_at=datetime(2026, 12, 1, 9, 5, tzinfo=BANGKOK),
        by_category=[("ถูกล่วงละเมิดทางเพศ", 2), ("ถูกกระทำความรุนแรง", 5), ("ยาเสพติด", 1), ("เกิดโรคติดต่อ", 0),
                     ("ท้องในวัยเรียน", 0), ("เกิดอุบัติเหตุ", 1234), ("ไม่ได้รับความเป็นธรรมทางการศึกษา", 1),
                     ("อื่น ๆ", 0)],
        by_district=[("เมืองตัวอย่าง", 9), ("หนองสมมติ", 1230), ("ภูทดสอบ", 0), ("อื่น ๆ", 4)],
        province="ตัวอย่าง",
        by_state=[("รอรับเรื่อง", 1), ("กำลังดำเนินการ", 6), ("ส่งต่อแล้ว", 2), ("ปิดเรื่อง", 1234)],
        referrals_by_destination=[("โรงพยาบาล", 3), ("สถานีตำรวจ", 2), ("บ้านพักเด็กและครอบครัวจังหวัด", 1)],
        median_minutes_to_take=95.4, overdue=2, aid_paid_baht=12000, aid_paid_count=3,
    )


def sample_fund_request(**changes) -> FundRequestData:
    """An invented request for the fund's accident payout; the student is not named."""
    values = {
        "office_name": "ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน สพป.ตัวอย่าง เขต 9", "school": "บ้านหนองตัวอย่าง",
        "district": "เมืองตัวอย่าง", "province": "ตัวอย่าง", "student_grade": "ป.5", "student_label": "ด.ช. ก.",
        "case_reference": "0001/2569", "category_label": "เกิดอุบัติเหตุ",
        "schedule_item_label": "ประสบอุบัติเหตุจนทุพพลภาพ", "amount_baht": 4000,
        "payment_method": TRANSFER, "incident_date": datetime(2026, 11, 22, 14, 30, tzinfo=BANGKOK),
        "requested_at": datetime(2026, 11, 23, 10, 0, tzinfo=BANGKOK),
        "requester_name": "นางสาวใจดี สมมติ", "requester_position": "ผู้อำนวยการโรงเรียน", "doc_prefix": "ศธ 04999/",
        "addressee": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
        "centre_signer_name": "นางสาวตัวอย่าง ทดสอบ",
    }
    values.update(changes)
    return FundRequestData(**values)


def late_fund_request() -> bytes:
    """The fund request asked for 42 hours after the incident, proposed and approved: both pages."""
    return render_fund_request(sample_fund_request(
        late=True, requested_at=datetime(2026, 11, 24, 9, 0, tzinfo=BANGKOK), proposed_on=date(2026, 11, 24),
        approved=True, approver_name="นายผู้อนุมัติ ทดสอบ", approved_on=date(2026, 11, 25),
        approval_note="อนุมัติตามข้อเสนอของคณะกรรมการ"))


def render_fund_pngs(out_dir: Path = OUT_DIR) -> list[Path]:
    """Both pages of the late, approved fund request: fund_request_late-1.png and -2.png."""
    pdf = late_fund_request()
    return [to_png(pdf, out_dir / f"fund_request_late-{page}.png", page=page) for page in (1, 2)]



def documents() -> dict[str, bytes]:
    """The three sample PDFs by sample name."""
    return {
        "memo": render_memo(sample_memo()),
        "memo_secret_urgent": render_memo(sample_secret_urgent_memo()),
        "summary": render_summary_pdf(sample_summary()),
        "fund_request": render_fund_request(sample_fund_request()),
    }


def to_png(pdf: bytes, png: Path, resolution: int = RESOLUTION, page: int = 1) -> Path:
    """Rasterise one page of pdf (the first by default) into png with pdftoppm."""
    if not shutil.which("pdftoppm"):
        raise RuntimeError("pdftoppm not found: apt-get install -y poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
                        str(source), str(png.with_suffix(""))], check=True, timeout=60)
    return png


def render_pngs(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write memo.png, memo_secret_urgent.png, summary.png and fund_request.png into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [to_png(pdf, out_dir / f"{name}.png") for name, pdf in documents().items()]


def main(argv: list[str]) -> int:
    """Regenerate the sample PNGs (and, next to them, nothing else)."""
    out_dir = Path(argv[1]) if len(argv) > 1 else OUT_DIR
    for path in [*render_pngs(out_dir), *render_fund_pngs(out_dir)]:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
