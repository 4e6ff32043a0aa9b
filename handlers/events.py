"""Translate LINE webhook events into calls on bot/, one unit of work per event."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from bot.core import audit
from bot.line import messages as m
from bot.line import inbox
from bot.line import outbox
from bot.photos import pipeline as photos
from bot.photos.media_store import MediaStore
from bot.dialogue.answers import Answer
from bot.dialogue.payloads import PickDate, decode
from bot.conversation import Turn, greet, in_group, on_input
from bot.services import Services
from bot.core.texts import say
from models import LineGroup, Outbox

log = logging.getLogger(__name__)


def handle(services: Services, row_id: int, event: dict) -> list[Outbox] | None:
    """Handle one stored event exactly once; returns the messages it queued (sent by `send_queued`).

    None means another worker has already handled it.
    """
    try:
        return _handle_once(services, row_id, event)
    except Exception:  # noqa: BLE001 - a person is waiting: apologise rather than stay silent
        log.exception("event %s (%r) failed", event.get("webhookEventId"), event.get("type"))
        return _apologise(services, row_id, event)


def _handle_once(services: Services, row_id: int, event: dict) -> list[Outbox] | None:
    now = services.now()
    with services.db.session() as session:
        # the worker sends the answers as soon as this commits; some pushes wait to go together
        outbox.send_after_commit(session, now, services.settings.push_coalesce_seconds)
        audit.tag(session, "line")  # what this event records was done from LINE
        source = event.get("source") or {}
        handler = HANDLERS.get(event.get("type"))
        reply = handler(Turn(session, source.get("userId", ""), now, services.settings), event) if handler else None
        if handler is None:
            log.info("ignoring event of type %r", event.get("type"))  # %r: no line breaks from outside
        if reply and event.get("replyToken") and _chat_id(source):
            outbox.enqueue_reply(session, _chat_id(source), event["replyToken"], reply[:5], now, _issued_at(event))
            for start in range(5, len(reply), 5):  # LINE takes 5 messages a request: the rest follow by push
                outbox.enqueue_push(session, _chat_id(source), reply[start:start + 5], now, "reply_overflow")
        # Taken last, in the same transaction: if another worker took it meanwhile, all of the above is
        # rolled back. Writing last also keeps SQLite's single write lock, which webhooks wait for, short.
        if not inbox.take(session, row_id, now):
            log.info("event %s was handled already", event.get("webhookEventId"))
            return None
        session.commit()
        return outbox.queued(session)


def _issued_at(event: dict) -> datetime | None:
    """When LINE issued the event's reply token: the event's own time (milliseconds since 1970)."""
    stamp = event.get("timestamp")
    if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 < stamp < 10 ** 14:
        return None
    return datetime.fromtimestamp(stamp / 1000, tz=timezone.utc)


def _chat_id(source: dict) -> str:
    return source.get("groupId") or source.get("roomId") or source.get("userId", "")


def _apologise(services: Services, row_id: int, event: dict) -> list[Outbox] | None:
    """Record the event as failed (it is not tried again) and tell the person to try once more."""
    token, source = event.get("replyToken"), event.get("source") or {}
    with services.db.session() as session:
        outbox.send_after_commit(session, services.now())
        if not inbox.take(session, row_id, services.now(), outcome="failed"):
            return None
        queued = []
        if token and source.get("type") == "user" and source.get("userId"):
            reply = [m.text(say("internal_error"))]
            queued.append(outbox.enqueue_reply(session, source["userId"], token, reply, services.now(),
                                               _issued_at(event)))
        session.commit()
        return queued


# ---- event handlers: translate, call bot/, return the reply ---------------------------------

def on_message(turn: Turn, event: dict) -> list[dict] | None:
    source, message = event.get("source") or {}, event.get("message") or {}
    if source.get("type") == "group" and message.get("type") == "text":
        return in_group(turn, source.get("groupId", ""), message.get("text", ""))
    if source.get("type") != "user":
        log.info("ignoring a message in a %s chat", source.get("type"))
        return None
    kind = message.get("type", "other")
    if kind == "text":
        answer = Answer("text", message.get("text", ""), message.get("id", ""))
    elif kind == "image":
        answer = Answer("image", "", message.get("id", ""), message.get("imageSet"))
    else:
        answer = Answer(kind if kind in ("sticker", "location", "video", "audio", "file") else "other")
    return on_input(turn, answer)


def on_postback(turn: Turn, event: dict) -> list[dict] | None:
    if (event.get("source") or {}).get("type") != "user":
        return None
    postback = event.get("postback") or {}
    params = postback.get("params") or {}
    if "datetime" in params or "date" in params or isinstance(decode(postback.get("data", "")), PickDate):
        # a date picked, or a form's picker that sent none: the form asks its question again
        return on_input(turn, Answer("datetime", params.get("datetime") or params.get("date", "")))
    return on_input(turn, Answer("postback", postback.get("data", "")))


def on_follow(turn: Turn, event: dict) -> list[dict]:
    return greet(turn)


def on_unfollow(turn: Turn, event: dict) -> None:
    log.info("a user blocked or removed the Official Account")
    return None


def on_unsend(turn: Turn, event: dict) -> None:
    message_id = (event.get("unsend") or {}).get("messageId", "")
    if photos.on_unsent(turn.session, message_id, MediaStore(turn.settings.media_dir), turn.now):
        log.info("a photo was unsent by its sender and removed")
    return None


def on_join(turn: Turn, event: dict) -> list[dict] | None:
    source = event.get("source") or {}
    log.info("the bot joined %s %s", source.get("type"), source.get("groupId") or source.get("roomId"))
    return [m.text(say("group_joined"))] if source.get("type") == "group" else None


def on_leave(turn: Turn, event: dict) -> None:
    group = turn.session.get(LineGroup, (event.get("source") or {}).get("groupId", ""))
    if group is not None:
        group.active = False
        log.info("the bot left registered group %s: notices stopped", group.group_id)
    return None


HANDLERS = {
    "message": on_message,
    "postback": on_postback,
    "follow": on_follow,
    "unfollow": on_unfollow,
    "join": on_join,
    "unsend": on_unsend,
    "leave": on_leave,
}
