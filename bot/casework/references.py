"""Case references as people type them: "0001/2569", "1/2569", "#1", "1/69", "123456/2569"."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.thai_dates import BANGKOK, be_year
from models import Case

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# A year has no more than about 100,000 cases in one office, but a national deployment has more:
# the number may have any length (what a number column holds is checked when looking it up).
REFERENCE = re.compile(r"#?\s*(\d+)(?:\s*/\s*(\d{2}|\d{4}))?")
LARGEST_NUMBER = 2**31 - 1  # the case number column is a 32-bit integer on PostgreSQL


def looks_like(text: str) -> bool:
    """Whether the text is shaped like a case reference at all."""
    return REFERENCE.fullmatch(text.strip().translate(_THAI_DIGITS)) is not None


def parse(text: str, now: datetime) -> tuple[int, int] | None:
    """(number, BE year) from a typed reference; without a year it is this year's case.

    None if it is not a reference, or names a number no case can have.
    """
    match = REFERENCE.fullmatch(text.strip().translate(_THAI_DIGITS))
    if not match:
        return None
    digits, year = match.group(1).lstrip("0") or "0", match.group(2)
    if len(digits) > len(str(LARGEST_NUMBER)) or int(digits) > LARGEST_NUMBER:
        return None  # no case has such a number (and PostgreSQL would refuse to look for it)
    number = int(digits)
    if year is None:
        return number, be_year(now.astimezone(BANGKOK))
    year_be = int(year)
    if year_be < 100:
        year_be += 2500
    elif year_be < 2400:
        year_be += 543
    return number, year_be


def find(session: Session, text: str, now: datetime, for_update: bool = False) -> Case | None:
    """The case a typed reference names, or None; `for_update` locks its row until the commit
    (two officers acting on one case from different event workers take turns)."""
    parsed = parse(text, now)
    if parsed is None:
        return None
    number, year_be = parsed
    query = select(Case).where(Case.number == number, Case.year_be == year_be)
    return session.scalars(query.with_for_update() if for_update else query).first()
