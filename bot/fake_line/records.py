"""What the fake LINE platform remembers: deliveries, rejections, content, reply tokens, its clock."""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class Delivery:
    """Messages LINE accepted for one chat: by reply, push or multicast."""

    kind: str
    to: str
    messages: list[dict]
    retry_key: str | None
    at: datetime


@dataclass(frozen=True)
class Rejection:
    """A Messaging API request LINE refused (4xx other than a repeated retry key), and why."""

    status: int
    path: str
    message: str
    problems: list[str]
    chat_ids: tuple[str, ...]  # the chats it was meant for, when the body says
    at: datetime


@dataclass
class Failure:
    """An injected failure: the next `times` requests under `prefix` get `status`.

    With `done` the request is carried out first and only its answer is lost, as when LINE did
    the work but the reply timed out or a proxy answered 5xx.
    """

    prefix: str
    status: int
    times: int
    body: dict | None
    delay: float
    done: bool = False
    release: threading.Event | None = None  # held: the answer waits until this is set
    chat: str | None = None  # only requests for this chat ("to")


@dataclass
class RandomTimeouts:
    """A share of the requests under `prefix` take `seconds` to answer (longer than the bot waits).

    Half of those are carried out first (LINE did the work, the answer was lost), half not at all.
    """

    prefix: str
    share: float
    seconds: float
    rng: random.Random


@dataclass
class Content:
    """A photo, video or file a user sent, as LINE keeps it for download."""

    data: bytes
    content_type: str
    pending: int = 0
    gone: bool = False


@dataclass
class RichMenu:
    """A rich menu created through the API: its definition and, once uploaded, its picture."""

    rich_menu_id: str
    definition: dict
    image: bytes | None = None
    content_type: str = ""

    def as_json(self) -> dict:
        """The menu as LINE lists it: the definition with its id."""
        return {"richMenuId": self.rich_menu_id, **self.definition}


@dataclass
class ReplyToken:
    """A reply token LINE issued with an event: one chat, one use, one minute."""

    chat_id: str
    issued_at: datetime
    used: bool = False


@dataclass
class FakeClock:
    """A settable clock for the platform (and the app): call it for the time, advance it by hand."""

    current: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        """Move time forward by timedelta keywords, e.g. advance(seconds=61)."""
        self.current += timedelta(**delta)
        return self.current


def rejection_problems(payload: dict | None) -> tuple[str, list[str]]:
    """LINE's error body as a headline and one line per detail ("messages[0].text: …")."""
    payload = payload if isinstance(payload, dict) else {}
    message = str(payload.get("message") or "Request refused")
    details = [f"{d.get('property')}: {d.get('message')}" if d.get("property") else str(d.get("message"))
               for d in payload.get("details") or [] if isinstance(d, dict)]
    return message, details or [message]
