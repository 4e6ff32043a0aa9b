"""LINE's message limits, checked in one place before anything is sent.

Messages are plain dicts in LINE's JSON shape (camelCase keys). The SDK's models
check a few limits (5 messages, 13 quick replies, 300-char postback data) but not
text length in UTF-16 units or label length in Thai characters, so every rule we
rely on lives here and is shared by the gateway and the fake LINE platform.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

MAX_MESSAGES = 5
MAX_TEXT_UNITS = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL = 20
MAX_ACTION_DATA = 300
MAX_URI = 1000
MAX_IMAGE_URL = 2000
MAX_FLEX_ALT_TEXT = 1500
MAX_TEMPLATE_ALT_TEXT = 400
# "30 KB" / "50 KB" read as decimal kilobytes: the stricter reading is the safe one.
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_CAROUSEL_BUBBLES = 12
URI_SCHEMES = ("http://", "https://", "tel:", "line://")
DATETIME_MODES = ("date", "time", "datetime")
ELLIPSIS = "…"
_MARKS = ("Mn", "Me", "Mc")


class LineLimitError(ValueError):
    """Raised when messages would be refused by LINE; `problems` lists why."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def utf16_len(s: str) -> int:
    """Length of `s` as LINE counts text: UTF-16 code units (an emoji is 2)."""
    return len(s.encode("utf-16-le")) // 2


def _clusters(s: str) -> list[str]:
    """Split into base characters each followed by its combining marks (Thai vowels, tones)."""
    out: list[str] = []
    for ch in s:
        if out and unicodedata.category(ch) in _MARKS:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def label_length(s: str) -> int:
    """Length of a button label as a person sees it: combining marks do not count."""
    return len(_clusters(s))


def clip_label(s: str, n: int = MAX_LABEL) -> str:
    """Shorten a label to `n` visible characters, ending with "…" when cut."""
    clusters = _clusters(s)
    if len(clusters) <= n:
        return s
    return "".join(clusters[: max(n - 1, 0)]) + ELLIPSIS


def clip_text(s: str, limit: int = MAX_TEXT_UNITS) -> str:
    """Shorten a text to `limit` UTF-16 units, ending with "…" when cut."""
    if utf16_len(s) <= limit:
        return s
    kept, used = [], utf16_len(ELLIPSIS)
    for cluster in _clusters(s):
        used += utf16_len(cluster)
        if used > limit:
            break
        kept.append(cluster)
    return "".join(kept) + ELLIPSIS


def check(messages: list[dict]) -> None:
    """Raise LineLimitError if LINE would refuse these messages."""
    found = problems(messages)
    if found:
        raise LineLimitError(found)


def problems(messages: list[dict]) -> list[str]:
    """Every way these messages break LINE's limits, as short English sentences."""
    if not isinstance(messages, list):
        return ["messages must be a list"]
    found = []
    if not 1 <= len(messages) <= MAX_MESSAGES:
        found.append(f"a request carries 1..{MAX_MESSAGES} messages, not {len(messages)}")
    for i, message in enumerate(messages):
        found += [f"messages[{i}]: {p}" for p in _message_problems(message)]
    return found


def _message_problems(message) -> list[str]:
    if not isinstance(message, dict):
        return ["is not an object"]
    check_kind = _BY_TYPE.get(message.get("type"))
    found = check_kind(message) if check_kind else [f"unknown message type {message.get('type')!r}"]
    return found + _quick_reply_problems(message.get("quickReply"))


def _text_problems(message: dict) -> list[str]:
    text = message.get("text")
    if not isinstance(text, str) or not text:
        return ["text is empty"]
    units = utf16_len(text)
    return [f"text is {units} UTF-16 units, over {MAX_TEXT_UNITS}"] if units > MAX_TEXT_UNITS else []


def _image_problems(message: dict) -> list[str]:
    found = []
    for key in ("originalContentUrl", "previewImageUrl"):
        url = message.get(key)
        if not isinstance(url, str) or not url.startswith("https://"):
            found.append(f"{key} must be an https URL")
        elif len(url) > MAX_IMAGE_URL:
            found.append(f"{key} is {len(url)} chars, over {MAX_IMAGE_URL}")
    return found


def _alt_text_problems(message: dict, limit: int) -> list[str]:
    alt = message.get("altText")
    if not isinstance(alt, str) or not alt:
        return ["altText is empty"]
    return [f"altText is {len(alt)} chars, over {limit}"] if len(alt) > limit else []


def _json_size(obj) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _flex_problems(message: dict) -> list[str]:
    found = _alt_text_problems(message, MAX_FLEX_ALT_TEXT)
    contents = message.get("contents")
    if not isinstance(contents, dict):
        return found + ["flex contents missing"]
    if contents.get("type") == "carousel":
        found += _carousel_size_problems(contents)
    elif _json_size(contents) > MAX_BUBBLE_BYTES:
        found.append(f"flex bubble is {_json_size(contents)} bytes, over {MAX_BUBBLE_BYTES}")
    return found + _actions_problems(_flex_actions(contents))


def _carousel_size_problems(carousel: dict) -> list[str]:
    found, bubbles = [], carousel.get("contents") or []
    if not 1 <= len(bubbles) <= MAX_CAROUSEL_BUBBLES:
        found.append(f"flex carousel has {len(bubbles)} bubbles, not 1..{MAX_CAROUSEL_BUBBLES}")
    if _json_size(carousel) > MAX_CAROUSEL_BYTES:
        found.append(f"flex carousel is {_json_size(carousel)} bytes, over {MAX_CAROUSEL_BYTES}")
    for j, bubble in enumerate(bubbles):
        if _json_size(bubble) > MAX_BUBBLE_BYTES:
            found.append(f"flex bubble {j} is {_json_size(bubble)} bytes, over {MAX_BUBBLE_BYTES}")
    return found


def _template_problems(message: dict) -> list[str]:
    found = _alt_text_problems(message, MAX_TEMPLATE_ALT_TEXT)
    template = message.get("template")
    if not isinstance(template, dict):
        return found + ["template missing"]
    kind = template.get("type")
    if kind == "buttons":
        found += _buttons_template_problems(template)
    elif kind == "confirm":
        found += _confirm_template_problems(template)
    return found + _actions_problems(_template_actions(template))


def _buttons_template_problems(template: dict) -> list[str]:
    found = []
    actions = template.get("actions") or []
    if not 1 <= len(actions) <= 4:
        found.append(f"buttons template has {len(actions)} actions, not 1..4")
    title = template.get("title") or ""
    if len(title) > 40:
        found.append(f"template title is {len(title)} chars, over 40")
    limit = 60 if title or template.get("thumbnailImageUrl") else 160
    found += _template_text_problems(template, limit)
    return found


def _confirm_template_problems(template: dict) -> list[str]:
    found = _template_text_problems(template, 240)
    actions = template.get("actions") or []
    if len(actions) != 2:
        found.append(f"confirm template has {len(actions)} actions, needs exactly 2")
    return found


def _template_text_problems(template: dict, limit: int) -> list[str]:
    text = template.get("text")
    if not isinstance(text, str) or not text:
        return ["template text is empty"]
    return [f"template text is {len(text)} chars, over {limit}"] if len(text) > limit else []


def _quick_reply_problems(quick_reply) -> list[str]:
    if quick_reply is None:
        return []
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
        count = len(items) if isinstance(items, list) else 0
        return [f"quick reply has {count} items, not 1..{MAX_QUICK_REPLY_ITEMS}"]
    return _actions_problems((item.get("action"), True) for item in items if isinstance(item, dict))


def _actions_problems(actions: Iterator[tuple[dict, bool]]) -> list[str]:
    found = []
    for action, needs_label in actions:
        found += action_problems(action, needs_label)
    return found


def action_problems(action, needs_label: bool = True) -> list[str]:
    """Why LINE would refuse one action object (empty list when it is fine)."""
    if not isinstance(action, dict):
        return ["action missing"]
    kind = action.get("type")
    where = f"{kind} action {action.get('label')!r}"
    found = _label_problems(action.get("label"), needs_label)
    if kind in ("postback", "datetimepicker"):
        found += _max_len(action, "data", MAX_ACTION_DATA, required=True)
        found += _max_len(action, "displayText", MAX_ACTION_DATA)
    if kind == "datetimepicker" and action.get("mode") not in DATETIME_MODES:
        found.append(f"mode must be one of {', '.join(DATETIME_MODES)}")
    if kind == "message":
        found += _max_len(action, "text", MAX_ACTION_DATA, required=True)
    if kind == "uri":
        found += _uri_problems(action.get("uri"))
    if kind not in _ACTION_TYPES:
        found.append("unknown action type")
    return [f"{where}: {p}" for p in found]


def _label_problems(label, required: bool) -> list[str]:
    if label is None or label == "":
        return ["label is empty"] if required else []
    if not isinstance(label, str):
        return ["label is not text"]
    size = label_length(label)
    return [f"label is {size} characters, over {MAX_LABEL}"] if size > MAX_LABEL else []


def _max_len(action: dict, key: str, limit: int, required: bool = False) -> list[str]:
    value = action.get(key)
    if value is None or value == "":
        return [f"{key} is empty"] if required else []
    size = len(str(value))
    return [f"{key} is {size} chars, over {limit}"] if size > limit else []


def _uri_problems(uri) -> list[str]:
    if not isinstance(uri, str) or not uri.startswith(URI_SCHEMES):
        return ["uri must start with http://, https://, tel: or line://"]
    return [f"uri is {len(uri)} chars, over {MAX_URI}"] if len(uri) > MAX_URI else []


def _flex_actions(node) -> Iterator[tuple[dict, bool]]:
    """Every action inside flex contents; buttons are the ones that need a label."""
    if isinstance(node, list):
        for child in node:
            yield from _flex_actions(child)
    elif isinstance(node, dict):
        if isinstance(node.get("action"), dict):
            yield node["action"], node.get("type") == "button"
        for key, child in node.items():
            if key != "action" and isinstance(child, (dict, list)):
                yield from _flex_actions(child)


def _template_actions(template: dict) -> Iterator[tuple[dict, bool]]:
    for action in template.get("actions") or []:
        yield action, True
    if isinstance(template.get("defaultAction"), dict):
        yield template["defaultAction"], False
    for column in template.get("columns") or []:
        if isinstance(column, dict):
            yield from _template_actions(column)
            if isinstance(column.get("action"), dict):  # image carousel column: label optional
                yield column["action"], False


def tappable_actions(message: dict) -> list[dict]:
    """Actions a person can tap by label in one message: quick replies, template and flex buttons."""
    found = [item.get("action") for item in (message.get("quickReply") or {}).get("items") or []]
    if message.get("type") == "flex":
        found += [a for a, is_button in _flex_actions(message.get("contents")) if is_button]
    if message.get("type") == "template" and isinstance(message.get("template"), dict):
        found += [a for a, _ in _template_actions(message["template"]) if isinstance(a, dict) and a.get("label")]
    return [a for a in found if isinstance(a, dict)]


_ACTION_TYPES = (
    "postback", "message", "uri", "datetimepicker", "camera", "cameraRoll",
    "location", "richmenuswitch", "clipboard",
)
_BY_TYPE = {
    "text": _text_problems,
    "textV2": _text_problems,
    "image": _image_problems,
    "flex": _flex_problems,
    "template": _template_problems,
    "sticker": lambda message: [],
    "location": lambda message: [],
    "video": lambda message: [],
    "audio": lambda message: [],
    "imagemap": lambda message: [],
}
