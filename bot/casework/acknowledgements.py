"""A principal's bare thank-you ("ขอบคุณค่ะ", "รับทราบครับ 🙏"): kept in the thread, not worth a push.

Such a message asks nothing of the officer, so it rides the officer's next message instead of
costing one of the month's pushes (`budget.RIDE_ONLY`). Anything more than thanks and politeness —
a question, a name, a number, a danger word — is an ordinary message and goes as one.
"""
from __future__ import annotations

import re

# Whole words and phrases a thank-you is made of, matched without spaces; the longer ones first.
PHRASES = tuple(sorted({
    "ขอบพระคุณ", "ขอบคุณ", "ขอบใจ", "มากๆ", "มาก", "เป็นอย่างสูง", "อย่างสูง", "อย่างยิ่ง", "ที่ช่วยเหลือ",
    "ที่ดูแล", "ที่ช่วย", "ที่ประสาน", "ที่ติดตาม", "ที่แจ้ง", "รับทราบ", "ทราบแล้ว", "ทราบ", "แล้ว",
    "ครับผม", "ครับ", "คับ", "ค่ะ", "คะ", "ค่า", "จ้า", "จ้ะ", "นะคะ", "นะครับ", "นะ", "ด้วย", "เลย", "ทุกท่าน",
    "เจ้าหน้าที่", "ท่าน", "ศูนย์", "โอเค", "ok", "okay", "thanks", "thank", "you",
}, key=len, reverse=True))
# Spaces, punctuation, emoji and other symbols; Thai letters, digits and Latin letters stay.
_NOISE = re.compile(r"[^\u0e01-\u0e4e\u0e50-\u0e59a-z0-9]+")
_REPEATS = re.compile(r"(.)\1+")  # "ค่ะะะ" is "ค่ะ"
LONGEST = 80  # a longer message is never only thanks


def only_thanks(text: str) -> bool:
    """True when `text` is thanks or acknowledgement and nothing else."""
    if not text or len(text) > LONGEST:
        return False
    rest = _REPEATS.sub(r"\1", _NOISE.sub("", text.lower().replace("ๆ", "")))
    if not rest or not any(word in rest for word in ("ขอบ", "ทราบ", "โอเค", "ok", "thank")):
        return False
    while rest:
        word = next((w for w in PHRASES if rest.startswith(_REPEATS.sub(r"\1", w.replace("ๆ", "")))), None)
        if word is None:
            return False
        rest = rest[len(_REPEATS.sub(r"\1", word.replace("ๆ", ""))):]
    return True
