"""The fake LINE platform as people use it in a browser: personas, their chats, what they send and tap.

Everything a persona does goes through the platform as a signed webhook, exactly as a test's
`LineUser` does; this module adds what a phone screen needs: the sender's own bubbles, unread
counts, and messages made ready to draw (buttons numbered, image links made local).
"""
from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass

from bot.fake_line.chats import ChatEntry, ChatLog
from bot.fake_line.events import new_message_id
from bot.fake_line.people import LineUser
from bot.fake_line.records import RichMenu
from bot.line.limits import tappable_actions, utf16_len

MAX_TEXT_UNITS = 5000  # what LINE lets a person type into one message
MAX_PHOTOS = 20  # LINE sends at most 20 photos at once
LINK_KEYS = ("originalContentUrl", "previewImageUrl", "url", "thumbnailImageUrl", "imageUrl", "uri", "text")


class SimulatorError(ValueError):
    """Something a persona cannot do (as the LINE app would not let them); the message says what."""


@dataclass(frozen=True)
class Persona:
    """Someone to be in the simulator: who types (`user_id`) and in which chat (`chat_id`)."""

    key: str
    name: str
    role: str  # principal, officer, supervisor or group
    title: str  # shown under the name, in Thai
    user_id: str
    chat_id: str

    def as_dict(self) -> dict:
        """What the page needs to list this persona."""
        return {"key": self.key, "name": self.name, "role": self.role, "title": self.title}


class Simulator:
    """Personas chatting with the bot through a FakeLinePlatform; what the web page drives."""

    def __init__(self, platform, personas: list[Persona], public_base_url: str = ""):
        self.platform = platform
        self.chats = ChatLog(platform)
        self.personas = {p.key: p for p in personas}
        self.public_base_url = public_base_url.rstrip("/")
        self._names = {p.user_id: p.name for p in personas if p.role != "group"}
        for user_id, name in self._names.items():
            platform.add_profile(user_id, name)

    def persona(self, key: str) -> Persona:
        """The persona named `key`; KeyError if there is none."""
        return self.personas[key]

    def officer_personas(self) -> list[tuple[str, str]]:
        """(key, name) of the officers and the supervisor: who can sign in to the web console."""
        return [(p.key, p.name) for p in self.personas.values() if p.role in ("officer", "supervisor")]

    def person(self, key: str) -> LineUser:
        """The persona as a LineUser (in their group, for the group persona)."""
        persona = self.persona(key)
        user = LineUser(self.platform, persona.user_id, self._names.get(persona.user_id, persona.name))
        return user if persona.chat_id == persona.user_id else user.in_group(persona.chat_id)

    def _shown(self, key: str, message: dict) -> None:
        persona = self.persona(key)
        self.chats.add_sent(persona.chat_id, persona.user_id, message)

    # -- what a persona does -----------------------------------------------------------------

    def says(self, key: str, text: str) -> int:
        """Type and send a text; returns the bot's webhook status."""
        if not text.strip():
            raise SimulatorError("ข้อความว่าง")
        if utf16_len(text) > MAX_TEXT_UNITS:
            raise SimulatorError(f"ข้อความยาวเกิน {MAX_TEXT_UNITS:,} ตัวอักษร")
        self._shown(key, {"type": "text", "text": text})
        return self.person(key).says(text)

    def sends_sticker(self, key: str, package_id: str = "446", sticker_id: str = "1988") -> int:
        """Send a sticker."""
        self._shown(key, {"type": "sticker", "packageId": package_id, "stickerId": sticker_id})
        return self.person(key).sends_sticker(package_id, sticker_id)

    def sends_location(self, key: str, title: str, latitude: float, longitude: float, address: str = "") -> int:
        """Share a location."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise SimulatorError("พิกัดไม่ถูกต้อง")
        shown = {"type": "location", "title": title, "address": address, "latitude": latitude, "longitude": longitude}
        self._shown(key, shown)
        return self.person(key).sends_location(title, latitude, longitude, address or None)

    def sends_photos(self, key: str, photos: list[tuple[bytes, str]]) -> list[str]:
        """Send photos picked from disk, several at once as one image set; returns their message ids."""
        if not 1 <= len(photos) <= MAX_PHOTOS:
            raise SimulatorError(f"ส่งภาพได้ครั้งละ 1–{MAX_PHOTOS} ภาพ")
        persona, set_id = self.persona(key), secrets.token_hex(16).upper()
        ids = []
        for index, (data, content_type) in enumerate(photos, start=1):
            message_id = new_message_id()
            self.platform.add_content(message_id, data, content_type or "application/octet-stream")
            self._shown(key, {"type": "image", "contentId": message_id})
            image_set = {"id": set_id, "index": index, "total": len(photos)} if len(photos) > 1 else None
            group = persona.chat_id if persona.chat_id != persona.user_id else None
            self.platform.send([self.platform.image_event(persona.user_id, message_id, image_set, group)])
            ids.append(message_id)
        return ids

    def taps(self, key: str, seq: int, index: int, picked: str | None = None):
        """Tap button number `index` of chat entry `seq`; a date-time picker sends `picked`."""
        entry = self.chats.entry(self.persona(key).chat_id, seq)
        actions = tappable_actions(entry.message) if entry is not None and entry.side == "bot" else []
        return self._uses(key, actions, index, picked)

    def taps_menu(self, key: str, rich_menu_id: str, index: int, picked: str | None = None):
        """Tap area number `index` of the rich menu under the chat, if `rich_menu_id` is still the one shown."""
        menu = self._rich_menu(key)
        areas = menu.definition["areas"] if menu and menu.rich_menu_id == rich_menu_id else []
        return self._uses(key, [area["action"] for area in areas], index, picked)

    def _uses(self, key: str, actions: list[dict], index: int, picked: str | None):
        """Send action number `index` as LINE does when it is tapped; a link is returned, not sent."""
        if not 0 <= index < len(actions):
            raise SimulatorError("ไม่พบปุ่มนี้")
        action = actions[index]
        if action.get("type") == "datetimepicker" and not picked:
            raise SimulatorError("กรุณาเลือกวันและเวลา")
        if action.get("type") == "message":
            self._shown(key, {"type": "text", "text": action.get("text", "")})
        elif action.get("type") == "postback" and action.get("displayText"):
            self._shown(key, {"type": "text", "text": action["displayText"]})
        try:
            return self.person(key).uses(action, picked)
        except AssertionError as error:  # camera, location and other actions open the phone's own UI
            raise SimulatorError("ปุ่มนี้เปิดหน้าจอของโทรศัพท์ ซึ่งเครื่องจำลองไม่มี") from error

    # -- what the page shows -------------------------------------------------------------------

    def view(self, key: str, after: int = 0, local_base: str = "") -> list[dict]:
        """A persona's chat entries newer than `after`, ready to draw; marks the chat read.

        Links on the bot's public address are given on `local_base` (this app as the page sees it).
        """
        persona = self.persona(key)
        entries = [self._for_page(e, local_base) for e in self.chats.entries(persona.chat_id, after)]
        self.chats.mark_read(persona.chat_id)
        return entries

    def rich_menu(self, key: str, local_base: str = "") -> dict | None:
        """The default rich menu as LINE lists it, ready to draw (its areas' actions numbered), or None.

        LINE shows rich menus only in one-to-one chats, so the group persona has none.
        """
        menu = self._rich_menu(key)
        if menu is None:
            return None
        shown = copy.deepcopy(menu.as_json())
        for number, area in enumerate(shown["areas"]):
            area["action"]["_tap"] = number
        if self.public_base_url:
            _relink(shown, self.public_base_url + "/", local_base.rstrip("/") + "/")
        return shown

    def _rich_menu(self, key: str) -> RichMenu | None:
        persona = self.persona(key)
        return self.platform.rich_menu_of(persona.user_id) if persona.chat_id == persona.user_id else None

    def summary(self) -> list[dict]:
        """Every persona with its unread count and the newest bubble's kind, for the list of chats."""
        out = []
        for persona in self.personas.values():
            last = self.chats.last(persona.chat_id)
            out.append({**persona.as_dict(), "unread": self.chats.unread(persona.chat_id),
                        "last": _preview(last.message) if last else ""})
        return out

    def clear(self) -> None:
        """Forget every chat and what the platform recorded (the demo data was reset)."""
        self.chats.clear()
        self.platform.clear()

    def _for_page(self, entry: ChatEntry, local_base: str) -> dict:
        message = copy.deepcopy(entry.message)
        for number, action in enumerate(tappable_actions(message) if entry.side == "bot" else []):
            action["_tap"] = number
        if self.public_base_url and entry.side == "bot":
            _relink(message, self.public_base_url + "/", local_base.rstrip("/") + "/")
        sender = self._names.get(entry.sender_id or "", "")
        return {"seq": entry.seq, "side": entry.side, "at": entry.at.isoformat(), "sender": sender,
                "message": message}


def _relink(node, public: str, local: str) -> None:
    """Links on the simulated public https address point back at this app (see handlers/simulator_mode)."""
    if isinstance(node, list):
        for child in node:
            _relink(child, public, local)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in LINK_KEYS and isinstance(value, str):
                node[key] = value.replace(public, local)
            elif isinstance(value, (dict, list)):
                _relink(value, public, local)


def _preview(message: dict) -> str:
    """A short line for the chat list, as LINE shows under a chat's name."""
    kind = message.get("type")
    if kind in ("text", "textV2"):
        return message.get("text", "")[:60]
    if kind in ("flex", "template"):
        return message.get("altText", "")[:60]
    return {"image": "ส่งรูปภาพ", "sticker": "ส่งสติกเกอร์", "location": "ส่งตำแหน่งที่ตั้ง",
            "problem": "LINE ปฏิเสธข้อความ"}.get(kind, "ข้อความ")
