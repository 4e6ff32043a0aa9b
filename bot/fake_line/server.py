"""A fake LINE platform on loopback: the Messaging API the bot calls, and the webhooks it receives.

Point line-bot-sdk at it with `Configuration(host=platform.base_url)`; plug the bot's
webhook in through `platform.deliver`. Time comes from an injected clock, so tests move
time forward instead of sleeping.
"""
from __future__ import annotations

import copy
import fnmatch
import random
import threading
import time
from datetime import datetime, timezone
from typing import Callable

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from bot.fake_line.api import REPLY_TOKEN_LIFETIME, MessagingApiEndpoints
from bot.fake_line.events import EventBuilder, new_user_id, signature, webhook_body
from bot.fake_line.records import (Content, Delivery, Failure, FakeClock, RandomTimeouts, Rejection, ReplyToken,
                                   RichMenu, rejection_problems)

__all__ = ["Delivery", "FakeClock", "FakeLinePlatform", "Rejection", "http_deliverer"]

Deliverer = Callable[[bytes, str], int]
Listener = Callable[[str, object], None]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request drowns test output
        pass


def _matches(path: str, prefix: str) -> bool:
    """A prefix, or with `*` a whole-path pattern ("/v2/bot/message/*/content")."""
    return fnmatch.fnmatchcase(path, prefix) if "*" in prefix else path.startswith(prefix)


def http_deliverer(url: str, timeout: float = 10.0) -> Deliverer:
    """Deliver webhooks to a running bot over HTTP, as LINE does; returns the status code."""

    def deliver(body: bytes, sig: str) -> int:
        headers = {"X-Line-Signature": sig, "Content-Type": "application/json"}
        return requests.post(url, data=body, headers=headers, timeout=timeout).status_code

    return deliver


class FakeLinePlatform(EventBuilder, MessagingApiEndpoints):
    """LINE as the bot sees it: an HTTP Messaging API on 127.0.0.1 and a webhook sender."""

    def __init__(self, channel_secret: str, access_token: str = "test-access-token",
                 clock: Callable[[], datetime] | None = None):
        self.channel_secret = channel_secret
        self.access_token = access_token
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.bot_user_id = new_user_id()
        self.deliver: Deliverer | None = None
        self.base_url = ""
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # notified on every request and delivery
        self._server = self._thread = None
        self._failures: list[Failure] = []
        self._slow: list[RandomTimeouts] = []
        self._contents: dict[str, Content] = {}
        self._profiles: dict[str, dict] = {}
        self._tokens: dict[str, ReplyToken] = {}
        self._retry_keys: dict[str, tuple[str, datetime]] = {}
        self._rich_menus: dict[str, RichMenu] = {}
        self._default_rich_menu: str | None = None
        self._user_rich_menus: dict[str, str] = {}  # user id -> the menu linked to that person
        self._requests: list[dict] = []
        self._deliveries: list[Delivery] = []
        self._sent_events: list[dict] = []
        self._rejections: list[Rejection] = []
        self._listeners: list[Listener] = []
        self._push_quota: int | None = None  # None: no monthly limit (LINE's "type": "none")
        self._push_usage = 0  # pushes this month, one per recipient, as LINE counts them

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> str:
        """Serve the Messaging API on a free loopback port; returns the base URL."""
        if self._server is None:
            self._server = make_server("127.0.0.1", 0, self.wsgi_app, threaded=True,
                                       request_handler=_QuietHandler)
            self.base_url = f"http://127.0.0.1:{self._server.server_port}"
            self._thread = threading.Thread(target=lambda: self._server.serve_forever(poll_interval=0.05), name="fake-line", daemon=True)
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving (requests still sleeping on an injected delay are abandoned)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> "FakeLinePlatform":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- time and reply tokens -----------------------------------------------------------------

    def now(self) -> datetime:
        """The platform's time, from the injected clock."""
        return self.clock()

    def issue_reply_token(self, chat_id: str) -> str:
        """A fresh reply token valid for `chat_id` for one minute, once."""
        token = super().issue_reply_token(chat_id)
        with self._lock:
            self._tokens[token] = ReplyToken(chat_id, self.now())
        return token

    def reply_token_chat(self, token: str) -> str | None:
        """The chat a reply token was issued for, without using it."""
        with self._lock:
            issued = self._tokens.get(token)
            return issued.chat_id if issued else None

    def _use_reply_token(self, token: str) -> str | None:
        """The chat a token answers, marking it used; None if unknown, used or expired."""
        with self._lock:
            issued = self._tokens.get(token)
            if issued is None or issued.used or self.now() - issued.issued_at >= REPLY_TOKEN_LIFETIME:
                return None
            issued.used = True
            return issued.chat_id

    # -- what the platform knows -----------------------------------------------------------------

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg",
                    pending: int = 0, gone: bool = False) -> None:
        """Make a sent photo, video or file downloadable (202 `pending` times first; 410 if gone)."""
        with self._lock:
            self._contents[message_id] = Content(data, content_type, pending, gone)

    def content(self, message_id: str) -> Content | None:
        """What a person sent as a photo, video or file (as LINE keeps it), if anything."""
        with self._lock:
            return self._contents.get(message_id)

    def set_content_state(self, message_id: str, pending: int | None = None, gone: bool | None = None) -> None:
        """Change whether content is still being prepared or was unsent."""
        with self._lock:
            content = self._contents[message_id]
            content.pending = content.pending if pending is None else pending
            content.gone = content.gone if gone is None else gone

    def add_profile(self, user_id: str, display_name: str, picture_url: str | None = None) -> None:
        """Make a user's profile readable (a friend of the bot)."""
        profile = {"userId": user_id, "displayName": display_name, "language": "th"}
        if picture_url:
            profile["pictureUrl"] = picture_url
        with self._lock:
            self._profiles[user_id] = profile

    def remove_profile(self, user_id: str) -> None:
        """Make a user's profile 404, as for a user who blocked the bot."""
        with self._lock:
            self._profiles.pop(user_id, None)

    def profile(self, user_id: str) -> dict | None:
        """The profile the API would serve for `user_id`, if any."""
        with self._lock:
            found = self._profiles.get(user_id)
            return dict(found) if found else None

    def user(self, user_id: str | None = None, display_name: str = "ผู้ใช้ทดสอบ"):
        """A person on LINE who is a friend of the bot, ready to type and tap."""
        from bot.fake_line.people import LineUser

        user_id = user_id or new_user_id()
        self.add_profile(user_id, display_name)
        return LineUser(self, user_id, display_name)

    # -- the monthly push quota --------------------------------------------------------------

    def set_push_quota(self, limit: int | None, used: int | None = None) -> None:
        """Give the channel a monthly push quota (None: unlimited), optionally with pushes already used.

        Over it, a push or multicast is answered 429 "You have reached your monthly limit." as LINE does.
        """
        with self._lock:
            self._push_quota = limit
            self._push_usage = self._push_usage if used is None else used

    @property
    def push_usage(self) -> int:
        """Pushes counted against the quota so far (one per recipient; replies are free)."""
        with self._lock:
            return self._push_usage

    # -- failure injection -------------------------------------------------------------------

    def fail_next(self, path_prefix: str, status: int, times: int = 1, body: dict | None = None,
                  delay: float = 0, done: bool = False) -> None:
        """Answer the next `times` requests under `path_prefix` with `status`, after `delay` s.

        A prefix with `*` is a whole-path pattern instead: "/v2/bot/message/*/content" fails downloads only.
        With `done` each request is carried out before the failure is answered (the answer was lost).
        """
        with self._lock:
            self._failures.append(Failure(path_prefix, status, times, body, delay, done))

    def hold_next(self, path_prefix: str, times: int = 1, done: bool = False,
                  chat: str | None = None) -> threading.Event:
        """Hold the next `times` requests under `path_prefix` (for `chat` only, if given: a multicast
        including it too) until the returned event is set.

        With `done` each is carried out at once and only its answer waits (LINE accepted it, the
        answer is on its way); otherwise it is carried out when released. Held at most a minute.
        """
        release = threading.Event()
        with self._lock:
            self._failures.append(Failure(path_prefix, 200, times, None, 0, done, release, chat))
        return release

    def time_out_share(self, path_prefix: str, share: float, seconds: float, seed: int = 0) -> None:
        """From now on, answer `share` (0..1) of the requests under `path_prefix` only after `seconds`.

        Meant to be longer than the bot waits: a LINE having a bad day. Half of the slow requests
        are carried out (their answer is lost), half never are; `seed` makes the choice repeatable.
        """
        with self._lock:
            self._slow.append(RandomTimeouts(path_prefix, share, seconds, random.Random(seed)))

    def clear_failures(self) -> None:
        """Forget failures not yet used up, and stop slowing requests down."""
        with self._lock:
            self._failures.clear()
            self._slow.clear()

    def _take_failure(self, path: str, body=None) -> Failure | None:
        to = body.get("to") if isinstance(body, dict) else None
        with self._lock:
            for failure in self._failures:
                if (_matches(path, failure.prefix) and failure.times > 0
                        and (failure.chat is None or failure.chat == to
                             or (isinstance(to, list) and failure.chat in to))):
                    failure.times -= 1
                    return failure
            for slow in self._slow:
                if _matches(path, slow.prefix) and slow.rng.random() < slow.share:
                    return Failure(slow.prefix, 504, 1, {"message": "Gateway timeout"}, slow.seconds,
                                   done=slow.rng.random() < 0.5)
            return None

    # -- records -------------------------------------------------------------------------------

    def _record_request(self, entry: dict) -> None:
        with self._lock:
            self._requests.append(entry)
            self._changed.notify_all()

    def _record_delivery(self, kind: str, to: str, messages: list[dict], retry_key: str | None) -> None:
        with self._lock:
            delivery = Delivery(kind, to, copy.deepcopy(messages), retry_key, self.now())
            self._deliveries.append(delivery)
            self._changed.notify_all()
            self._tell("delivery", delivery)

    def _record_rejection(self, status: int, path: str, payload: dict | None, chat_ids: tuple[str, ...]) -> None:
        message, problems = rejection_problems(payload)
        with self._lock:
            rejection = Rejection(status, path, message, problems, chat_ids, self.now())
            self._rejections.append(rejection)
            self._tell("rejection", rejection)

    def _tell(self, kind: str, record) -> None:
        for listener in self._listeners:  # under the lock: listeners see records in platform order
            listener(kind, record)

    def listen(self, listener: Listener) -> None:
        """Call `listener(kind, record)` for each delivery ("delivery") and rejection ("rejection")."""
        with self._lock:
            self._listeners.append(listener)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `condition()` holds, re-checked at each request and delivery; False after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.5))
            return True

    @property
    def rejections(self) -> list[Rejection]:
        """Every request refused as LINE refuses it (bad body, limits, tokens), in order."""
        with self._lock:
            return list(self._rejections)

    @property
    def requests(self) -> list[dict]:
        """Every API request received: dicts with method, path, headers and json."""
        with self._lock:
            return list(self._requests)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every accepted reply, push and multicast, one per recipient, in order."""
        with self._lock:
            return list(self._deliveries)

    def messages_to(self, chat_id: str) -> list[dict]:
        """All messages delivered to a user or group, in order."""
        return [m for d in self.deliveries if d.to == chat_id for m in d.messages]

    def pushes_to(self, chat_id: str) -> list[Delivery]:
        """The pushes (and multicasts) delivered to a user or group."""
        return [d for d in self.deliveries if d.to == chat_id and d.kind != "reply"]

    def clear(self) -> None:
        """Forget recorded requests, deliveries, rejections and sent events."""
        with self._lock:
            self._requests.clear()
            self._deliveries.clear()
            self._sent_events.clear()
            self._rejections.clear()

    # -- webhooks ------------------------------------------------------------------------------

    @property
    def sent_events(self) -> list[dict]:
        """Every webhook event sent to the bot, in order."""
        with self._lock:
            return list(self._sent_events)

    @property
    def last_event(self) -> dict | None:
        """The last webhook event sent to the bot."""
        events = self.sent_events
        return events[-1] if events else None

    def send(self, events: list[dict] | dict) -> int:
        """Sign and deliver one webhook body carrying `events`; returns the bot's HTTP status."""
        if self.deliver is None:
            raise RuntimeError("FakeLinePlatform.deliver is not set: plug in the bot's webhook first")
        events = [events] if isinstance(events, dict) else list(events)
        body = webhook_body(events, self.bot_user_id)
        with self._lock:
            self._sent_events.extend(events)
        return self.deliver(body, signature(self.channel_secret, body))

    def redeliver(self, event: dict) -> int:
        """Send an event again as LINE's redelivery does: same webhookEventId, isRedelivery true."""
        again = copy.deepcopy(event)
        again["deliveryContext"] = {"isRedelivery": True}
        return self.send([again])
