"""LINE's message limits: every rule, counted the way LINE counts (UTF-16 units, Thai characters)."""
from __future__ import annotations

import pytest

from bot.line import limits as line_limits
from bot.line.limits import LineLimitError, check, clip_label, clip_text, label_length, problems, utf16_len

THAI_17 = "ไม่ได้รับความเป็นธรรม"  # 21 code points, 17 characters a reader counts
EMOJI = "😀"


def text(s: str = "สวัสดี", **extra) -> dict:
    return {"type": "text", "text": s, **extra}


def quick(*actions: dict) -> dict:
    return {"items": [{"type": "action", "action": a} for a in actions]}


def say(label: str, said: str = "ok") -> dict:
    return {"type": "message", "label": label, "text": said}


def postback(label: str = "เลือก", data: str = "v1:pick", **extra) -> dict:
    return {"type": "postback", "label": label, "data": data, **extra}


def bubble(*buttons: dict) -> dict:
    contents = [{"type": "button", "action": b} for b in buttons]
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": contents}}


def flex(contents: dict, alt: str = "แจ้งเตือน") -> dict:
    return {"type": "flex", "altText": alt, "contents": contents}


def one_problem(message: dict) -> str:
    found = problems([message])
    assert len(found) == 1, found
    return found[0]


def test_label_length_counts_thai_base_characters_only():
    assert len(THAI_17) == 21
    assert label_length(THAI_17) == 17
    assert label_length("ยืนยัน") == 4  # ย ื น ย ั น
    assert label_length("") == 0


def test_a_20_character_thai_label_with_tone_marks_passes_and_21_fails():
    twenty = THAI_17 + "ที่สุด"  # ท ี ่ ส ุ ด: three characters, three marks
    assert label_length(twenty) == 20 and len(twenty) == 27
    assert problems([text(quickReply=quick(say(twenty)))]) == []
    assert "label is 21 characters" in one_problem(text(quickReply=quick(say(twenty + "ๆ"))))


def test_utf16_counts_an_emoji_as_two_units():
    assert utf16_len(EMOJI) == 2
    assert utf16_len("ก" * 3 + EMOJI) == 5


def test_text_limit_is_5000_utf16_units_not_code_points():
    assert problems([text("ก" * 5000)]) == []
    assert problems([text(EMOJI * 2500)]) == []
    assert "5001 UTF-16 units" in one_problem(text(EMOJI * 2500 + "ก"))
    assert "text is empty" in one_problem(text(""))


def test_one_to_five_messages_per_request():
    assert problems([text()] * 5) == []
    assert "not 6" in one_problem_of([text()] * 6)
    assert "not 0" in one_problem_of([])


def one_problem_of(messages: list) -> str:
    found = problems(messages)
    assert len(found) == 1, found
    return found[0]


def test_problems_name_the_message_index():
    found = problems([text(), text("")])
    assert found == ["messages[1]: text is empty"]


def test_quick_reply_has_at_most_13_items():
    assert problems([text(quickReply=quick(*[say(str(i)) for i in range(13)]))]) == []
    assert "14 items" in one_problem(text(quickReply=quick(*[say(str(i)) for i in range(14)])))
    assert "0 items" in one_problem(text(quickReply={"items": []}))


def test_quick_reply_is_allowed_on_any_message_not_only_the_last():
    assert problems([text(quickReply=quick(say("ก"))), text()]) == []


def test_labels_must_not_be_empty():
    assert "label is empty" in one_problem(text(quickReply=quick(say(""))))


def test_postback_data_and_display_text_at_most_300():
    assert problems([text(quickReply=quick(postback(data="d" * 300, displayText="ข" * 300)))]) == []
    assert "data is 301 chars" in one_problem(text(quickReply=quick(postback(data="d" * 301))))
    assert "displayText is 301" in one_problem(text(quickReply=quick(postback(displayText="ข" * 301))))


def test_message_action_text_at_most_300():
    assert "text is 301 chars" in one_problem(text(quickReply=quick(say("ตกลง", "ข" * 301))))


def test_uri_action_scheme_and_length():
    def uri(u: str) -> dict:
        return {"type": "uri", "label": "โทร", "uri": u}

    for good in ("https://example.org/a", "http://example.org", "tel:0812345678", "line://nv/chat"):
        assert problems([flex(bubble(uri(good)))]) == [], good
    assert "must start with" in one_problem(flex(bubble(uri("javascript:alert(1)"))))
    assert "1001 chars" in one_problem(flex(bubble(uri("https://e.org/" + "a" * 987))))


def test_datetimepicker_mode():
    picker = {"type": "datetimepicker", "label": "เลือกวัน", "data": "when", "mode": "datetime"}
    assert problems([text(quickReply=quick(picker))]) == []
    assert "mode must be" in one_problem(text(quickReply=quick({**picker, "mode": "week"})))


def test_unknown_action_type_is_refused():
    assert "unknown action type" in one_problem(text(quickReply=quick({"type": "teleport", "label": "x"})))


def test_images_must_be_https_and_short_urls():
    good = {"type": "image", "originalContentUrl": "https://e.org/a.jpg", "previewImageUrl": "https://e.org/p.jpg"}
    assert problems([good]) == []
    assert "originalContentUrl must be an https URL" in one_problem({**good, "originalContentUrl": "http://e.org/a"})
    long_url = "https://e.org/" + "a" * 1987
    assert "previewImageUrl is 2001 chars" in one_problem({**good, "previewImageUrl": long_url})


def test_flex_alt_text_between_1_and_1500():
    assert problems([flex(bubble(postback()), alt="ก" * 1500)]) == []
    assert "altText is 1501" in one_problem(flex(bubble(postback()), alt="ก" * 1501))
    assert "altText is empty" in one_problem(flex(bubble(postback()), alt=""))


def test_flex_bubble_at_most_30_kb():
    big = bubble(postback())
    big["body"]["contents"].append({"type": "text", "text": "a" * 30_000})
    assert "flex bubble is" in one_problem(flex(big))


def test_flex_carousel_at_most_12_bubbles_and_50_kb():
    assert problems([flex({"type": "carousel", "contents": [bubble(postback())] * 12})]) == []
    assert "13 bubbles" in one_problem(flex({"type": "carousel", "contents": [bubble(postback())] * 13}))
    heavy = bubble()
    heavy["body"]["contents"].append({"type": "text", "text": "ก" * 6000})  # 18 KB in UTF-8
    assert "carousel is" in one_problem(flex({"type": "carousel", "contents": [heavy] * 3}))


def test_flex_buttons_are_checked_wherever_they_are():
    deep = bubble(postback())
    deep["footer"] = {"type": "box", "layout": "vertical",
                      "contents": [{"type": "box", "layout": "horizontal",
                                    "contents": [{"type": "button", "action": postback("ก" * 21)}]}]}
    assert "label is 21 characters" in one_problem(flex(deep))


def test_flex_box_actions_need_no_label():
    box_action = bubble()
    box_action["body"]["action"] = {"type": "postback", "data": "open"}
    assert problems([flex(box_action)]) == []


def template(t: dict, alt: str = "คำถาม") -> dict:
    return {"type": "template", "altText": alt, "template": t}


def test_buttons_template_limits():
    buttons = {"type": "buttons", "text": "ข" * 160, "actions": [say("ก")] * 4}
    assert problems([template(buttons)]) == []
    assert "5 actions" in one_problem(template({**buttons, "actions": [say("ก")] * 5}))
    assert "text is 160 chars, over 60" in one_problem(template({**buttons, "title": "หัวข้อ"}))
    assert "title is 41" in one_problem(template({**buttons, "title": "ห" * 41, "text": "ข"}))
    assert "altText is 401" in one_problem(template(buttons, alt="ก" * 401))


def test_confirm_template_needs_exactly_two_actions():
    confirm = {"type": "confirm", "text": "ยืนยันหรือไม่", "actions": [say("ใช่"), say("ไม่")]}
    assert problems([template(confirm)]) == []
    assert "needs exactly 2" in one_problem(template({**confirm, "actions": [say("ใช่")]}))


def test_check_raises_with_every_problem():
    with pytest.raises(LineLimitError) as caught:
        check([text(""), text("ก" * 5001)])
    assert len(caught.value.problems) == 2
    assert isinstance(caught.value, ValueError)
    assert check([text()]) is None


def test_unknown_message_type_and_garbage():
    assert "unknown message type" in one_problem({"type": "hologram"})
    assert problems("not a list") == ["messages must be a list"]
    assert one_problem("x") == "messages[0]: is not an object"


@pytest.mark.parametrize("label", [THAI_17 + "ที่นี่ค่ะครับ", "ก" * 40, "น้ำ" * 15, EMOJI * 30, "short"])
@pytest.mark.parametrize("n", [1, 5, 20])
def test_clip_label_never_exceeds_and_keeps_marks_with_their_base(label, n):
    clipped = clip_label(label, n)
    assert label_length(clipped) <= n
    if label_length(label) <= n:
        assert clipped == label
    else:
        assert clipped.endswith("…")
        kept = clipped[:-1]
        assert label.startswith(kept)
        assert label_length(label[len(kept):]) == label_length(label) - label_length(kept)  # no orphan marks


@pytest.mark.parametrize("s", ["ก" * 6000, EMOJI * 2600, "ผู้" * 3000, "a" * 5000, "น้ำ"])
@pytest.mark.parametrize("limit", [5000, 7, 2])
def test_clip_text_never_exceeds_the_utf16_limit(s, limit):
    clipped = clip_text(s, limit)
    assert utf16_len(clipped) <= limit
    if utf16_len(s) <= limit:
        assert clipped == s
    else:
        assert clipped.endswith("…") and s.startswith(clipped[:-1])
        assert problems([text(clip_text(s))]) == []


def test_clip_text_does_not_split_an_emoji():
    assert clip_text(EMOJI * 3, 4) == EMOJI + "…"


def test_tappable_actions_lists_quick_replies_template_and_flex_buttons():
    message = flex(bubble(postback("ก")), alt="x")
    message["quickReply"] = quick(say("ข"))
    labels = [a["label"] for a in line_limits.tappable_actions(message)]
    assert labels == ["ข", "ก"]
    confirm = template({"type": "confirm", "text": "?", "actions": [say("ใช่"), say("ไม่")]})
    assert [a["label"] for a in line_limits.tappable_actions(confirm)] == ["ใช่", "ไม่"]
