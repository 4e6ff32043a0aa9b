"""Understanding one answer in the report form: what the user sent and whether it fits."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.clean_text import clean_text, is_blank
from bot.line.limits import utf16_len
from bot.core.texts import say


@dataclass(frozen=True)
class Answer:
    """What a user sent, whatever the kind: text, a picked date, an image, a sticker…"""

    kind: str  # text, datetime, image, sticker, location, video, audio, file, other
    text: str = ""
    message_id: str = ""
    image_set: dict | None = None

    @property
    def words(self) -> str:
        """The text trimmed and with runs of spaces folded, for matching commands; "" when nothing is visible."""
        return "" if is_blank(self.text) else " ".join(self.text.split())


class Invalid(ValueError):
    """An answer that does not fit the question; its message is shown to the user."""


KIND_NAMES = {
    "sticker": "สติกเกอร์", "location": "ตำแหน่งที่ตั้ง", "image": "รูปภาพ", "video": "วิดีโอ",
    "audio": "ข้อความเสียง", "file": "ไฟล์", "datetime": "วันเวลา", "other": "ข้อความประเภทนี้",
}


def require_text(answer: Answer, what: str) -> str:
    """The typed text, or a polite explanation that this question needs typing (or got nothing visible)."""
    if answer.kind == "text" and not answer.words:  # e.g. only zero-width or direction characters
        raise Invalid(say("invalid_empty", what=what))
    if answer.kind != "text":
        sent = KIND_NAMES.get(answer.kind, KIND_NAMES["other"])
        raise Invalid(say("invalid_not_text", sent=sent, what=what))
    return clean_text(answer.text).strip()  # cleaned where it entered already; cheap to be sure


def free_text(answer: Answer, what: str, limit: int) -> str:
    """A typed answer of at most `limit` characters."""
    value = require_text(answer, what)
    length = utf16_len(value)
    if length > limit:
        raise Invalid(say("invalid_too_long", length=length, limit=limit))
    return value


_PHONE_CHARS = re.compile(r"[\s\-().]")
_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|x|#)\s*(\d{1,5})\s*$", re.IGNORECASE)


def thai_phone(answer: Answer) -> str:
    """A Thai phone number as Thai people write it: 081-234-5678, 02-123-4567, 043-123456; "ต่อ 12" kept."""
    raw = require_text(answer, "เบอร์โทรศัพท์").translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    extension = _EXTENSION.search(raw)
    digits = _PHONE_CHARS.sub("", raw[:extension.start()] if extension else raw)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    if re.fullmatch(r"0[689]\d{8}", digits):
        number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    elif re.fullmatch(r"02\d{7}", digits):
        number = f"02-{digits[2:5]}-{digits[5:]}"
    elif re.fullmatch(r"0[3-7]\d{7}", digits):
        number = f"{digits[:3]}-{digits[3:]}"
    else:
        raise Invalid(say("invalid_phone"))
    return f"{number} ต่อ {extension[1]}" if extension else number


def page_number(text: str) -> int:
    """A page number as typed or carried by a button; 1 for anything else (huge numbers too)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 1


def normalise(text: str) -> str:
    """Lower-case, without spaces and dots: how typed choices are compared."""
    return re.sub(r"[\s.]", "", text).lower()
