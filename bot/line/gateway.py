"""The only code that talks to LINE: line-bot-sdk v3 behind a few plain methods."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.exceptions import ApiException

from bot.core import metrics

log = logging.getLogger(__name__)

LINE_API_HOST = "https://api.line.me"
LINE_DATA_HOST = "https://api-data.line.me"
QUOTA_USED_UP = "you have reached your monthly limit"  # LINE's 429 when the month's pushes are spent
UPLOAD_TIMEOUT = 30.0  # a rich menu image (up to 1 MB) may take longer than a message to send


@dataclass(frozen=True)
class SendResult:
    """What became of one request to LINE: delivered, worth retrying, or refused for good."""

    outcome: str  # "ok", "retry", "refused" or "quota" (the month's pushes are used up)
    status: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class LineNotConfigured(RuntimeError):
    """Raised when LINE is called before its credentials are set."""


class LineGateway:
    """Sends replies and pushes, downloads content; `base_url` swaps LINE for a fake or proxy."""

    def __init__(self, access_token: str, base_url: str = "", timeout: float = 5.0):
        self.configured = bool(access_token)
        self.timeout = timeout
        self._api = self._blob = None
        if self.configured:
            api_host, data_host = (base_url.rstrip("/"),) * 2 if base_url else (LINE_API_HOST, LINE_DATA_HOST)
            self._api = MessagingApi(ApiClient(Configuration(host=api_host, access_token=access_token)))
            self._blob = MessagingApiBlob(ApiClient(Configuration(host=data_host, access_token=access_token)))

    def reply(self, reply_token: str, messages: list[dict]) -> SendResult:
        """Answer an event with its (single-use, short-lived) reply token."""
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        return self._call(lambda: self._require(self._api).reply_message(request, _request_timeout=self.timeout))

    def push(self, to: str, messages: list[dict], retry_key: str) -> SendResult:
        """Push to a user or group; the retry key makes a repeat harmless (409 = delivered)."""
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        return self._call(
            lambda: self._require(self._api).push_message(request, x_line_retry_key=retry_key, _request_timeout=self.timeout)
        )

    def multicast(self, to: list[str], messages: list[dict], retry_key: str) -> SendResult:
        """Push the same messages to up to 500 users in one request (LINE counts one push per user)."""
        request = MulticastRequest.from_dict({"to": to, "messages": messages})
        return self._call(
            lambda: self._require(self._api).multicast(request, x_line_retry_key=retry_key, _request_timeout=self.timeout)
        )

    def quota(self) -> tuple[SendResult, int | None, int | None]:
        """This month's push quota (None: LINE sets no limit) and the pushes used so far, as LINE counts them."""
        result, limit = self._fetch(lambda: self._require(self._api).get_message_quota(_request_timeout=self.timeout))
        if not result.ok:
            return result, None, None
        result, used = self._fetch(lambda: self._require(self._api).get_message_quota_consumption(
            _request_timeout=self.timeout))
        if not result.ok:
            return result, None, None
        return result, limit.value if limit.type == "limited" else None, used.total_usage

    def show_loading(self, chat_id: str, seconds: int = 20) -> SendResult:
        """Show the typing animation in a one-to-one chat while slow work runs."""
        request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds)
        return self._call(lambda: self._require(self._api).show_loading_animation(request, _request_timeout=self.timeout))

    def content(self, message_id: str) -> tuple[SendResult, bytes | None]:
        """Download what a user sent (a photo); 202 means LINE is still preparing it."""
        try:
            response = self._require(self._blob).get_message_content_with_http_info(
                message_id, _request_timeout=self.timeout
            )
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            return _classify(exc), None
        if response.status_code == 202:
            return SendResult("retry", 202, "content not ready"), None
        return SendResult("ok", response.status_code), bytes(response.data)

    def create_rich_menu(self, menu: dict) -> tuple[SendResult, str | None]:
        """Create a rich menu (LINE's menu bar under the chat) from its JSON shape; returns its id."""
        result, response = self._fetch(
            lambda: self._require(self._api).create_rich_menu(RichMenuRequest.from_dict(menu),
                                                             _request_timeout=self.timeout))
        return result, response.rich_menu_id if response is not None else None

    def upload_rich_menu_image(self, rich_menu_id: str, image: bytes, content_type: str) -> SendResult:
        """Attach the menu's picture (PNG or JPEG, at most 1 MB); LINE takes one per menu, once."""
        return self._call(lambda: self._require(self._blob).set_rich_menu_image(
            rich_menu_id, body=image, _headers={"Content-Type": content_type},
            _request_timeout=max(self.timeout, UPLOAD_TIMEOUT)))

    def set_default_rich_menu(self, rich_menu_id: str) -> SendResult:
        """Show this rich menu to every user who has no menu of their own."""
        return self._call(lambda: self._require(self._api).set_default_rich_menu(
            rich_menu_id, _request_timeout=self.timeout))

    def default_rich_menu_id(self) -> tuple[SendResult, str | None]:
        """The id of the menu everyone sees; (ok, None) when LINE says there is no default menu."""
        result, response = self._fetch(
            lambda: self._require(self._api).get_default_rich_menu_id(_request_timeout=self.timeout))
        if result.status == 404:
            return SendResult("ok", 404, result.detail), None
        return result, response.rich_menu_id if response is not None else None

    def rich_menus(self) -> tuple[SendResult, list[dict]]:
        """Every rich menu of the channel, as LINE's JSON (richMenuId, name, size, areas, ...)."""
        result, response = self._fetch(
            lambda: self._require(self._api).get_rich_menu_list(_request_timeout=self.timeout))
        return result, [menu.to_dict() for menu in response.richmenus] if response is not None else []

    def delete_rich_menu(self, rich_menu_id: str) -> SendResult:
        """Delete a rich menu (people who had it see the default one, or none)."""
        return self._call(lambda: self._require(self._api).delete_rich_menu(
            rich_menu_id, _request_timeout=self.timeout))

    def link_rich_menu(self, user_id: str, rich_menu_id: str) -> SendResult:
        """Show this person their own rich menu (the officers' menu) instead of the default."""
        return self._call(lambda: self._require(self._api).link_rich_menu_id_to_user(
            user_id, rich_menu_id, _request_timeout=self.timeout))

    def unlink_rich_menu(self, user_id: str) -> SendResult:
        """Give this person the default rich menu again (an officer who was deactivated)."""
        return self._call(lambda: self._require(self._api).unlink_rich_menu_id_from_user(
            user_id, _request_timeout=self.timeout))

    def _fetch(self, call):
        """Run an SDK call that answers something: (result, answer), the answer None on failure."""
        try:
            answer = call()
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            return _classify(exc), None
        return SendResult("ok", 200), answer

    def _require(self, api):
        if api is None:
            raise LineNotConfigured("LINE_CHANNEL_ACCESS_TOKEN is not set")
        return api

    def _call(self, send) -> SendResult:
        try:
            send()
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            return _classify(exc)
        return SendResult("ok", 200)


def _classify(exc: Exception) -> SendResult:
    """5xx, 429, timeouts and lost connections are worth retrying; other 4xx never are."""
    result = _classified(exc)
    if not result.ok:
        metrics.line_error(result.status)
    return result


def _classified(exc: Exception) -> SendResult:
    if isinstance(exc, LineNotConfigured):
        return SendResult("retry", None, str(exc))
    if isinstance(exc, ApiException):
        status = exc.status or 0
        detail = str(exc.body or exc.reason or "")[:500]
        if status == 409:  # the retry key was accepted before: the push was delivered
            return SendResult("ok", 409, detail)
        if status == 429 and QUOTA_USED_UP in detail.lower():  # not a rate limit: retrying cannot help
            return SendResult("quota", 429, detail)
        outcome = "retry" if status >= 500 or status == 429 or status == 0 else "refused"
        return SendResult(outcome, status, detail)
    log.warning("LINE request failed: %s", exc)
    return SendResult("retry", None, f"{type(exc).__name__}: {exc}"[:500])
