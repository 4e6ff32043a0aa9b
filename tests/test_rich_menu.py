"""The menu under the chat: drawn with Thai shaped, installed through the real SDK into the fake LINE."""
from __future__ import annotations

import io
import random

import pytest
import requests
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)
from linebot.v3.messaging.exceptions import ApiException
from PIL import Image, ImageChops, ImageFilter

from app import create_app
from bot.line import rich_menu
from bot.line import shaped_text
from bot.core.fonts import font_path
from bot.line.shaped_text import TextStyle, draw_centred, has_raqm
from bot.core.texts import say
from tests.conftest import TOKEN, make_settings

UPLOAD = "/v2/bot/richmenu/richmenu-"  # the picture upload is the first call under this prefix


def install(app):
    return app.test_cli_runner().invoke(args=["richmenu", "install"])



def principal_menus(line) -> list:
    """The principals' menus in the fake LINE (install also puts the officers' menu there)."""
    return [m for m in line.rich_menus if m.definition["name"] == rich_menu.NAME]

def test_install_makes_one_default_menu_with_four_buttons(app, line):
    result = install(app)
    assert result.exit_code == 0, result.output
    [menu] = principal_menus(line)
    assert line.default_rich_menu is menu and menu.rich_menu_id in result.output
    image = Image.open(io.BytesIO(menu.image))
    assert image.format in ("PNG", "JPEG") and image.size == (2500, 843) and len(menu.image) <= 1_000_000
    areas = menu.definition["areas"]
    assert [a["action"] for a in areas] == [{"type": "message", "label": label, "text": text} for label, text in
                                            (("เหตุด่วน", "เหตุด่วน"), ("แจ้งเหตุ", "แจ้งเหตุ"), ("สถานะ", "สถานะ"),
                                             ("เมนู/วิธีใช้", "เมนู"))]
    assert sum(a["bounds"]["width"] for a in areas) == 2500 and {a["bounds"]["height"] for a in areas} == {843}


def test_the_sdk_reads_back_the_default_menu(app, line):
    install(app)
    api = MessagingApi(ApiClient(Configuration(host=line.base_url, access_token=TOKEN)))
    [listed] = [m for m in api.get_rich_menu_list().richmenus if m.name == rich_menu.NAME]
    assert api.get_default_rich_menu_id().rich_menu_id == listed.rich_menu_id
    assert listed.chat_bar_text == rich_menu.CHAT_BAR_TEXT and listed.selected


def test_every_button_sends_a_word_the_bot_answers(app, line):
    install(app)
    principal = line.user(display_name="ผอ.ทดสอบ")
    for area in line.default_rich_menu.definition["areas"]:
        principal.says(area["action"]["text"])
        assert principal.last_text() and principal.last_text() != say("not_understood")


def test_installing_twice_leaves_one_menu(app, line):
    first = install(app)
    second = install(app)
    assert second.exit_code == 0, second.output
    [menu] = principal_menus(line)
    assert line.default_rich_menu is menu and menu.rich_menu_id in second.output
    assert "removed 2 older menu" in second.output  # the principals' and the officers' menus and menu.rich_menu_id not in first.output


def test_a_line_500_while_uploading_stops_with_an_error_and_no_half_made_menu(app, line):
    line.fail_next(UPLOAD, 500)
    failed = install(app)
    assert failed.exit_code != 0
    assert "could not upload its picture: LINE answered 500" in failed.output
    assert principal_menus(line) == [] and line.default_rich_menu is None


def test_a_failed_install_keeps_the_menu_people_had(app, line):
    install(app)
    before = line.default_rich_menu
    line.fail_next(UPLOAD, 503)
    assert install(app).exit_code != 0
    assert principal_menus(line) == [before] and line.default_rich_menu is before


SET_DEFAULT = "/v2/bot/user/all/richmenu/"  # POST .../{id}; the GET of the default has no trailing slash
GET_DEFAULT = "/v2/bot/user/all/richmenu"


def test_a_lost_answer_to_set_default_is_asked_again(app, line):
    line.fail_next(SET_DEFAULT, 504, done=True)  # LINE applied it, the answer was lost
    result = install(app)
    assert result.exit_code == 0, result.output
    [menu] = principal_menus(line)
    assert line.default_rich_menu is menu


def test_a_menu_line_made_default_is_kept_when_every_answer_is_lost(app, line):
    install(app)
    old = line.default_rich_menu
    line.fail_next(SET_DEFAULT, 503, times=rich_menu.SET_DEFAULT_ATTEMPTS, done=True)
    result = install(app)
    assert result.exit_code == 0, result.output  # LINE, asked, names the new menu as the default
    [menu] = principal_menus(line)
    assert menu is not old and line.default_rich_menu is menu


def test_a_menu_that_may_be_in_use_is_never_deleted(app, line):
    install(app)
    old = line.default_rich_menu
    line.fail_next(SET_DEFAULT, 503, times=rich_menu.SET_DEFAULT_ATTEMPTS, done=True)
    line.fail_next(GET_DEFAULT, 500)
    result = install(app)
    assert result.exit_code != 0
    new = line.default_rich_menu
    assert new is not old and principal_menus(line) == [old, new]  # the applied menu survives
    assert f"may already show the new menu {new.rich_menu_id}" in result.output and "run the command again" in result.output
    again = install(app)  # as the message says: one menu, the default, remains
    assert again.exit_code == 0, again.output
    [menu] = principal_menus(line)
    assert line.default_rich_menu is menu


def test_a_default_line_did_not_apply_is_rolled_back(app, line):
    install(app)
    old = line.default_rich_menu
    line.fail_next(SET_DEFAULT, 500, times=rich_menu.SET_DEFAULT_ATTEMPTS)  # not applied
    result = install(app)
    assert result.exit_code != 0 and "Nothing was changed" in result.output
    assert principal_menus(line) == [old] and line.default_rich_menu is old


def test_a_refused_default_is_rolled_back_at_once(app, line):
    line.fail_next(SET_DEFAULT, 400)
    result = install(app)
    assert result.exit_code != 0 and "LINE answered 400" in result.output
    assert principal_menus(line) == [] and line.default_rich_menu is None
    assert sum(r["path"].startswith(SET_DEFAULT) for r in line.requests) == 1


def test_install_without_a_channel_says_so(database_url, line, tmp_path):
    settings = make_settings(database_url, line.base_url, line_channel_access_token="", media_dir=str(tmp_path))
    bare = create_app(settings)
    try:
        result = install(bare)
    finally:
        bare.extensions["ccpc"].db.dispose()
    assert result.exit_code != 0 and "LINE_CHANNEL_ACCESS_TOKEN" in result.output
    assert line.requests == []


def test_preview_writes_the_picture_without_calling_line(app, line, tmp_path):
    path = tmp_path / "menu.png"
    result = app.test_cli_runner().invoke(args=["richmenu", "preview", "-o", str(path)])
    assert result.exit_code == 0, result.output
    image = Image.open(path)
    assert image.format == "PNG" and image.size == (2500, 843)
    assert line.requests == []


# -- the fake LINE refuses what LINE refuses -----------------------------------------------------


@pytest.fixture
def sdk(line):
    api = MessagingApi(ApiClient(Configuration(host=line.base_url, access_token=TOKEN)))
    blob = MessagingApiBlob(ApiClient(Configuration(host=line.base_url, access_token=TOKEN)))
    return api, blob


def _menu(**changes) -> dict:
    menu = rich_menu.definition()
    menu.update(changes)
    return menu


def _refused(call) -> ApiException:
    with pytest.raises(ApiException) as caught:
        call()
    return caught.value


def test_the_fake_refuses_an_area_outside_the_picture(sdk, line):
    api, _ = sdk
    outside = _menu(areas=[{"bounds": {"x": 2000, "y": 0, "width": 600, "height": 843},
                            "action": {"type": "message", "text": "แจ้งเหตุ"}}])
    error = _refused(lambda: api.create_rich_menu(RichMenuRequest.from_dict(outside)))
    assert error.status == 400 and "areas[0].bounds" in error.body
    assert line.rich_menus == []


@pytest.mark.parametrize("changes, why", [
    ({"size": {"width": 2500, "height": 2500}}, "size"),
    ({"areas": []}, "areas"),
    ({"areas": rich_menu.definition()["areas"][:1] * 21}, "areas"),
    ({"chatBarText": "เมนูแจ้งเหตุของศูนย์"}, "chatBarText"),
    ({"name": "x" * 301}, "name"),
    ({"selected": None}, "selected"),
])
def test_the_fake_refuses_menus_line_refuses(line, changes, why):
    body = {key: value for key, value in _menu(**changes).items() if value is not None}
    response = requests.post(f"{line.base_url}/v2/bot/richmenu", json=body, timeout=5,
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and why in response.text
    assert line.rich_menus == []


def test_the_fake_takes_one_picture_per_menu_of_the_menus_size(sdk, line):
    api, blob = sdk
    menu_id = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu.definition())).rich_menu_id
    assert _refused(lambda: api.set_default_rich_menu(menu_id)).status == 400  # no picture yet
    small = io.BytesIO()
    Image.new("RGB", (1200, 405), "red").save(small, "PNG")
    assert _refused(lambda: blob.set_rich_menu_image(menu_id, body=small.getvalue(),
                                                     _headers={"Content-Type": "image/png"})).status == 400
    picture = rich_menu.render()
    assert _refused(lambda: blob.set_rich_menu_image(menu_id, body=picture,
                                                     _headers={"Content-Type": "image/gif"})).status == 415
    assert _refused(lambda: blob.set_rich_menu_image("richmenu-" + "0" * 32, body=picture,
                                                     _headers={"Content-Type": "image/png"})).status == 404
    blob.set_rich_menu_image(menu_id, body=picture, _headers={"Content-Type": "image/png"})
    again = _refused(lambda: blob.set_rich_menu_image(menu_id, body=picture, _headers={"Content-Type": "image/png"}))
    assert again.status == 400 and "already" in again.body
    api.set_default_rich_menu(menu_id)
    api.delete_rich_menu(menu_id)
    assert line.default_rich_menu is None and _refused(lambda: api.delete_rich_menu(menu_id)).status == 404


def test_the_fake_refuses_a_picture_over_1_mb(sdk):
    api, blob = sdk
    menu_id = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu.definition())).rich_menu_id
    noisy = io.BytesIO()
    Image.frombytes("RGB", (2500, 843), random.Random(1).randbytes(2500 * 843 * 3)).save(noisy, "PNG")
    assert len(noisy.getvalue()) > 1_000_000
    assert _refused(lambda: blob.set_rich_menu_image(menu_id, body=noisy.getvalue(),
                                                     _headers={"Content-Type": "image/png"})).status == 413


# -- Thai on the picture ---------------------------------------------------------------------------


def _ink_top(text: str, use_harfbuzz: bool) -> int:
    """The topmost row with ink when `text` is drawn black on white."""
    image = Image.new("L", (400, 200), 255)
    draw_centred(image, 200, 150, text, TextStyle(font_path("Bold"), 80, use_harfbuzz), 0)
    return image.point(lambda v: 255 - v).getbbox()[1]


@pytest.mark.parametrize("use_harfbuzz", [True, False])
def test_a_tone_mark_over_an_upper_vowel_stands_above_it(use_harfbuzz):
    if not use_harfbuzz and not has_raqm():
        pytest.skip("this Pillow has no libraqm: the HarfBuzz drawing is what the menu uses")
    assert _ink_top("ที่", use_harfbuzz) < _ink_top("ที", use_harfbuzz) - 8  # ่ sits on top of ี, not inside it


def test_harfbuzz_drawing_matches_pillows_own_shaping():
    if not has_raqm():
        pytest.skip("this Pillow has no libraqm to compare with")
    drawn = []
    for use_harfbuzz in (True, False):
        image = Image.new("L", (1000, 160), 255)
        draw_centred(image, 500, 110, "ดูเรื่องที่รายงานไว้ ป่วย", TextStyle(font_path("Bold"), 72, use_harfbuzz), 0)
        drawn.append(image)
    assert _ink_missing(*drawn) < 20 and _ink_missing(*reversed(drawn)) < 20  # a lost tone mark is ~100


def _ink_missing(image: Image.Image, other: Image.Image) -> int:
    """Dark pixels of `image` with no dark pixel within 1 px in `other` (edges differ by hinting)."""
    near = other.filter(ImageFilter.MinFilter(3)).get_flattened_data()
    return sum(1 for mine, theirs in zip(image.get_flattened_data(), near) if mine < 64 and theirs > 192)


def test_the_menu_looks_the_same_without_libraqm(monkeypatch):
    if not has_raqm():
        pytest.skip("this Pillow has no libraqm: the menu is always drawn with HarfBuzz here")
    with_raqm = Image.open(io.BytesIO(rich_menu.render())).convert("L")
    monkeypatch.setattr(shaped_text, "has_raqm", lambda: False)
    without = Image.open(io.BytesIO(rich_menu.render())).convert("L")
    assert without.size == (2500, 843)
    assert sum(ImageChops.difference(with_raqm, without).histogram()[128:]) < 2500  # edges only: ~800 here
