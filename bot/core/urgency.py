"""Danger to life or ongoing harm, read in what a principal typed (Thai, with or without spaces)."""
from __future__ import annotations

from config.urgent import UrgentWords, squeeze


def danger_words(text: str, words: UrgentWords) -> list[str]:
    """The urgent keywords in `text` that are not negated ("ไม่ได้จมน้ำ" is not a drowning), in text order.

    Thai is written without spaces between words, so matching runs on the text without spaces;
    where two keywords overlap the longer one is read, and an occurrence counts unless the text
    right before it ends with a negation.
    """
    squeezed = squeeze(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for keyword in words.keywords:  # longest first
        start = squeezed.find(keyword)
        while start >= 0:
            end = start + len(keyword)
            if not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                if not squeezed[:start].endswith(words.negations):
                    found.append((start, keyword))
            start = squeezed.find(keyword, start + 1)
    return list(dict.fromkeys(keyword for _, keyword in sorted(found)))  # in the order they were typed
