"""Reading a signed webhook body: LINE's shape checked and every text cleaned before anything is stored.

A body that is not LINE's shape at all (not JSON, not UTF-8, nested absurdly deep, no event list)
is refused whole. Inside a proper body, an event whose fields have the wrong types is left out and
the others are kept: handling code can then rely on the types it reads, and one odd event can
never stop the events behind it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from bot.core.clean_text import TooDeep, clean_json

# Where an event carries a value the bot reads, and the type it must have when present.
SHAPE: dict[tuple[str, ...], type | tuple[type, ...]] = {
    ("type",): str, ("replyToken",): str, ("webhookEventId",): str, ("mode",): str,
    ("deliveryContext",): dict, ("source",): dict,
    ("source", "type"): str, ("source", "userId"): str, ("source", "groupId"): str, ("source", "roomId"): str,
    ("message",): dict, ("message", "type"): str, ("message", "id"): str, ("message", "text"): str,
    ("message", "imageSet"): dict, ("message", "imageSet", "id"): str, ("message", "imageSet", "index"): int,
    ("message", "imageSet", "total"): int,
    ("postback",): dict, ("postback", "data"): str, ("postback", "params"): dict,
    ("postback", "params", "datetime"): str, ("postback", "params", "date"): str, ("postback", "params", "time"): str,
    ("unsend",): dict, ("unsend", "messageId"): str,
}
REQUIRED = (("type",),)


class BadBody(ValueError):
    """A signed body that is not a LINE webhook body; its message says why (for the log)."""


@dataclass(frozen=True)
class Batch:
    """The events to store, cleaned, and how many malformed ones were left out."""

    events: list[dict]
    malformed: int


def read(body: bytes) -> Batch:
    """The cleaned events of a webhook body; raises BadBody when the body is not LINE's shape."""
    try:
        payload = clean_json(json.loads(body))
    except RecursionError as error:
        raise BadBody("nested too deeply") from error
    except TooDeep as error:
        raise BadBody(str(error)) from error
    except UnicodeDecodeError as error:
        raise BadBody("not UTF-8") from error
    except ValueError as error:
        raise BadBody("not JSON") from error
    if not isinstance(payload, dict):
        raise BadBody("not a JSON object")
    events = payload.get("events", [])
    if not isinstance(events, list):
        raise BadBody("'events' is not a list")
    good = [event for event in events if well_formed(event)]
    return Batch(good, len(events) - len(good))


def well_formed(event) -> bool:
    """True when the event is an object whose fields the bot reads have the types LINE gives them."""
    if not isinstance(event, dict) or any(_lookup(event, path) is None for path in REQUIRED):
        return False
    for path, kind in SHAPE.items():
        value = _lookup(event, path)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is int):
            return False
    return True


def _lookup(event: dict, path: tuple[str, ...]):
    value = event
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
