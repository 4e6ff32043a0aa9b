"""The Messaging API endpoints of the fake platform, answering as LINE does.

A mixin of FakeLinePlatform: the platform holds the state (reply tokens, retry keys,
content, profiles, records) and its lock; this module decides the answers.
"""
from __future__ import annotations

import json
import re
import time
import uuid
from datetime import timedelta

from linebot.v3.messaging import MulticastRequest, PushMessageRequest, ReplyMessageRequest
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from bot.line import limits as line_limits
from bot.fake_line.events import new_message_id, new_quote_token
from bot.fake_line.rich_menus import RichMenuEndpoints

REPLY_TOKEN_LIFETIME = timedelta(seconds=60)
RETRY_KEY_LIFETIME = timedelta(hours=24)
MAX_MULTICAST = 500
QUOTA_USED_UP = "You have reached your monthly limit."
AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."

_ROUTES = Map([
    Rule("/v2/bot/message/reply", methods=["POST"], endpoint="reply"),
    Rule("/v2/bot/message/push", methods=["POST"], endpoint="push"),
    Rule("/v2/bot/message/multicast", methods=["POST"], endpoint="multicast"),
    Rule("/v2/bot/message/quota", methods=["GET"], endpoint="quota"),
    Rule("/v2/bot/message/quota/consumption", methods=["GET"], endpoint="quota_consumption"),
    Rule("/v2/bot/message/<message_id>/content", methods=["GET"], endpoint="content"),
    Rule("/v2/bot/profile/<user_id>", methods=["GET"], endpoint="profile"),
    Rule("/v2/bot/chat/loading/start", methods=["POST"], endpoint="loading"),
    Rule("/v2/bot/richmenu", methods=["POST"], endpoint="richmenu_create"),
    Rule("/v2/bot/richmenu/list", methods=["GET"], endpoint="richmenu_list"),
    Rule("/v2/bot/richmenu/<rich_menu_id>", methods=["GET"], endpoint="richmenu_get"),
    Rule("/v2/bot/richmenu/<rich_menu_id>", methods=["DELETE"], endpoint="richmenu_delete"),
    Rule("/v2/bot/richmenu/<rich_menu_id>/content", methods=["POST"], endpoint="richmenu_content"),
    Rule("/v2/bot/user/all/richmenu/<rich_menu_id>", methods=["POST"], endpoint="richmenu_set_default"),
    Rule("/v2/bot/user/all/richmenu", methods=["GET"], endpoint="richmenu_get_default"),
    Rule("/v2/bot/user/all/richmenu", methods=["DELETE"], endpoint="richmenu_cancel_default"),
    Rule("/v2/bot/user/<user_id>/richmenu/<rich_menu_id>", methods=["POST"], endpoint="richmenu_link"),
    Rule("/v2/bot/user/<user_id>/richmenu", methods=["GET"], endpoint="richmenu_of_user"),
    Rule("/v2/bot/user/<user_id>/richmenu", methods=["DELETE"], endpoint="richmenu_unlink"),
])
_PROPERTY = re.compile(r"^(messages\[\d+\]): (.*)$")


def json_response(status: int, body: dict | None, request_id: str, headers: dict | None = None) -> Response:
    """A LINE-style answer: JSON (or empty) body and an x-line-request-id header."""
    data = "" if body is None else json.dumps(body, ensure_ascii=False)
    response = Response(data, status=status, mimetype="application/json" if body is not None else None)
    response.headers["x-line-request-id"] = request_id
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _error(status: int, message: str, **extra) -> tuple[int, dict]:
    return status, {"message": message, **extra}


def _details(problems: list[str]) -> list[dict]:
    """LINE's error details: one {message, property} per problem."""
    out = []
    for problem in problems:
        match = _PROPERTY.match(problem)
        prop, text = (match.group(1), match.group(2)) if match else ("messages", problem)
        out.append({"message": text, "property": prop})
    return out


class MessagingApiEndpoints(RichMenuEndpoints):
    """WSGI handling for /v2/bot/...; expects the state attributes FakeLinePlatform sets up."""

    def wsgi_app(self, environ, start_response):
        """Answer one HTTP request as LINE's Messaging API would."""
        request = Request(environ)
        request_id = str(uuid.uuid4())
        body = request.get_json(force=True, silent=True)
        self._record_request({"method": request.method, "path": request.path,
                              "headers": Headers(request.headers), "json": body})
        failure = self._take_failure(request.path, body)
        if failure and failure.release is not None:
            return self._held(failure, request, body, request_id)(environ, start_response)
        if failure and failure.done:
            self._answer(request, body, request_id)  # carried out; only the answer goes astray
        result = self._injected(failure) if failure else self._answer(request, body, request_id)
        if not isinstance(result, Response):
            status, payload, *headers = result
            if failure is None and 400 <= status < 500 and status != 409:  # 409: already delivered, not refused
                self._record_rejection(status, request.path, payload, self._chats_of(body))
            result = json_response(status, payload, request_id, headers[0] if headers else None)
        return result(environ, start_response)

    def _held(self, failure, request, body, request_id) -> Response:
        """Carry out (now with `done`, else once released) and answer only when released."""
        result = self._answer(request, body, request_id) if failure.done else None
        failure.release.wait(60)
        result = result if result is not None else self._answer(request, body, request_id)
        if isinstance(result, Response):
            return result
        status, payload, *headers = result
        return json_response(status, payload, request_id, headers[0] if headers else None)

    @staticmethod
    def _injected(failure):
        if failure.delay:
            time.sleep(failure.delay)
        return failure.status, failure.body or {"message": f"Injected failure {failure.status}"}

    def _chats_of(self, body) -> tuple[str, ...]:
        """Whose chats a refused request was meant for, so the simulator can show it there."""
        if not isinstance(body, dict):
            return ()
        to = body.get("to") or body.get("chatId")
        if isinstance(body.get("replyToken"), str):
            to = self.reply_token_chat(body["replyToken"])
        chats = to if isinstance(to, list) else [to]
        return tuple(chat for chat in chats if isinstance(chat, str))

    def _answer(self, request: Request, body, request_id: str):
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return _error(401, AUTH_FAILED)
        try:
            endpoint, args = _ROUTES.bind_to_environ(request.environ).match()
        except HTTPException:
            return _error(404, "Not found")
        return getattr(self, f"_on_{endpoint}")(request, body, request_id, **args)

    def _invalid(self, model, body) -> tuple[int, dict] | None:
        """First the SDK's own schema, then LINE's limits the SDK does not know."""
        if not isinstance(body, dict):
            return _error(400, "The request body is not a JSON object")
        try:
            model.from_dict(body)
        except Exception as exc:  # the SDK raises ValueError, TypeError or KeyError
            return _error(400, str(exc).splitlines()[0] if str(exc) else "The request body is invalid")
        problems = line_limits.problems(body.get("messages"))
        if problems:
            return _error(400, f"The request body has {len(problems)} error(s)", details=_details(problems))
        return None

    def _on_reply(self, request, body, request_id):
        invalid = self._invalid(ReplyMessageRequest, body)
        if invalid:
            return invalid
        chat_id = self._use_reply_token(body["replyToken"])
        if chat_id is None:
            return _error(400, "Invalid reply token")
        self._record_delivery("reply", chat_id, body["messages"], None)
        return 200, _sent_messages(body["messages"])

    def _on_push(self, request, body, request_id):
        invalid = self._invalid(PushMessageRequest, body)
        if invalid:
            return invalid
        if not str(body["to"]).startswith(("U", "C", "R")):
            return _error(400, "The property, 'to', in the request body is invalid (line: -, column: -)")
        return self._deliver_once(request, request_id, "push", [body["to"]], body["messages"])

    def _on_multicast(self, request, body, request_id):
        invalid = self._invalid(MulticastRequest, body)
        if invalid:
            return invalid
        recipients = body["to"]
        if not 1 <= len(recipients) <= MAX_MULTICAST or not all(str(to).startswith("U") for to in recipients):
            return _error(400, "The property, 'to', in the request body is invalid (line: -, column: -)")
        result = self._deliver_once(request, request_id, "multicast", recipients, body["messages"])
        return (200, {}) if result[0] == 200 else result

    def _deliver_once(self, request, request_id, kind, recipients, messages):
        """Deliver unless the retry key was already accepted (then 409 naming the first request)."""
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and not _is_uuid(key):
            return _error(400, "The value of the X-Line-Retry-Key header is invalid")
        with self._lock:
            accepted = self._accepted_retry_key(key)
            if accepted is not None:
                return (409, {"message": "The retry key is already accepted"},
                        {"x-line-accepted-request-id": accepted})
            if self._push_quota is not None and self._push_usage + len(recipients) > self._push_quota:
                return _error(429, QUOTA_USED_UP)  # LINE counts one message per recipient
            self._push_usage += len(recipients)
            if key is not None:
                self._retry_keys[key] = (request_id, self.now())
            for to in recipients:
                self._record_delivery(kind, to, messages, key)
        return 200, _sent_messages(messages)

    def _accepted_retry_key(self, key: str | None) -> str | None:
        if key is None or key not in self._retry_keys:
            return None
        first_request_id, at = self._retry_keys[key]
        return first_request_id if self.now() - at < RETRY_KEY_LIFETIME else None

    def _on_quota(self, request, body, request_id):
        with self._lock:
            limit = self._push_quota
        return 200, {"type": "none"} if limit is None else {"type": "limited", "value": limit}

    def _on_quota_consumption(self, request, body, request_id):
        with self._lock:
            return 200, {"totalUsage": self._push_usage}

    def _on_content(self, request, body, request_id, message_id):
        with self._lock:
            content = self._contents.get(message_id)
            if content is None:
                return _error(404, "Not found")
            if content.gone:
                return _error(410, "Gone")
            if content.pending > 0:
                content.pending -= 1
                return 202, None
        response = Response(content.data, status=200, content_type=content.content_type)
        response.headers["x-line-request-id"] = request_id
        return response

    def _on_profile(self, request, body, request_id, user_id):
        with self._lock:
            profile = self._profiles.get(user_id)
        if profile is None:
            return _error(404, "Not found")
        return 200, dict(profile)

    def _on_loading(self, request, body, request_id):
        body = body if isinstance(body, dict) else {}
        seconds = body.get("loadingSeconds", 20)
        if not isinstance(seconds, int) or not 5 <= seconds <= 60 or seconds % 5:
            return _error(400, "The property, 'loadingSeconds', in the request body is invalid")
        if not str(body.get("chatId", "")).startswith("U"):
            return _error(400, "The property, 'chatId', in the request body is invalid")
        return 202, {}


def _sent_messages(messages: list[dict]) -> dict:
    return {"sentMessages": [{"id": new_message_id(), "quoteToken": new_quote_token()} for _ in messages]}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
