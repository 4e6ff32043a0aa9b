"""Thai text helpers for documents: amounts in words, numbers, school and district names."""
from __future__ import annotations

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
