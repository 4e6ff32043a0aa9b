"""Thai text helpers for documents: line-break hints between words, and amounts in words."""
from __future__ import annotations

import re
from functools import cache

ZWSP = "\u200b"
NBSP = "\u00a0"

# Thai letters, vowels, tone marks and signs; Thai digits (U+0E50-0E59) are left out so
# numbers are never split from their neighbours by a break hint.
_THAI_RUN = re.compile(r"[\u0e01-\u0e4f\u0e5a\u0e5b]+")
# A token starting with one of these must stay glued to the one before it.
_NO_BREAK_BEFORE = re.compile(r"^[\u0e30-\u0e3a\u0e45-\u0e4e\u0e2f]")
# A token ending with a leading vowel (เ แ โ ใ ไ) must stay glued to the one after it.
_NO_BREAK_AFTER = re.compile(r"[\u0e40-\u0e44]$")
# "ต่าง ๆ": the repetition mark must not start a line, so its space becomes non-breaking.
_REPEAT_MARK = re.compile(r" ([\u0e46\u0e2f])")
_LONG_RUN = 120  # beyond this, newmm's safe mode keeps segmentation time bounded


@cache
def _segmenter():
    """Import the dictionary segmenter on first use (loading its word list takes ~0.5 s)."""
    from newmm_tokenizer.newmm import segment

    return segment


def thai_words(run: str) -> list[str]:
    """Split a run of Thai letters into words (dictionary maximal matching, newmm)."""
    tokens = _segmenter()(run, safe_mode=len(run) > _LONG_RUN)
    words: list[str] = []
    for token in tokens:
        if words and (_NO_BREAK_BEFORE.match(token) or _NO_BREAK_AFTER.search(words[-1])):
            words[-1] += token
        else:
            words.append(token)
    return words


def break_thai(text: str) -> str:
    """Insert zero-width spaces between Thai words so PDF line breaking can wrap Thai text."""
    if not text:
        return text or ""
    text = _REPEAT_MARK.sub("\u00a0\\1", text.replace(ZWSP, ""))
    return _THAI_RUN.sub(lambda m: ZWSP.join(thai_words(m.group())), text)


def unbreak(text: str) -> str:
    """Remove the zero-width spaces that break_thai inserted."""
    return (text or "").replace(ZWSP, "")


# ------------------------------------------------------------ amounts in words

_DIGITS = ("", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
_MILLION = 1_000_000


def _below_million(n: int, after_higher: bool) -> str:
    """Read 0 <= n < 1,000,000 in Thai; after_higher: a higher part was already read."""
    digits = [int(c) for c in str(n)]
    out = []
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == 0:
            continue
        if place == 0 and d == 1 and (after_higher or n > 9):
            out.append("เอ็ด")
        elif place == 1 and d == 1:
            out.append("สิบ")
        elif place == 1 and d == 2:
            out.append("ยี่สิบ")
        else:
            out.append(_DIGITS[d] + _PLACES[place])
    return "".join(out)


def thai_number_words(n: int) -> str:
    """Read a non-negative integer in Thai words: 21 -> "ยี่สิบเอ็ด", 1000000 -> "หนึ่งล้าน"."""
    if n < 0:
        raise ValueError("negative numbers are not supported")
    if n == 0:
        return "ศูนย์"
    millions, rest = divmod(n, _MILLION)
    if not millions:
        return _below_million(rest, after_higher=False)
    return thai_number_words(millions) + "ล้าน" + _below_million(rest, after_higher=True)


def baht_text(amount: int) -> str:
    """Write a whole-baht amount in Thai words: 3500 -> "สามพันห้าร้อยบาทถ้วน"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be a whole number of baht (int)")
    return thai_number_words(amount) + "บาทถ้วน"


def format_number(n: float) -> str:
    """Format a number with thousands separators: 12500 -> "12,500", 2.5 -> "2.5"."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}"
    return f"{int(n):,}"


def with_prefix(name: str, prefix: str, *alternatives: str) -> str:
    """Prefix a place name unless it already starts with it: "บ้านหนองไผ่" -> "โรงเรียนบ้านหนองไผ่"."""
    name = (name or "").strip()
    if not name or any(name.startswith(p) for p in (prefix, *alternatives)):
        return name
    return prefix + name


def school_name(name: str) -> str:
    """A school as written in letters: always starting with "โรงเรียน"."""
    return with_prefix(name, "โรงเรียน", "ร.ร.")


def district_name(name: str) -> str:
    """A district as written in letters: "อำเภอ..." (Bangkok's "เขต..." is kept)."""
    return with_prefix(name, "อำเภอ", "อ.", "เขต", "กิ่งอำเภอ")
