"""A fake LINE platform for tests, local runs and benchmarks: Messaging API on loopback plus webhooks."""
from bot.fake_line.events import (
    DEFAULT_DESTINATION,
    EventBuilder,
    file_event,
    follow_event,
    image_event,
    join_event,
    location_event,
    new_group_id,
    new_message_id,
    new_user_id,
    new_webhook_event_id,
    postback_event,
    signature,
    sticker_event,
    text_event,
    unfollow_event,
    unsend_event,
    video_event,
    webhook_body,
)
from bot.fake_line.people import LineUser
from bot.fake_line.server import Delivery, FakeClock, FakeLinePlatform, http_deliverer

__all__ = [
    "DEFAULT_DESTINATION", "Delivery", "EventBuilder", "FakeClock", "FakeLinePlatform", "LineUser",
    "file_event", "follow_event", "http_deliverer", "image_event", "join_event", "location_event",
    "new_group_id", "new_message_id", "new_user_id", "new_webhook_event_id", "postback_event",
    "signature", "sticker_event", "text_event", "unfollow_event", "unsend_event", "video_event",
    "webhook_body",
]
