"""Text from LINE made safe to store, show and print: one cleaning, applied where events enter.

A paste from some apps carries a NUL (PostgreSQL refuses it in text), direction controls that
turn a word around in officers' alerts and the memo, or zero-width characters that make an
answer look filled in while showing nothing. All of them are removed; line breaks and tabs stay.
"""
from __future__ import annotations

import re

_REMOVED = (  # (first, last) code points
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F),  # C0 controls except tab and newline, DEL, C1 controls
    (0xAD, 0xAD),  # soft hyphen: invisible, yet copied into documents' text
    (0x61C, 0x61C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),  # bidi marks, overrides, isolates
    (0x200B, 0x200D), (0x2060, 0x2064), (0x206A, 0x206F), (0xFEFF, 0xFEFF), (0x180E, 0x180E),  # zero-width
    (0xD800, 0xDFFF),  # lone surrogates (half an emoji): no database can encode them
)
_LINE_BREAKS = {"\r": "\n", "\u2028": "\n", "\u2029": "\n"}  # applied after "\r\n" became "\n"
_TABLE = {**{code: None for first, last in _REMOVED for code in range(first, last + 1)},
          **{ord(k): v for k, v in _LINE_BREAKS.items()}}
_FIND = re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in _REMOVED) + "\r\u2028\u2029]")
# Characters that are letters to Unicode but show as nothing (Hangul fillers, the braille blank):
# kept inside text, yet an answer made only of them (and spaces) is empty.
_BLANK = re.compile("[\\s\u115f\u1160\u3164\uffa0\u2800]*")
MAX_DEPTH = 16  # LINE's events nest about 5 levels; anything deeper is not from LINE


class TooDeep(ValueError):
    """A JSON value nested deeper than any LINE event."""


def clean_text(text: str) -> str:
    """The text without control, direction or invisible characters (newlines and tabs kept)."""
    if _FIND.search(text) is None:  # almost every text: nothing to copy
        return text
    return text.replace("\r\n", "\n").translate(_TABLE)


def is_blank(text: str) -> bool:
    """True when nothing visible is left of the text once cleaned."""
    return _BLANK.fullmatch(clean_text(text)) is not None


def clean_json(value, depth: int = 0):
    """A parsed JSON value with every string in it (keys too) cleaned; raises TooDeep past MAX_DEPTH."""
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH:
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        return {clean_text(key): clean_json(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_json(item, depth + 1) for item in value]
    return value
