"""People on the fake LINE platform: they type, tap, send photos and read what the bot said."""
from __future__ import annotations

import secrets

from bot.fake_line.events import new_message_id
from bot.line.limits import tappable_actions


class LineUser:
    """One person chatting with the bot; every send goes through the platform's webhook."""

    def __init__(self, platform, user_id: str, display_name: str, group_id: str | None = None):
        self.platform = platform
        self.user_id = user_id
        self.display_name = display_name
        self.group_id = group_id  # set: this person speaking in that group
        self.last_status: int | None = None

    def __repr__(self) -> str:
        return f"LineUser({self.user_id!r}, {self.display_name!r})"

    def in_group(self, group_id: str) -> "LineUser":
        """The same person writing in a group chat the bot is in."""
        return LineUser(self.platform, self.user_id, self.display_name, group_id)

    def _send(self, event: dict) -> int:
        self.last_status = self.platform.send([event])
        return self.last_status

    # -- sending -------------------------------------------------------------------------------

    def says(self, text: str, group_id: str | None = None) -> int:
        """Type a text message (in a group when `group_id` is given); returns the webhook status."""
        return self._send(self.platform.text_event(self.user_id, text, group_id=group_id or self.group_id))

    def sends_sticker(self, package_id: str = "446", sticker_id: str = "1988") -> int:
        """Send a sticker."""
        return self._send(self.platform.sticker_event(self.user_id, package_id, sticker_id, self.group_id))

    def sends_location(self, title: str, lat: float, lon: float, address: str | None = None) -> int:
        """Share a location."""
        return self._send(self.platform.location_event(self.user_id, title, lat, lon, address, self.group_id))

    def sends_image(self, data: bytes, image_set: dict | None = None, content_type: str = "image/jpeg",
                    pending: int = 0) -> str:
        """Send a photo (one of a set when `image_set` is given); returns its message id."""
        message_id = self._store(data, content_type, pending)
        self._send(self.platform.image_event(self.user_id, message_id, image_set, self.group_id))
        return message_id

    def sends_images(self, photos: list[bytes]) -> list[str]:
        """Send several photos at once, as LINE does: one image event each, sharing an imageSet."""
        set_id = secrets.token_hex(16).upper()
        total = len(photos)
        return [self.sends_image(data, {"id": set_id, "index": i, "total": total})
                for i, data in enumerate(photos, start=1)]

    def sends_video(self, data: bytes, content_type: str = "video/mp4") -> str:
        """Send a video; returns its message id."""
        message_id = self._store(data, content_type)
        self._send(self.platform.video_event(self.user_id, message_id))
        return message_id

    def sends_file(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Send a file; returns its message id."""
        message_id = self._store(data, content_type)
        self._send(self.platform.file_event(self.user_id, name, len(data), message_id))
        return message_id

    def unsends(self, message_id: str) -> int:
        """Take back a sent message; its content then answers 410."""
        try:
            self.platform.set_content_state(message_id, gone=True)
        except KeyError:  # a text or sticker: nothing to download anyway
            pass
        return self._send(self.platform.unsend_event(self.user_id, message_id))

    def follows(self) -> int:
        """Add the bot as a friend (again, after blocking it)."""
        unblocked = self.platform.profile(self.user_id) is None
        self.platform.add_profile(self.user_id, self.display_name)
        return self._send(self.platform.follow_event(self.user_id, is_unblocked=unblocked))

    def unfollows(self) -> int:
        """Block the bot: the profile then answers 404."""
        self.platform.remove_profile(self.user_id)
        return self._send(self.platform.unfollow_event(self.user_id))

    def taps(self, label: str, picks: str | None = None, group_id: str | None = None):
        """Tap a quick reply or button on the latest message that has some, as LINE would.

        Message actions send their text, postbacks their data, date-time pickers the
        value in `picks`; a link is not sent anywhere: its uri is returned instead.
        Otherwise the webhook status is returned.
        """
        return self.uses(self._find_action(label, group_id), picks, group_id)

    def uses(self, action: dict, picks: str | None = None, group_id: str | None = None):
        """Tap one action (a quick reply or button this person was sent); see `taps`."""
        group_id, kind = group_id or self.group_id, action.get("type")
        if kind == "message":
            return self._send(self.platform.text_event(self.user_id, action["text"], group_id=group_id))
        if kind == "postback":
            return self._send(self.platform.postback_event(self.user_id, action["data"], group_id=group_id))
        if kind == "datetimepicker":
            return self._pick(action, picks, group_id)
        if kind == "uri":
            return action["uri"]
        raise AssertionError(f"tapping a {kind!r} action ({action.get('label')!r}) opens the phone's UI; "
                             "nothing is sent")

    def _pick(self, action: dict, picks: str | None, group_id: str | None) -> int:
        if picks is None:
            raise AssertionError(f"{action.get('label')!r} is a date-time picker: say what is picked with picks=")
        params = {action.get("mode", "datetime"): picks}
        return self._send(self.platform.postback_event(self.user_id, action["data"], params, group_id=group_id))

    def _find_action(self, label: str, group_id: str | None) -> dict:
        chat = self.platform.messages_to(group_id or self.group_id or self.user_id)
        for message in reversed(chat):
            actions = tappable_actions(message)
            if actions:
                for action in actions:
                    if action.get("label") == label:
                        return action
                labels = [a.get("label") for a in actions]
                raise AssertionError(f"no button {label!r} on the latest message with buttons; there are {labels}")
        raise AssertionError(f"no button {label!r}: no message with buttons was delivered to this chat")

    def _store(self, data: bytes, content_type: str, pending: int = 0) -> str:
        message_id = new_message_id()
        self.platform.add_content(message_id, data, content_type, pending=pending)
        return message_id

    # -- reading -------------------------------------------------------------------------------

    def messages(self) -> list[dict]:
        """Every message the bot delivered to this person (or to their group), in order."""
        return self.platform.messages_to(self.group_id or self.user_id)

    def last_message(self) -> dict | None:
        """The latest message delivered to this person."""
        messages = self.messages()
        return messages[-1] if messages else None

    def texts(self) -> list[str]:
        """What each delivered message says: its text, or the altText of a flex or template."""
        return [t for t in (_readable(m) for m in self.messages()) if t is not None]

    def last_text(self) -> str | None:
        """What the latest readable message says."""
        texts = self.texts()
        return texts[-1] if texts else None

    def quick_reply_labels(self) -> list[str]:
        """The quick-reply labels under the latest message (LINE shows them only there)."""
        last = self.last_message() or {}
        items = (last.get("quickReply") or {}).get("items") or []
        return [item["action"].get("label") for item in items]


def _readable(message: dict) -> str | None:
    if message.get("type") in ("text", "textV2"):
        return message.get("text")
    if message.get("type") in ("flex", "template"):
        return message.get("altText")
    return None
