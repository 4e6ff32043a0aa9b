"""The kinds of incident the protection centre handles (from the office's manual), as data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    name: str  # as the manual names it
    label: str  # short enough for a quick-reply button (20 characters)
    subject: str  # suggested subject line for the report ("เรื่อง")
    synonyms: tuple[str, ...] = ()
    urgent: bool = False  # urgent by itself (ongoing harm): the emergency numbers at once, the case ด่วนที่สุด


OTHER = "other"

CATEGORIES: tuple[Category, ...] = (
    Category("sexual_abuse", "ถูกล่วงละเมิดทางเพศ", "ถูกล่วงละเมิดทางเพศ",
             "รายงานนักเรียนถูกล่วงละเมิดทางเพศ", ("ล่วงละเมิด", "ล่วงละเมิดทางเพศ", "ข่มขืน", "อนาจาร"),
             urgent=True),
    Category("violence", "ถูกกระทำความรุนแรง", "ถูกกระทำความรุนแรง",
             "รายงานนักเรียนถูกกระทำความรุนแรง", ("ความรุนแรง", "รุนแรง", "ทำร้าย", "ถูกทำร้าย", "ทารุณ")),
    Category("drugs", "ยาเสพติด", "ยาเสพติด",
             "รายงานนักเรียนเกี่ยวข้องกับยาเสพติด", ("ยา", "สารเสพติด", "บุหรี่ไฟฟ้า")),
    Category("disease", "เกิดโรคติดต่อ", "เกิดโรคติดต่อ",
             "รายงานการเกิดโรคติดต่อในสถานศึกษา", ("โรคติดต่อ", "โรคระบาด", "โรค")),
    Category("pregnancy", "ท้องในวัยเรียน", "ท้องในวัยเรียน",
             "รายงานนักเรียนตั้งครรภ์ในวัยเรียน", ("ท้อง", "ตั้งครรภ์", "ตั้งครรภ์ในวัยเรียน")),
    Category("accident", "เกิดอุบัติเหตุ", "เกิดอุบัติเหตุ",
             "รายงานนักเรียนประสบอุบัติเหตุ", ("อุบัติเหตุ", "จมน้ำ", "บาดเจ็บ", "รถชน")),
    Category("unfair", "ไม่ได้รับความเป็นธรรมทางการศึกษา", "ไม่ได้รับความเป็นธรรม",
             "รายงานนักเรียนไม่ได้รับความเป็นธรรมทางการศึกษา", ("ไม่เป็นธรรม", "ความเป็นธรรม")),
    Category(OTHER, "อื่น ๆ", "อื่น ๆ", "รายงานเหตุเกี่ยวกับนักเรียน", ("อื่นๆ", "อื่น")),
)

BY_KEY = {c.key: c for c in CATEGORIES}


def display_name(key: str, other: str | None = None) -> str:
    """The category as people read it; "อื่น ๆ" shows the reporter's own description."""
    if key == OTHER and other:
        return f"อื่น ๆ ({other})"
    return BY_KEY[key].name
