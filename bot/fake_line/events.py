"""Webhook events shaped exactly as LINE sends them, plus the signed body that carries them.

Each builder takes an `issuer` first: the fake platform (or anything with `now()` and
`issue_reply_token(chat_id)`), so reply tokens are ones the platform will later accept.
`None` gives the real time and a token nobody remembers. The same functions are methods
of `EventBuilder`, which FakeLinePlatform inherits: `line.text_event(user_id, "hi")`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timezone

DEFAULT_DESTINATION = "U" + "b07" * 10 + "00"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_user_id() -> str:
    """A LINE-shaped user id: "U" and 32 hex digits."""
    return "U" + secrets.token_hex(16)


def new_group_id() -> str:
    """A LINE-shaped group id: "C" and 32 hex digits."""
    return "C" + secrets.token_hex(16)


def new_message_id() -> str:
    """A LINE-shaped message id: a string of 18 digits."""
    return str(10**17 + secrets.randbelow(9 * 10**17))


def new_quote_token() -> str:
    """An opaque quote token like the ones LINE puts on messages."""
    return secrets.token_urlsafe(48)


def new_webhook_event_id(at: datetime | None = None) -> str:
    """A 26-character ULID: 48 bits of milliseconds, then 80 random bits, in Crockford base32."""
    ms = int((at or datetime.now(timezone.utc)).timestamp() * 1000)
    value = (ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def webhook_body(events: list[dict], destination: str = DEFAULT_DESTINATION) -> bytes:
    """The raw bytes LINE POSTs to the webhook: UTF-8 JSON with Thai left unescaped."""
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False).encode("utf-8")


def signature(channel_secret: str, body: bytes) -> str:
    """The X-Line-Signature for a body: Base64 of HMAC-SHA256 keyed by the channel secret."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _now(issuer) -> datetime:
    return issuer.now() if issuer is not None else datetime.now(timezone.utc)


def _reply_token(issuer, chat_id: str) -> str:
    return issuer.issue_reply_token(chat_id) if issuer is not None else secrets.token_hex(16)


def _source(user_id: str | None, group_id: str | None) -> dict:
    if group_id is None:
        return {"type": "user", "userId": user_id}
    source = {"type": "group", "groupId": group_id}
    if user_id is not None:
        source["userId"] = user_id
    return source


def _event(issuer, kind: str, user_id: str | None, group_id: str | None = None, reply: bool = True) -> dict:
    at = _now(issuer)
    event = {
        "type": kind,
        "mode": "active",
        "timestamp": int(at.timestamp() * 1000),
        "source": _source(user_id, group_id),
        "webhookEventId": new_webhook_event_id(at),
        "deliveryContext": {"isRedelivery": False},
    }
    if reply:
        event["replyToken"] = _reply_token(issuer, group_id or user_id)
    return event


def _message_event(issuer, user_id: str, message: dict, group_id: str | None, message_id: str | None = None) -> dict:
    event = _event(issuer, "message", user_id, group_id)
    event["message"] = {"id": message_id or new_message_id(), **message}
    return event


def text_event(issuer, user_id: str, text: str, group_id: str | None = None) -> dict:
    """A person typed `text` (in a one-to-one chat, or in a group when `group_id` is given)."""
    message = {"type": "text", "text": text, "quoteToken": new_quote_token()}
    return _message_event(issuer, user_id, message, group_id)


def image_event(issuer, user_id: str, message_id: str | None = None, image_set: dict | None = None,
                group_id: str | None = None) -> dict:
    """A person sent a photo stored by LINE; `image_set` marks one of several sent together."""
    message = {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": new_quote_token()}
    if image_set is not None:
        message["imageSet"] = dict(image_set)
    return _message_event(issuer, user_id, message, group_id, message_id)


def video_event(issuer, user_id: str, message_id: str | None = None, duration_ms: int = 3000,
                group_id: str | None = None) -> dict:
    """A person sent a video stored by LINE."""
    message = {"type": "video", "duration": duration_ms, "contentProvider": {"type": "line"},
               "quoteToken": new_quote_token()}
    return _message_event(issuer, user_id, message, group_id, message_id)


def file_event(issuer, user_id: str, file_name: str, file_size: int, message_id: str | None = None,
               group_id: str | None = None) -> dict:
    """A person sent a file (LINE gives its name and size; the bytes are fetched as content)."""
    message = {"type": "file", "fileName": file_name, "fileSize": file_size}
    return _message_event(issuer, user_id, message, group_id, message_id)


def sticker_event(issuer, user_id: str, package_id: str = "446", sticker_id: str = "1988",
                  group_id: str | None = None) -> dict:
    """A person sent a sticker."""
    message = {"type": "sticker", "packageId": package_id, "stickerId": sticker_id,
               "stickerResourceType": "STATIC", "quoteToken": new_quote_token()}
    return _message_event(issuer, user_id, message, group_id)


def location_event(issuer, user_id: str, title: str = "ตำแหน่งที่ตั้ง", latitude: float = 13.7563,
                   longitude: float = 100.5018, address: str | None = None, group_id: str | None = None) -> dict:
    """A person shared a location."""
    message = {"type": "location", "title": title, "latitude": latitude, "longitude": longitude}
    if address is not None:
        message["address"] = address
    return _message_event(issuer, user_id, message, group_id)


def postback_event(issuer, user_id: str, data: str, params: dict | None = None,
                   group_id: str | None = None) -> dict:
    """A person tapped a postback or date-time picker button; `params` carries the picked value."""
    event = _event(issuer, "postback", user_id, group_id)
    event["postback"] = {"data": data}
    if params is not None:
        event["postback"]["params"] = dict(params)
    return event


def follow_event(issuer, user_id: str, is_unblocked: bool = False) -> dict:
    """A person added the bot as a friend (or unblocked it)."""
    event = _event(issuer, "follow", user_id)
    event["follow"] = {"isUnblocked": is_unblocked}
    return event


def unfollow_event(issuer, user_id: str) -> dict:
    """A person blocked the bot; LINE gives no reply token."""
    return _event(issuer, "unfollow", user_id, reply=False)


def join_event(issuer, group_id: str) -> dict:
    """The bot was added to a group."""
    return _event(issuer, "join", None, group_id)


def unsend_event(issuer, user_id: str, message_id: str, group_id: str | None = None) -> dict:
    """A person took back a message they had sent; LINE gives no reply token."""
    event = _event(issuer, "unsend", user_id, group_id, reply=False)
    event["unsend"] = {"messageId": message_id}
    return event


class EventBuilder:
    """The builders above as methods, with `self` issuing reply tokens and telling the time."""

    def now(self) -> datetime:
        """The current time (overridden by the platform with its injected clock)."""
        return datetime.now(timezone.utc)

    def issue_reply_token(self, chat_id: str) -> str:
        """A new reply token for `chat_id` (the platform overrides this to remember it)."""
        return secrets.token_hex(16)

    text_event = text_event
    image_event = image_event
    video_event = video_event
    file_event = file_event
    sticker_event = sticker_event
    location_event = location_event
    postback_event = postback_event
    follow_event = follow_event
    unfollow_event = unfollow_event
    join_event = join_event
    unsend_event = unsend_event
