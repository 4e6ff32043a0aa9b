"""Districts (อำเภอ) as principals type them, matched to the office's configured list."""
from __future__ import annotations

import re

_PREFIX = re.compile(r"^\s*(?:อำเภอ|อ\.|อ\s)\s*")


def _bare(text: str) -> str:
    """The district's name without "อำเภอ"/"อ." in front and without spaces."""
    return re.sub(r"\s+", "", _PREFIX.sub("", text or ""))


def canonical_district(text: str, configured: list[str]) -> str:
    """The district as the office spells it, typed with or without "อำเภอ"/"อ."; else the bare name typed."""
    bare = _bare(text)
    for name in configured:
        if _bare(name) == bare:
            return name
    return _PREFIX.sub("", (text or "").strip()).strip()
