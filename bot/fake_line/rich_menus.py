"""The rich menu endpoints of the fake platform: create, upload the picture, make default, list, delete.

A mixin of MessagingApiEndpoints; the platform holds the menus (`_rich_menus`) and the default
(`_default_rich_menu`) under its lock. Sizes follow LINE's current rules (800-2500 px wide, at
least 250 px high, width/height at least 1.45: 2500x1686 and 2500x843 among them); the picture
must also be the menu's own size, so a stretched menu is caught here rather than on a phone.
"""
from __future__ import annotations

import io
import uuid

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, UnidentifiedImageError

from bot.line import limits as line_limits
from bot.fake_line.records import RichMenu

MAX_AREAS = 20
MAX_IMAGE_BYTES = 1_000_000  # "1 MB", read strictly
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}
REQUIRED = ("size", "selected", "name", "chatBarText", "areas")


def _error(status: int, message: str, details: list[tuple[str, str]] = ()) -> tuple[int, dict]:
    body = {"message": message}
    if details:
        body["details"] = [{"message": text, "property": prop} for prop, text in details]
    return status, body


def menu_problems(body: dict) -> list[tuple[str, str]]:
    """Why LINE would refuse this rich menu object, as (property, message) pairs."""
    missing = [(key, "must be specified") for key in REQUIRED if body.get(key) is None]
    if missing:
        return missing
    size = body["size"]
    width, height = size.get("width") or 0, size.get("height") or 0
    found = [] if _valid_size(width, height) else [("size", f"{width}x{height} is not a rich menu size")]
    areas = body["areas"]
    if not 1 <= len(areas) <= MAX_AREAS:
        found.append(("areas", f"must have 1 to {MAX_AREAS} areas, not {len(areas)}"))
    for index, area in enumerate(areas):
        bounds = area.get("bounds") or {}
        if not _inside(bounds, width, height):
            found.append((f"areas[{index}].bounds", "must have x, y, width and height inside the rich menu"))
        found += [(f"areas[{index}].action", text) for text in line_limits.action_problems(area.get("action"), False)]
    return found


def _inside(bounds: dict, width: int, height: int) -> bool:
    x, y, w, h = (bounds.get(key) for key in ("x", "y", "width", "height"))
    if None in (x, y, w, h):
        return False
    return x + w <= width and y + h <= height


def _schema_problems(exc: Exception) -> list[tuple[str, str]]:
    """The SDK's complaint about a body as (property, message) pairs."""
    errors = exc.errors() if callable(getattr(exc, "errors", None)) else []
    found = [(".".join(str(part) for part in error["loc"]), error["msg"]) for error in errors]
    return found or [("", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)]


def _valid_size(width: int, height: int) -> bool:
    return 800 <= width <= 2500 and height >= 250 and width / height >= 1.45


def image_problem(menu: RichMenu, data: bytes, content_type: str) -> tuple[int, str] | None:
    """Why LINE would refuse this picture for `menu` (status, message), or None."""
    if content_type not in IMAGE_TYPES:
        return 415, "Unsupported media type"
    if len(data) > MAX_IMAGE_BYTES:
        return 413, "The image is larger than 1 MB"
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return 400, "The image cannot be read"
    if image.format != IMAGE_TYPES[content_type]:
        return 400, f"The image is {image.format}, not {content_type}"
    expected = (menu.definition["size"]["width"], menu.definition["size"]["height"])
    if image.size != expected:
        return 400, f"The image is {image.size[0]}x{image.size[1]}, the rich menu {expected[0]}x{expected[1]}"
    return None


class RichMenuEndpoints:
    """/v2/bot/richmenu/..., /v2/bot/user/all/richmenu/... and per-user links; expects the platform's state."""

    def _on_richmenu_create(self, request, body, request_id):
        if not isinstance(body, dict):
            return _error(400, "The request body is not a JSON object")
        try:
            RichMenuRequest.from_dict(body)
        except Exception as exc:  # the SDK raises ValueError (pydantic's, with errors()), TypeError or KeyError
            return _error(400, "The request body is invalid", _schema_problems(exc))
        problems = menu_problems(body)
        if problems:
            return _error(400, f"The request body has {len(problems)} error(s)", problems)
        menu = RichMenu(f"richmenu-{uuid.uuid4().hex}", {key: body[key] for key in REQUIRED})
        with self._lock:
            self._rich_menus[menu.rich_menu_id] = menu
        return 200, {"richMenuId": menu.rich_menu_id}

    def _on_richmenu_content(self, request, body, request_id, rich_menu_id):
        data, content_type = request.get_data(), request.mimetype
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            if menu is None:
                return _error(404, "Not found")
            if menu.image is not None:
                return _error(400, "An image has already been uploaded to the richmenu")
            problem = image_problem(menu, data, content_type)
            if problem:
                return _error(*problem)
            menu.image, menu.content_type = data, content_type
        return 200, {}

    def _on_richmenu_get(self, request, body, request_id, rich_menu_id):
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            return (200, menu.as_json()) if menu else _error(404, "Not found")

    def _on_richmenu_list(self, request, body, request_id):
        with self._lock:
            return 200, {"richmenus": [menu.as_json() for menu in self._rich_menus.values()]}

    def _on_richmenu_delete(self, request, body, request_id, rich_menu_id):
        with self._lock:
            if self._rich_menus.pop(rich_menu_id, None) is None:
                return _error(404, "Not found")
            if self._default_rich_menu == rich_menu_id:
                self._default_rich_menu = None
            self._user_rich_menus = {u: r for u, r in self._user_rich_menus.items() if r != rich_menu_id}
        return 200, {}

    def _unappliable(self, rich_menu_id):
        """LINE's refusal to show this menu to anyone (unknown, or no picture yet); None when it may be shown."""
        menu = self._rich_menus.get(rich_menu_id)
        if menu is None:
            return _error(404, "Not found")
        if menu.image is None:
            return _error(400, "must upload richmenu image before applying it to user")
        return None

    def _on_richmenu_set_default(self, request, body, request_id, rich_menu_id):
        with self._lock:
            if refused := self._unappliable(rich_menu_id):
                return refused
            self._default_rich_menu = rich_menu_id
        return 200, {}

    def _on_richmenu_get_default(self, request, body, request_id):
        with self._lock:
            default = self._default_rich_menu
        return (200, {"richMenuId": default}) if default else _error(404, "no default richmenu")

    def _on_richmenu_cancel_default(self, request, body, request_id):
        with self._lock:
            self._default_rich_menu = None
        return 200, {}

    def _on_richmenu_link(self, request, body, request_id, user_id, rich_menu_id):
        with self._lock:
            if refused := self._unappliable(rich_menu_id):
                return refused
            self._user_rich_menus[user_id] = rich_menu_id
        return 200, {}

    def _on_richmenu_of_user(self, request, body, request_id, user_id):
        with self._lock:
            linked = self._user_rich_menus.get(user_id)
        return (200, {"richMenuId": linked}) if linked else _error(404, "the user has no richmenu")

    def _on_richmenu_unlink(self, request, body, request_id, user_id):
        with self._lock:
            self._user_rich_menus.pop(user_id, None)
        return 200, {}

    # -- what tests and the simulator read ---------------------------------------------------

    def rich_menu_of(self, user_id: str) -> RichMenu | None:
        """The menu this person sees: the one linked to them, else the default."""
        with self._lock:
            linked = self._rich_menus.get(self._user_rich_menus.get(user_id, ""))
            return linked or self._rich_menus.get(self._default_rich_menu or "")

    def linked_rich_menu(self, user_id: str) -> RichMenu | None:
        """The menu linked to this person only (None: they see the default)."""
        with self._lock:
            return self._rich_menus.get(self._user_rich_menus.get(user_id, ""))

    @property
    def rich_menus(self) -> list[RichMenu]:
        """Every rich menu created and not deleted, oldest first."""
        with self._lock:
            return list(self._rich_menus.values())

    @property
    def default_rich_menu(self) -> RichMenu | None:
        """The menu every user sees unless given their own, if one was set."""
        with self._lock:
            return self._rich_menus.get(self._default_rich_menu or "")
