"""Where a line of Thai may break: between words found by PyThaiNLP's newmm segmenter, never inside one.

Thai is written without spaces between words, so a PDF library that breaks only at spaces cannot
wrap it. Instead of inserting invisible characters into the text (they end up in what is copied
out of the PDF), the text is cut into unbreakable units here and laid out line by line by the caller.
A unit is a word with the spaces that follow it; some neighbours are kept together: "เขต ๕",
"โทร 08x", "๒ ภาพ", "๒๒ พฤศจิกายน ๒๕๖๙", "ต่าง ๆ", "(ป.๕)".
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache

from bot.core.thai_dates import THAI_MONTHS, THAI_MONTHS_SHORT

_THAI_LETTERS = re.compile(r"^[\u0e01-\u0e4f\u0e5a\u0e5b]+$")
_DIGIT_START = re.compile(r"^[0-9\u0e50-\u0e59]")
_DIGIT_END = re.compile(r"[0-9\u0e50-\u0e59]$")
# A token starting with one of these (a following vowel, a tone mark, ๆ, ฯ) stays with the one before.
_NO_BREAK_BEFORE = re.compile(r"^[\u0e30-\u0e3a\u0e45-\u0e4e\u0e2f]")
# A token ending with a leading vowel (เ แ โ ใ ไ) stays with the one after.
_NO_BREAK_AFTER = re.compile(r"[\u0e40-\u0e44]$")
# Following vowels and marks drawn on or after a letter (tone marks, thanthakhat): never start a piece.
_MARK = re.compile(r"[\u0e30-\u0e3a\u0e45-\u0e4e]")
# Words that, after a number, are its unit and stay with it: "๒ ภาพ", "๕,๐๐๐ บาท", "๑๔.๓๐ น.".
_UNITS = frozenset(("น.", "บาท", "คน", "ภาพ", "ราย", "ครั้ง", "เรื่อง", "ปี", "เดือน", "วัน", "ชั่วโมง", "นาที",
                    "แห่ง", "หลัง", "ชิ้น", "เมตร", "กม.", "กิโลเมตร", "ขวบ"))
_MONTHS = frozenset(THAI_MONTHS + THAI_MONTHS_SHORT)  # "๒๒ พฤศจิกายน ๒๕๖๙" is one date, never split
_LONG_RUN = 200  # beyond this many characters without a space, newmm's safe mode bounds the time


@cache
def _newmm():
    """PyThaiNLP's newmm segmenter, imported on first use (building its dictionary takes ~0.5 s)."""
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")  # segmenting needs no data folder in $HOME
    from pythainlp.tokenize.newmm import segment

    return segment


def words(text: str) -> list[str]:
    """The tokens newmm finds: Thai words, runs of other characters, and spaces."""
    if not text:
        return []
    return _newmm()(text, safe_mode=len(max(text.split(), key=len, default="")) > _LONG_RUN)


def _breakable(before: str, after: str, space_between: bool) -> bool:
    """Whether a line may end after `before` (followed by spaces if space_between) and go on with `after`."""
    if _NO_BREAK_BEFORE.match(after) or (not space_between and _NO_BREAK_AFTER.search(before)):
        return False
    if space_between:
        if _DIGIT_START.match(after):  # "เขต ๕", "โทร 081-…", "จำนวน ๒"
            return False
        if _DIGIT_END.search(before) and (after in _MONTHS or after in _UNITS):
            return False  # "๒ ภาพ", "๑๔.๓๐ น.", "๒๒ พฤศจิกายน"
        return True
    return bool(_THAI_LETTERS.match(before) and _THAI_LETTERS.match(after))  # between two Thai words only


def break_units(text: str) -> list[str]:
    """The text cut where a line may break; "".join(units) == text, each unit keeps its trailing spaces."""
    units: list[str] = []
    last_word, spaced = "", False
    for token in words(text):
        if token.isspace():
            if units:
                units[-1] += token
                spaced = True
            else:
                units.append(token)
            continue
        if units and not _breakable(last_word, token, spaced):
            units[-1] += token
        else:
            units.append(token)
        last_word, spaced = token, False
    return units


def wrap(text: str, width: float, measure: Callable[[str], float], first_width: float | None = None) -> list[str]:
    """Lay text out in lines no wider than width (the first line: first_width), breaking only between units.

    Each line keeps the spaces it ended with, so the lines joined give back the text exactly. A last
    line holding one short word is avoided by moving a word down from the line before.
    """
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0  # width of the current line's units, trailing spaces included
    for unit in _fitting(break_units(text), width, measure):
        room = first_width if first_width is not None and not lines else width
        if current and used + measure(unit.rstrip()) > room:
            lines.append(current)
            current, used = [], 0.0
        current.append(unit)
        used += measure(unit)
    if current:
        lines.append(current)
    _avoid_orphan(lines, width, measure)
    return ["".join(line) for line in lines]


def _fitting(units: list[str], width: float, measure: Callable[[str], float]) -> list[str]:
    """Units, with any wider than a whole line cut between letters (never before a mark)."""
    out: list[str] = []
    for unit in units:
        if measure(unit.rstrip()) <= width:
            out.append(unit)
            continue
        piece = ""
        for char in unit:
            if piece and not _MARK.match(char) and not _NO_BREAK_AFTER.search(piece) and measure(piece + char) > width:
                out.append(piece)
                piece = ""
            piece += char
        out.append(piece)
    return out


def _avoid_orphan(lines: list[list[str]], width: float, measure: Callable[[str], float]) -> None:
    """Move the last word of the line before down when the last line would hold one short word alone."""
    if len(lines) < 2 or len(lines[-1]) != 1 or len(lines[-2]) < 3:
        return
    if measure(lines[-1][0].rstrip()) > width * 0.15:
        return
    moved = [lines[-2][-1], *lines[-1]]
    if measure("".join(moved).rstrip()) <= width:
        lines[-2].pop()
        lines[-1] = moved


def line_ends_between_words(lines: list[str]) -> bool:
    """Whether every line but the last ends where the segmenter allows a break (for tests and checks)."""
    text = "".join(lines)
    allowed, offset = set(), 0
    for unit in break_units(text):
        offset += len(unit)
        allowed.add(offset)
    ends, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        ends.append(offset)
    return all(end in allowed for end in ends)
