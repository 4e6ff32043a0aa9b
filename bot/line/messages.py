"""Builders for LINE message objects (plain dicts in LINE's JSON shape)."""
from __future__ import annotations

from bot.line.limits import clip_label, clip_text, utf16_len


def text(body: str, quick: list[dict] | None = None) -> dict:
    """A text message, clipped to LINE's length, with optional quick-reply buttons."""
    message = {"type": "text", "text": clip_text(body)}
    if quick:
        message["quickReply"] = {"items": [{"type": "action", "action": a} for a in quick[:13]]}
    return message


def texts(body: str, quick: list[dict] | None = None, limit: int = 4800) -> list[dict]:
    """A long text as several messages split between lines (LINE allows 5 per request); buttons on the last."""
    chunks, current = [], ""
    for line in body.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) > limit and current:
            chunks.append(current)
            candidate = line
        current = candidate
    chunks.append(current)
    return [text(chunk) for chunk in chunks[:-1]] + [text(chunks[-1], quick)]


def say_button(label: str, says: str | None = None) -> dict:
    """A button that sends `says` (or the label) as if the user typed it."""
    return {"type": "message", "label": clip_label(label), "text": (says or label)[:300]}


def postback_button(label: str, data: str, display: str | None = None) -> dict:
    """A button that sends data to the bot without typing (payloads are versioned: v1:…)."""
    action = {"type": "postback", "label": clip_label(label), "data": data[:300]}
    if display:
        action["displayText"] = display[:300]
    return action


def datetime_button(label: str, data: str, initial: str | None = None, latest: str | None = None,
                    mode: str = "datetime") -> dict:
    """LINE's date-and-time picker; values look like 2026-11-22T14:30 (mode "date": 2026-11-22)."""
    action = {"type": "datetimepicker", "label": clip_label(label), "data": data, "mode": mode}
    if initial:
        action["initial"] = initial
    if latest:
        action["max"] = latest
    return action


def call_button(label: str, phone: str) -> dict:
    """A button that dials a phone number on the officer's phone."""
    number = phone.split("ต่อ")[0]  # an extension ("ต่อ 12") is asked for by voice, not dialled
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return {"type": "uri", "label": clip_label(label), "uri": f"tel:{digits}"}
