"""Button payloads: one typed, versioned codec for every postback the bot sends (aiogram's CallbackData).

A payload is `v1:<action>:<field>:<field>…`. Each action is a small frozen dataclass whose fields are
typed (int or str); `decode` returns an instance, or None for anything stale, foreign or malformed,
so the router can answer it politely instead of guessing.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import ClassVar

VERSION = "v1"
_REGISTRY: dict[str, type["Payload"]] = {}


class Payload:
    """Base of every button payload; subclasses name their action and who may tap them."""

    action: ClassVar[str]
    audience: ClassVar[str]  # "officer", "principal" or "anyone"

    def __init_subclass__(cls, action: str, audience: str, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.action, cls.audience = action, audience
        _REGISTRY[action] = cls

    @property
    def data(self) -> str:
        """The postback data LINE carries back when the button is tapped."""
        values = [str(getattr(self, f.name)) for f in fields(self)]  # type: ignore[arg-type]
        return ":".join([VERSION, self.action, *values])


MAX_ID_DIGITS = 18  # a 64-bit integer; a longer number names no row


def decode(data: str) -> Payload | None:
    """The payload in a postback's data, or None when it is not one of ours (old, foreign, garbled)."""
    parts = (data or "").split(":")
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _REGISTRY:
        return None
    cls = _REGISTRY[parts[1]]
    declared, given = fields(cls), parts[2:]
    required = sum(1 for f in declared if f.default is MISSING)
    if not required <= len(given) <= len(declared):
        return None
    values = {}
    for field, raw in zip(declared, given):
        if field.type in (int, "int"):
            if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS):
                return None  # "²" or an id no database could hold: not one of our buttons
            values[field.name] = int(raw)
        elif not raw:
            return None
        else:
            values[field.name] = raw
    return cls(**values)


# ---- officers' buttons -----------------------------------------------------------------------

@dataclass(frozen=True)
class Take(Payload, action="take", audience="officer"):
    case: int


@dataclass(frozen=True)
class Reply(Payload, action="reply", audience="officer"):
    case: int


@dataclass(frozen=True)
class Note(Payload, action="note", audience="officer"):
    case: int


@dataclass(frozen=True)
class Detail(Payload, action="detail", audience="officer"):
    case: int
    page: int = 1


@dataclass(frozen=True)
class States(Payload, action="states", audience="officer"):
    case: int


@dataclass(frozen=True)
class SetState(Payload, action="state", audience="officer"):
    case: int
    state: str


@dataclass(frozen=True)
class Reopen(Payload, action="reopen", audience="officer"):
    case: int


@dataclass(frozen=True)
class FundView(Payload, action="fund", audience="officer"):
    case: int
    request: int


@dataclass(frozen=True)
class FundAct(Payload, action="fundact", audience="officer"):
    case: int
    request: int
    status: str


# ---- principals' buttons ---------------------------------------------------------------------

@dataclass(frozen=True)
class AskFund(Payload, action="pfund", audience="principal"):
    case: int


@dataclass(frozen=True)
class UrgentCase(Payload, action="purgent", audience="principal"):
    """On the emergency numbers: "the emergency is about my open case", instead of a new report."""
    case: int


@dataclass(frozen=True)
class PickDate(Payload, action="form", audience="anyone"):
    """LINE's date-time picker in a conversation step; the picked value arrives beside it."""

    step: str
