"""Small helpers the tests share: officers, and a principal who files a whole report."""
from __future__ import annotations

import io

from PIL import Image

from bot.staff import officers
from models import Case


def jpeg(seed: int = 0, size=(64, 48), exif: bytes | None = None) -> bytes:
    """A real, small JPEG made with Pillow; each seed gives different pixels."""
    image = Image.new("RGB", size, ((seed * 53) % 256, (seed * 97) % 256, (seed * 31 + 80) % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def add_officer(services, line, name="เจ้าหน้าที่ทดสอบ หนึ่ง", phone="081-000-0001", role="officer"):
    """An active officer linked to a fake LINE user; returns that LineUser."""
    person = line.user(display_name=name)
    with services.db.session() as session:
        officers.add(session, name, phone, person.user_id, role, services.now())
        session.commit()
    return person


def fill_report(principal, photos: int = 0, first_time: bool = True, when: str | list[str] = "วันนี้ 14:30",
                category: str = "เกิดอุบัติเหตุ") -> None:
    """Walk the whole form up to the summary, the way a principal taps and types (`when`: one or more messages)."""
    principal.says("แจ้งเหตุ")
    principal.taps(category)
    principal.taps("ใช้เรื่องที่แนะนำ")
    for said in [when] if isinstance(when, str) else when:
        principal.says(said)
    principal.says("นักเรียนชาย ป.5 จำนวน 1 คน พลัดตกสระน้ำหลังโรงเรียน ครูช่วยขึ้นมาได้ รู้สึกตัวดี")
    principal.says("ปฐมพยาบาลและนำส่งโรงพยาบาลชุมชน แจ้งผู้ปกครองแล้ว")
    principal.says("นางสาวสมมุติ ทดสอบ")
    principal.says("089 123 4567")
    if first_time:
        principal.says("นายตัวอย่าง ใจดี")
        principal.taps("ผู้อำนวยการโรงเรียน")
        principal.says("โรงเรียนบ้านหนองตัวอย่าง")
        principal.taps("เมืองตัวอย่าง")
        principal.says("0812345678")
    else:
        principal.taps("ใช้ข้อมูลนี้")
    for index in range(photos):
        principal.sends_image(jpeg(index))
    principal.taps("เสร็จ" if photos else "ข้าม")


def file_report(principal, **kwargs) -> None:
    fill_report(principal, **kwargs)
    principal.taps("ยืนยัน")


def cases(services) -> list[Case]:
    from sqlalchemy import select

    with services.db.session() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))
