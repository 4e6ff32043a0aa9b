"""The words that make a report urgent (config/urgent_keywords.json), loaded and checked."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("urgent_keywords.json")
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff.]")


class UrgentWordsError(ValueError):
    """The keyword file is missing, is not JSON or breaks a rule; str() says which and where."""


@dataclass(frozen=True)
class UrgentWords:
    """Danger words and the negations that cancel an occurrence right after them, both without spaces."""

    keywords: tuple[str, ...]
    negations: tuple[str, ...]


def squeeze(text: str) -> str:
    """Text as keywords are matched: lower-case, without spaces, dots or invisible characters."""
    return _INVISIBLE.sub("", text or "").lower()


@lru_cache(maxsize=4)
def load(path: str = "") -> UrgentWords:
    """The urgent words from `path` (default config/urgent_keywords.json)."""
    file = Path(path) if path else DEFAULT_PATH
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UrgentWordsError(f"{file}: cannot be read as JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise UrgentWordsError(f"{file}: must hold an object with 'keywords' and 'negations'")
    return UrgentWords(_words(file, raw, "keywords", required=True), _words(file, raw, "negations"))


def _words(file: Path, raw: dict, key: str, required: bool = False) -> tuple[str, ...]:
    values = raw.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and squeeze(v) for v in values):
        raise UrgentWordsError(f"{file}: '{key}' must be a list of non-empty words")
    if required and not values:
        raise UrgentWordsError(f"{file}: '{key}' is empty")
    # longest first: "ไม่ได้ถูก" is tried before "ไม่ได้", "คิดฆ่าตัวตาย" before "ฆ่าตัวตาย"
    return tuple(sorted({squeeze(v) for v in values}, key=len, reverse=True))
