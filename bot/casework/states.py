"""The states of a case, following the centre's process (the manual, section ๒)."""

STATES = {
    "new": "ใหม่ (รอเจ้าหน้าที่รับเรื่อง)",
    "taken": "รับเรื่องแล้ว",
    "helping": "กำลังช่วยเหลือ/ประสานงาน",
    "referred": "ส่งต่อหน่วยงาน",
    "following": "ติดตามผล",
    "closed": "ปิดเรื่อง",
}
OPEN = tuple(state for state in STATES if state != "closed")
