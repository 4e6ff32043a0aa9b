"""The fake LINE platform, driven by the real line-bot-sdk: it must answer as LINE does."""
from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone

import pytest
import requests
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    ImageMessage,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import (
    FileMessageContent,
    FollowEvent,
    ImageMessageContent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnsendEvent,
    VideoMessageContent,
)
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bot.fake_line import FakeClock, FakeLinePlatform, http_deliverer, new_group_id, signature, webhook_body

SECRET = "fake-line-test-secret"
TOKEN = "fake-line-test-token"


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def line(clock):
    with FakeLinePlatform(SECRET, access_token=TOKEN, clock=clock) as platform:
        yield platform


@pytest.fixture
def received(line):
    """Webhook events the platform delivered, parsed by the SDK as the bot would."""
    events: list = []
    parser = WebhookParser(SECRET)

    def deliver(body: bytes, sig: str) -> int:
        events.extend(parser.parse(body.decode("utf-8"), sig))
        return 200

    line.clear()
    line.clear_failures()
    line.deliver = deliver
    return events


def api(line, token: str = TOKEN) -> MessagingApi:
    return MessagingApi(ApiClient(Configuration(host=line.base_url, access_token=token)))


def blob(line) -> MessagingApiBlob:
    return MessagingApiBlob(ApiClient(Configuration(host=line.base_url, access_token=TOKEN)))


def reply(line, token: str, *messages) -> None:
    api(line).reply_message(ReplyMessageRequest(reply_token=token, messages=list(messages) or [TextMessage(text="ok")]))


def raw_post(line, path: str, body: dict) -> requests.Response:
    return requests.post(line.base_url + path, json=body, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)


# -- reply ------------------------------------------------------------------------------------


def test_reply_with_a_fresh_token_is_delivered_to_the_chat(line, received):
    user = line.user()
    user.says("สวัสดี")
    response = api(line).reply_message(ReplyMessageRequest(reply_token=received[0].reply_token,
                                                            messages=[TextMessage(text="สวัสดีครับ")]))
    assert len(response.sent_messages) == 1 and response.sent_messages[0].id
    assert user.last_text() == "สวัสดีครับ"
    assert line.deliveries[-1].kind == "reply" and line.deliveries[-1].to == user.user_id


def test_reply_in_a_group_goes_to_the_group(line, received):
    group = new_group_id()
    line.user().says("สวัสดี", group_id=group)
    reply(line, received[0].reply_token)
    assert line.messages_to(group) == [{"type": "text", "text": "ok"}]


def test_a_reply_token_works_once(line, received):
    line.user().says("หนึ่ง")
    reply(line, received[0].reply_token)
    with pytest.raises(ApiException) as caught:
        reply(line, received[0].reply_token)
    assert caught.value.status == 400 and json.loads(caught.value.body) == {"message": "Invalid reply token"}
    assert len(line.deliveries) == 1


def test_a_reply_token_expires_after_a_minute(line, received, clock):
    line.user().says("ช้า")
    clock.advance(seconds=61)
    with pytest.raises(ApiException) as caught:
        reply(line, received[0].reply_token)
    assert caught.value.status == 400 and "Invalid reply token" in caught.value.body
    assert line.deliveries == []


def test_a_reply_token_the_platform_never_issued_is_refused(line, received):
    with pytest.raises(ApiException) as caught:
        reply(line, "f" * 32)
    assert caught.value.status == 400


# -- message limits -------------------------------------------------------------------------------


def test_a_text_over_5000_utf16_units_is_refused(line, received):
    user = line.user()
    with pytest.raises(ApiException) as caught:
        api(line).push_message(PushMessageRequest(to=user.user_id, messages=[TextMessage(text="😀" * 2500 + "ก")]))
    assert caught.value.status == 400
    details = json.loads(caught.value.body)["details"]
    assert details[0]["property"] == "messages[0]" and "5001 UTF-16 units" in details[0]["message"]
    api(line).push_message(PushMessageRequest(to=user.user_id, messages=[TextMessage(text="😀" * 2500)]))
    assert len(line.pushes_to(user.user_id)) == 1


def test_six_messages_are_refused(line, received):
    user = line.user()
    user.says("หก")
    body = {"replyToken": received[0].reply_token, "messages": [{"type": "text", "text": "x"}] * 6}
    response = raw_post(line, "/v2/bot/message/reply", body)
    assert response.status_code == 400 and "message" in response.json()
    assert raw_post(line, "/v2/bot/message/push", {"to": user.user_id, "messages": body["messages"]}).status_code == 400
    reply(line, received[0].reply_token)  # a refused request does not use up the token
    assert len(user.messages()) == 1


def test_an_http_image_url_is_refused(line, received):
    image = ImageMessage(original_content_url="http://example.org/a.jpg", preview_image_url="https://example.org/p.jpg")
    with pytest.raises(ApiException) as caught:
        api(line).push_message(PushMessageRequest(to=line.user().user_id, messages=[image]))
    assert caught.value.status == 400 and "originalContentUrl" in caught.value.body


def test_a_body_the_sdk_cannot_read_is_refused(line, received):
    response = raw_post(line, "/v2/bot/message/push", {"to": "U" + "0" * 32, "messages": [{"type": "hologram"}]})
    assert response.status_code == 400 and response.json()["message"]


# -- push, retry keys and failures --------------------------------------------------------------------


def test_a_repeated_retry_key_is_answered_409_and_not_delivered_twice(line, received):
    user, key = line.user(), str(uuid.uuid4())
    request = PushMessageRequest(to=user.user_id, messages=[TextMessage(text="แจ้งเตือน")])
    first = api(line).push_message_with_http_info(request, x_line_retry_key=key)
    assert first.status_code == 200
    with pytest.raises(ApiException) as caught:
        api(line).push_message(request, x_line_retry_key=key)
    assert caught.value.status == 409
    assert caught.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert json.loads(caught.value.body) == {"message": "The retry key is already accepted"}
    assert len(line.pushes_to(user.user_id)) == 1 and line.deliveries[-1].retry_key == key


def test_a_retry_key_is_forgotten_after_a_day(line, received, clock):
    user, key = line.user(), str(uuid.uuid4())
    request = PushMessageRequest(to=user.user_id, messages=[TextMessage(text="ก")])
    api(line).push_message(request, x_line_retry_key=key)
    clock.advance(hours=24)
    api(line).push_message(request, x_line_retry_key=key)
    assert len(line.pushes_to(user.user_id)) == 2


def test_a_retry_key_must_be_a_uuid(line, received):
    with pytest.raises(ApiException) as caught:
        api(line).push_message(PushMessageRequest(to=line.user().user_id, messages=[TextMessage(text="ก")]),
                               x_line_retry_key="not-a-uuid")
    assert caught.value.status == 400


def test_push_to_something_that_is_not_a_chat_is_refused(line, received):
    assert raw_post(line, "/v2/bot/message/push",
                    {"to": "X123", "messages": [{"type": "text", "text": "x"}]}).status_code == 400


def test_an_injected_500_is_not_delivered_and_the_retry_is(line, received):
    user, key = line.user(), str(uuid.uuid4())
    line.fail_next("/v2/bot/message/push", 500)
    request = PushMessageRequest(to=user.user_id, messages=[TextMessage(text="ก")])
    with pytest.raises(ApiException) as caught:
        api(line).push_message(request, x_line_retry_key=key)
    assert caught.value.status == 500
    assert line.pushes_to(user.user_id) == []
    api(line).push_message(request, x_line_retry_key=key)
    assert len(line.pushes_to(user.user_id)) == 1
    assert [r["headers"].get("X-Line-Retry-Key") for r in line.requests] == [key, key]


def test_injected_failures_count_down_and_can_be_cleared(line, received):
    line.fail_next("/v2/bot/profile", 429, times=2, body={"message": "Too many requests"})
    user = line.user()
    for _ in range(2):
        with pytest.raises(ApiException) as caught:
            api(line).get_profile(user.user_id)
        assert caught.value.status == 429 and "Too many requests" in caught.value.body
    assert api(line).get_profile(user.user_id).user_id == user.user_id
    line.fail_next("/v2/bot/profile", 500)
    line.clear_failures()
    assert api(line).get_profile(user.user_id).display_name


def test_multicast_delivers_once_per_recipient(line, received):
    people = [line.user(), line.user()]
    api(line).multicast(MulticastRequest(to=[p.user_id for p in people], messages=[TextMessage(text="ประกาศ")]))
    assert [p.texts() for p in people] == [["ประกาศ"], ["ประกาศ"]]
    assert {d.kind for d in line.deliveries} == {"multicast"}


# -- content, profiles, loading, auth ---------------------------------------------------------------


def test_content_is_prepared_then_served(line, received):
    line.add_content("111", b"\xff\xd8jpeg", pending=1)
    first = blob(line).get_message_content_with_http_info("111")
    assert first.status_code == 202
    second = blob(line).get_message_content_with_http_info("111")
    assert second.status_code == 200 and bytes(second.data) == b"\xff\xd8jpeg"
    assert second.headers["Content-Type"] == "image/jpeg"


def test_unknown_content_is_404_and_unsent_content_410(line, received):
    with pytest.raises(ApiException) as unknown:
        blob(line).get_message_content("999")
    assert unknown.value.status == 404
    line.add_content("222", b"x")
    line.set_content_state("222", gone=True)
    with pytest.raises(ApiException) as gone:
        blob(line).get_message_content("222")
    assert gone.value.status == 410


def test_profiles_of_friends_are_found_and_others_404(line, received):
    user = line.user(display_name="ผอ.ทดสอบ")
    line.add_profile("U" + "1" * 32, "ครู", picture_url="https://example.org/p.jpg")
    assert api(line).get_profile(user.user_id).display_name == "ผอ.ทดสอบ"
    assert api(line).get_profile("U" + "1" * 32).picture_url == "https://example.org/p.jpg"
    with pytest.raises(ApiException) as caught:
        api(line).get_profile("U" + "2" * 32)
    assert caught.value.status == 404 and json.loads(caught.value.body) == {"message": "Not found"}


def test_a_wrong_access_token_is_401(line, received):
    with pytest.raises(ApiException) as caught:
        api(line, token="wrong").get_profile(line.user().user_id)
    assert caught.value.status == 401 and json.loads(caught.value.body)["message"]


def test_loading_animation_for_a_user_is_202(line, received):
    user = line.user()
    answer = api(line).show_loading_animation_with_http_info(
        ShowLoadingAnimationRequest(chat_id=user.user_id, loading_seconds=5))
    assert answer.status_code == 202
    assert raw_post(line, "/v2/bot/chat/loading/start", {"chatId": user.user_id, "loadingSeconds": 7}).status_code == 400
    assert raw_post(line, "/v2/bot/chat/loading/start", {"chatId": new_group_id(), "loadingSeconds": 5}).status_code == 400


def test_unknown_paths_are_404(line, received):
    response = requests.get(line.base_url + "/v2/bot/nothing", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert response.status_code == 404


# -- webhooks ---------------------------------------------------------------------------------


def every_event(line) -> list[dict]:
    user, group = line.user().user_id, new_group_id()
    return [
        line.text_event(user, "แจ้งเหตุ"),
        line.text_event(user, "สวัสดี", group_id=group),
        line.postback_event(user, "v1:when", params={"datetime": "2026-11-22T14:30"}),
        line.image_event(user, image_set={"id": "S1", "index": 1, "total": 3}),
        line.sticker_event(user),
        line.location_event(user, "โรงเรียน", 16.4, 102.8),
        line.file_event(user, "report.pdf", 1234),
        line.video_event(user),
        line.follow_event(user),
        line.unfollow_event(user),
        line.join_event(group),
        line.unsend_event(user, "12345"),
    ]


def test_every_builder_is_accepted_by_the_sdk_parser(line):
    body = webhook_body(every_event(line), line.bot_user_id)
    payload = WebhookParser(SECRET).parse(body.decode("utf-8"), signature(SECRET, body), as_payload=True)
    kinds = [type(e) for e in payload.events]
    assert kinds == [MessageEvent, MessageEvent, PostbackEvent, MessageEvent, MessageEvent, MessageEvent,
                     MessageEvent, MessageEvent, FollowEvent, UnfollowEvent, JoinEvent, UnsendEvent]
    contents = [type(e.message) for e in payload.events if isinstance(e, MessageEvent)]
    assert contents == [TextMessageContent, TextMessageContent, ImageMessageContent, StickerMessageContent,
                        LocationMessageContent, FileMessageContent, VideoMessageContent]
    assert payload.destination == line.bot_user_id
    assert payload.events[1].source.group_id and payload.events[3].message.image_set.total == 3
    assert payload.events[2].postback.params == {"datetime": "2026-11-22T14:30"}


def test_event_fields_are_as_line_sends_them(line, clock):
    events = every_event(line)
    ids = {e["webhookEventId"] for e in events}
    assert len(ids) == len(events) and all(len(i) == 26 for i in ids)
    assert all(e["mode"] == "active" and e["deliveryContext"] == {"isRedelivery": False} for e in events)
    assert all(e["timestamp"] == int(clock().timestamp() * 1000) for e in events)
    no_token = [e["type"] for e in events if "replyToken" not in e]
    assert no_token == ["unfollow", "unsend"]
    assert "quoteToken" in events[0]["message"] and events[0]["message"]["id"].isdigit()


def test_a_wrong_signature_is_rejected_by_the_sdk(line):
    body = webhook_body(every_event(line))
    with pytest.raises(InvalidSignatureError):
        WebhookParser(SECRET).parse(body.decode("utf-8"), signature("another-secret", body))


def test_thai_is_sent_as_utf8_not_escaped(line):
    body = webhook_body([line.text_event("U" + "0" * 32, "แจ้งเหตุ")])
    assert "แจ้งเหตุ".encode("utf-8") in body


def test_redelivery_keeps_the_event_id_and_says_so(line, received):
    line.user().says("ซ้ำ")
    assert line.redeliver(line.last_event) == 200
    first, again = received
    assert first.webhook_event_id == again.webhook_event_id
    assert not first.delivery_context.is_redelivery and again.delivery_context.is_redelivery


def test_send_without_a_deliverer_says_what_is_missing():
    with pytest.raises(RuntimeError, match="deliver"):
        FakeLinePlatform(SECRET).send([])


def test_http_deliverer_posts_signed_bodies():
    seen = []

    def app(environ, start_response):
        request = Request(environ)
        seen.append((request.get_data(), request.headers["X-Line-Signature"], request.content_type))
        return Response("", status=200)(environ, start_response)

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    platform = FakeLinePlatform(SECRET)
    platform.deliver = http_deliverer(f"http://127.0.0.1:{server.server_port}/callback")
    assert platform.send([platform.text_event("U" + "0" * 32, "ก")]) == 200
    thread.join(timeout=5)
    server.server_close()
    body, sig, content_type = seen[0]
    assert sig == signature(SECRET, body) and content_type == "application/json"


# -- people ---------------------------------------------------------------------------------------


def push(line, user, message: dict) -> None:
    api(line).push_message(PushMessageRequest.from_dict({"to": user.user_id, "messages": [message]}))


def quick_replies(*actions: dict) -> dict:
    return {"items": [{"type": "action", "action": a} for a in actions]}


def test_tapping_a_quick_reply_sends_its_text(line, received):
    user = line.user()
    push(line, user, {"type": "text", "text": "ประเภท?", "quickReply": quick_replies(
        {"type": "message", "label": "ไม่ได้รับความเป็นธรรม", "text": "ไม่ได้รับความเป็นธรรม"},
        {"type": "postback", "label": "ยาเสพติด", "data": "v1:cat:drugs"})})
    assert user.quick_reply_labels() == ["ไม่ได้รับความเป็นธรรม", "ยาเสพติด"]
    assert user.taps("ไม่ได้รับความเป็นธรรม") == 200
    assert received[-1].message.text == "ไม่ได้รับความเป็นธรรม"
    user.taps("ยาเสพติด")
    assert received[-1].postback.data == "v1:cat:drugs"


def test_tapping_a_postback_button_in_a_flex_bubble(line, received):
    user = line.user()
    button = {"type": "button", "action": {"type": "postback", "label": "รับเรื่อง", "data": "v1:take:7"}}
    link = {"type": "button", "action": {"type": "uri", "label": "โทร", "uri": "tel:0812345678"}}
    bubble = {"type": "bubble", "footer": {"type": "box", "layout": "vertical", "contents": [button, link]}}
    push(line, user, {"type": "flex", "altText": "เรื่องใหม่ 0001/2569", "contents": bubble})
    assert user.last_text() == "เรื่องใหม่ 0001/2569"
    user.taps("รับเรื่อง")
    assert isinstance(received[-1], PostbackEvent) and received[-1].postback.data == "v1:take:7"
    assert received[-1].source.user_id == user.user_id
    assert user.taps("โทร") == "tel:0812345678" and len(received) == 1


def test_tapping_a_datetimepicker_sends_the_picked_value(line, received):
    user = line.user()
    picker = {"type": "datetimepicker", "label": "เลือกวันและเวลา", "data": "v1:when", "mode": "datetime"}
    push(line, user, {"type": "text", "text": "เกิดเมื่อใด", "quickReply": quick_replies(picker)})
    user.taps("เลือกวันและเวลา", picks="2026-11-22T14:30")
    assert received[-1].postback.data == "v1:when"
    assert received[-1].postback.params == {"datetime": "2026-11-22T14:30"}
    with pytest.raises(AssertionError, match="picks"):
        user.taps("เลือกวันและเวลา")


def test_tapping_a_confirm_template_button(line, received):
    user = line.user()
    confirm = {"type": "confirm", "text": "ส่งรายงาน?", "actions": [
        {"type": "message", "label": "ยืนยัน", "text": "ยืนยัน"}, {"type": "message", "label": "ยกเลิก", "text": "ยกเลิก"}]}
    push(line, user, {"type": "template", "altText": "ส่งรายงาน?", "template": confirm})
    user.taps("ยกเลิก")
    assert received[-1].message.text == "ยกเลิก"


def test_tapping_a_missing_label_lists_the_buttons_there_are(line, received):
    user = line.user()
    with pytest.raises(AssertionError, match="no message with buttons"):
        user.taps("ยืนยัน")
    push(line, user, {"type": "text", "text": "?", "quickReply": quick_replies(
        {"type": "message", "label": "ใช่", "text": "ใช่"})})
    push(line, user, {"type": "text", "text": "ขอบคุณ"})
    with pytest.raises(AssertionError, match="ใช่"):
        user.taps("ไม่")


def test_a_photo_sent_can_be_downloaded_and_unsent(line, received):
    user = line.user()
    message_id = user.sends_image(b"\xff\xd8photo")
    assert received[-1].message.id == message_id
    assert bytes(blob(line).get_message_content(message_id)) == b"\xff\xd8photo"
    user.unsends(message_id)
    assert received[-1].unsend.message_id == message_id
    with pytest.raises(ApiException) as caught:
        blob(line).get_message_content(message_id)
    assert caught.value.status == 410


def test_several_photos_share_an_image_set(line, received):
    ids = line.user().sends_images([b"1", b"2", b"3"])
    sets = [e.message.image_set for e in received]
    assert [e.message.id for e in received] == ids
    assert len({s.id for s in sets}) == 1 and [s.index for s in sets] == [1, 2, 3] and sets[0].total == 3


def test_a_file_and_a_location_and_a_sticker(line, received):
    user = line.user()
    message_id = user.sends_file("รายงาน.pdf", b"%PDF")
    assert received[-1].message.file_name == "รายงาน.pdf" and received[-1].message.file_size == 4
    assert bytes(blob(line).get_message_content(message_id)) == b"%PDF"
    assert user.sends_location("โรงเรียน", 16.4, 102.8) == 200
    assert received[-1].message.latitude == 16.4
    assert user.sends_sticker() == 200 and isinstance(received[-1].message, StickerMessageContent)


def test_blocking_hides_the_profile_and_following_again_shows_it(line, received):
    user = line.user(display_name="ครูสมมุติ")
    user.unfollows()
    assert isinstance(received[-1], UnfollowEvent)
    with pytest.raises(ApiException):
        api(line).get_profile(user.user_id)
    user.follows()
    assert received[-1].follow.is_unblocked
    assert api(line).get_profile(user.user_id).display_name == "ครูสมมุติ"


def test_a_body_that_is_not_json_is_a_400_not_a_crash(line, received):
    response = requests.post(line.base_url + "/v2/bot/message/push", data=b"not json",
                             headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
                             timeout=5)
    assert response.status_code == 400 and response.json()["message"]

# -- rejections, listeners, people in groups ---------------------------------------------------


def test_refused_requests_are_kept_with_the_chat_and_the_reasons(line, received):
    user = line.user()
    raw_post(line, "/v2/bot/message/push", {"to": user.user_id, "messages": [{"type": "text", "text": "ก" * 5001}]})
    user.says("ขอคำตอบยาว")
    raw_post(line, "/v2/bot/message/reply", {"replyToken": received[-1].reply_token, "messages": [
        {"type": "image", "originalContentUrl": "http://x.test/a.jpg", "previewImageUrl": "http://x.test/b.jpg"}]})
    too_long, http_image = line.rejections
    assert too_long.status == 400 and too_long.path == "/v2/bot/message/push" and too_long.chat_ids == (user.user_id,)
    assert too_long.problems == ["messages[0]: text is 5001 UTF-16 units, over 5000"]
    assert http_image.chat_ids == (user.user_id,) and "originalContentUrl must be an https URL" in http_image.problems[0]
    assert line.deliveries == []


def test_repeats_and_injected_failures_are_not_refusals(line, received):
    user, key = line.user(), str(uuid.uuid4())
    for _ in range(2):
        requests.post(line.base_url + "/v2/bot/message/push", json={"to": user.user_id, "messages": [
            {"type": "text", "text": "ครั้งเดียว"}]}, headers={"Authorization": f"Bearer {TOKEN}", "X-Line-Retry-Key": key},
            timeout=5)
    line.fail_next("/v2/bot/message/push", 429)
    raw_post(line, "/v2/bot/message/push", {"to": user.user_id, "messages": [{"type": "text", "text": "x"}]})
    assert line.rejections == [] and len(line.deliveries) == 1


def test_listeners_hear_deliveries_and_refusals_in_order(line, received):
    heard = []
    user = line.user()
    line.listen(lambda kind, record: heard.append((kind, record.to if kind == "delivery" else record.status)))
    push(line, user, {"type": "text", "text": "หนึ่ง"})
    raw_post(line, "/v2/bot/message/push", {"to": user.user_id, "messages": []})
    assert heard == [("delivery", user.user_id), ("rejection", 400)]


def test_a_person_in_a_group_types_and_taps_there(line, received):
    group = new_group_id()
    member = line.user().in_group(group)
    member.says("สวัสดีทุกคน")
    member.sends_sticker()
    assert all(e.source.group_id == group for e in received)
    api(line).push_message(PushMessageRequest.from_dict({"to": group, "messages": [
        {"type": "text", "text": "รับทราบ?", "quickReply": quick_replies({"type": "message", "label": "รับทราบ", "text": "รับทราบ"})}]}))
    assert member.last_text() == "รับทราบ?"
    member.taps("รับทราบ")
    assert received[-1].message.text == "รับทราบ" and received[-1].source.group_id == group


def test_held_requests_answer_only_when_released(line, received):
    user = line.user()
    release = line.hold_next("/v2/bot/message/push", done=True)
    sent = threading.Thread(target=push, args=(line, user, {"type": "text", "text": "ถึงแล้ว"}))
    sent.start()
    assert line.wait_until(lambda: len(line.deliveries) == 1, 5)  # carried out, its answer still held
    assert sent.is_alive()
    release.set()
    sent.join(5)
    assert not sent.is_alive() and len(line.pushes_to(user.user_id)) == 1


def test_a_share_of_requests_time_out_and_half_of_those_were_carried_out(line, received):
    user = line.user()
    line.time_out_share("/v2/bot/message/push", 0.5, seconds=0.3, seed=7)
    client = MessagingApi(ApiClient(Configuration(host=line.base_url, access_token=line.access_token)))
    outcomes = []
    for n in range(40):
        request = PushMessageRequest.from_dict({"to": user.user_id, "messages": [{"type": "text", "text": str(n)}]})
        try:
            client.push_message(request, _request_timeout=0.1)
            outcomes.append("ok")
        except Exception:  # noqa: BLE001 - a timeout, as the bot would see it
            outcomes.append("timeout")
    slow = outcomes.count("timeout")
    assert 8 <= slow <= 32
    delivered = len(line.pushes_to(user.user_id))
    assert outcomes.count("ok") < delivered < 40  # some slow ones were carried out, some never
