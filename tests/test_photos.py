"""Incident photos: fetched after the webhook, stripped of what identifies, shown to officers only."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from app import create_app
from models import Outbox, Photo
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, cases, file_report, fill_report, jpeg

CONTENT = "/v2/bot/message/{}/content"


def gps_exif_rotated() -> tuple[bytes, tuple[int, int]]:
    """A phone photo: 120x60 stored sideways with orientation 6 and GPS coordinates."""
    image = Image.new("RGB", (60, 120), "white")
    image.paste((255, 0, 0), (0, 0, 60, 60))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "ACME Phone"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (16.0, 25.0, 30.0), 3: "E", 4: (102.0, 50.0, 10.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue(), (120, 60)


def stored_photos(services) -> list[Photo]:
    with services.db.session() as session:
        return list(session.scalars(select(Photo).order_by(Photo.id)))


def photo_app(database_url, line, clock, tmp_path):
    """The app with an https public address, so photos are shown as LINE images."""
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"),
                             public_base_url="https://ccpc.example.test")
    application = create_app(settings, clock=clock)
    client = connect(line, application)
    return application, application.extensions["ccpc"], client


def test_a_phone_photo_is_stored_upright_with_no_metadata_at_all(app, services, line):
    data, upright = gps_exif_rotated()
    principal = line.user()
    fill_report(principal)
    principal.taps("แก้ไข")
    principal.taps("ภาพประกอบ")
    principal.sends_image(data)
    (photo,) = stored_photos(services)
    assert photo.status == "stored"
    raw = services.media.path(photo.file_name).read_bytes()
    stored = Image.open(io.BytesIO(raw))
    assert stored.size == upright
    assert stored.getpixel((upright[0] - 5, 5))[0] > 200 and stored.getpixel((5, 5))[1] > 200  # red on the right
    assert "exif" not in stored.info and not stored.getexif() and b"ACME" not in raw and b"Exif" not in raw
    preview = Image.open(services.media.path(photo.preview_name))
    assert max(preview.size) <= 240


def test_content_still_being_prepared_is_fetched_again_later(app, services, clock, line):
    from bot.photos.pipeline import fetch_due

    principal = line.user()
    fill_report(principal)
    principal.taps("แก้ไข")
    principal.taps("ภาพประกอบ")
    principal.sends_image(jpeg(1), pending=1)  # LINE answers 202 once
    assert stored_photos(services)[0].status == "pending"
    assert fetch_due(services) == 0  # backoff: not due yet
    clock.advance(seconds=3)
    assert fetch_due(services) == 1
    assert stored_photos(services)[0].status == "stored"


def test_a_500_is_retried_and_then_succeeds(app, services, clock, line):
    from bot.photos.pipeline import fetch_due

    principal = line.user()
    principal.says("แจ้งเหตุ")
    line.fail_next("/v2/bot/message/*/content", 500)
    message_id = principal.sends_image(jpeg(2))
    assert stored_photos(services)[0].status == "pending"
    assert any(r["path"] == CONTENT.format(message_id) for r in line.requests)
    clock.advance(seconds=3)
    assert fetch_due(services) == 1


@pytest.mark.parametrize("gone", ["404", "410"])
def test_a_photo_line_no_longer_has_is_asked_for_again(app, services, line, gone):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    if gone == "404":
        line.fail_next("/v2/bot/message/*/content", 404)
        principal.sends_image(jpeg(3))
    else:
        message_id = principal.sends_image(jpeg(3), pending=1)
        line.set_content_state(message_id, pending=0, gone=True)
        from bot.photos.pipeline import fetch_due

        services.clock.advance(seconds=3)
        fetch_due(services)
        services.send_outbox()
    assert stored_photos(services)[0].status == "gone"
    assert "กรุณาส่งภาพนั้นอีกครั้ง" in principal.last_text()
    principal.says("เมนู")  # the lost photo no longer counts in the draft
    principal.says("แจ้งเหตุ")
    principal.taps("ยาเสพติด")


@pytest.mark.parametrize("bad, reason_text", [
    (b"hello, I am a text file" * 10, "ไม่ใช่ภาพถ่าย"),
    (jpeg(4, size=(400, 300))[:400], "ไม่สมบูรณ์"),
    (b"\xff\xd8\xff" + b"\0" * (25 * 1024 * 1024), "25.0 MB"),
])
def test_bad_files_are_refused_with_the_reason_and_nothing_else_is_lost(app, services, line, bad, reason_text):
    principal = line.user()
    fill_report(principal, photos=1)
    principal.taps("แก้ไข")
    principal.taps("ภาพประกอบ")
    principal.sends_image(bad)
    assert reason_text in principal.last_text()
    principal.taps("เสร็จ") if "เสร็จ" in principal.quick_reply_labels() else principal.says("เสร็จ")
    assert "ภาพประกอบ: 1 ภาพ" in principal.last_text()
    principal.taps("ยืนยัน")
    assert "0001/2569" in principal.last_text()


def test_a_decompression_bomb_is_refused_without_decoding_it(app, services, line):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.sends_image(out.getvalue(), content_type="image/png")
    assert "ล้านพิกเซล" in principal.last_text()
    assert stored_photos(services)[0].status == "rejected"


def test_the_same_photo_sent_twice_is_stored_once(app, services, line):
    principal = line.user()
    principal.says("แจ้งเหตุ")
    principal.sends_image(jpeg(5))
    principal.sends_image(jpeg(5))
    first, second = stored_photos(services)
    assert first.file_name == second.file_name
    assert len([p for p in services.media.root.rglob("*") if p.is_file()]) == 2  # one photo + its preview


def test_a_video_where_photos_are_asked_is_explained(app, line):
    principal = line.user()
    fill_report(principal)
    principal.taps("แก้ไข")
    principal.taps("ภาพประกอบ")
    principal.sends_video(b"\0\0\0\x18ftypmp42")
    assert "ข้อนี้รับเฉพาะรูปภาพ แต่ได้รับวิดีโอมา" in principal.last_text()


def test_officers_see_photos_through_signed_links_that_only_open_that_photo(database_url, line, clock, tmp_path):
    application, services, client = photo_app(database_url, line, clock, tmp_path)
    officer = add_officer(services, line)
    file_report(line.user(), photos=2)
    alert = line.pushes_to(officer.user_id)[-1].messages
    assert [m["type"] for m in alert] == ["flex", "image", "image"]
    url = alert[1]["originalContentUrl"]
    assert url.startswith("https://ccpc.example.test/media/photos/")
    path = urlsplit(url).path + "?" + urlsplit(url).query
    ok = client.get(path)
    assert ok.status_code == 200 and ok.mimetype == "image/jpeg" and Image.open(io.BytesIO(ok.data)).size
    other = urlsplit(alert[2]["originalContentUrl"])
    assert client.get(other.path + "?" + urlsplit(url).query).status_code == 403  # another photo's signature
    tampered = path.replace("sig=", "sig=A")
    assert client.get(tampered).status_code == 403
    assert client.get(path.replace("exp=", "exp=9")).status_code == 403
    clock.advance(days=7, seconds=1)
    expired = client.get(path)
    assert expired.status_code == 410 and "หมดอายุ" in expired.get_data(as_text=True)
    application.extensions["ccpc"].db.dispose()


def test_without_https_officers_are_told_how_many_photos(app, services, line):
    officer = add_officer(services, line)
    file_report(line.user(), photos=3)
    (alert,) = line.pushes_to(officer.user_id)[-1].messages
    assert alert["type"] == "flex" and "ภาพประกอบ: 3 ภาพ" in str(alert)


def test_an_unsent_photo_disappears_from_listings_and_its_link(database_url, line, clock, tmp_path):
    application, services, client = photo_app(database_url, line, clock, tmp_path)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    message_id = principal.sends_image(jpeg(9))  # into the open case's thread
    images = [m for m in line.pushes_to(officer.user_id)[-1].messages if m["type"] == "image"]
    url = urlsplit(images[0]["originalContentUrl"])
    assert client.get(url.path + "?" + url.query).status_code == 200
    principal.unsends(message_id)
    assert client.get(url.path + "?" + url.query).status_code == 410
    (photo,) = stored_photos(services)
    assert photo.status == "unsent" and photo.file_name is None
    assert [p for p in services.media.root.rglob("*") if p.is_file()] == []
    before = len(officer.messages())
    officer.says("รายละเอียด 0001/2569")
    details = officer.messages()[before:]
    assert details and all(m["type"] == "text" for m in details)
    application.extensions["ccpc"].db.dispose()


def test_an_unsent_photo_is_taken_out_of_messages_still_waiting(database_url, line, clock, tmp_path):
    application, services, client = photo_app(database_url, line, clock, tmp_path)
    officer = add_officer(services, line)
    principal = line.user()
    line.fail_next("/v2/bot/message/push", 500)  # the alert waits for its retry
    file_report(principal, photos=2)
    assert line.pushes_to(officer.user_id) == []
    first, second = stored_photos(services)
    principal.unsends(first.line_message_id)
    clock.advance(minutes=5)
    services.send_outbox()
    (alert,) = [p.messages for p in line.pushes_to(officer.user_id)]
    assert [m["type"] for m in alert] == ["flex", "image"]  # the alert itself still goes, with one photo
    assert f"/media/photos/{second.id}/" in alert[1]["originalContentUrl"]
    application.extensions["ccpc"].db.dispose()


def test_a_photo_notice_waiting_to_go_is_withdrawn_with_its_photo(database_url, line, clock, tmp_path):
    application, services, client = photo_app(database_url, line, clock, tmp_path)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    before = len(line.pushes_to(officer.user_id))
    line.fail_next("/v2/bot/message/push", 503, times=2)
    message_id = principal.sends_image(jpeg(9))  # into the case's thread: "sent a photo", then the photo
    principal.unsends(message_id)
    clock.advance(minutes=5)
    services.send_outbox()
    arrived = [m for push in line.pushes_to(officer.user_id)[before:] for m in push.messages]
    assert [m["type"] for m in arrived] == ["text"]  # "sent 1 photo" (it was sent); no photo, no dead link
    assert "ส่งภาพเพิ่มเติม" in arrived[0]["text"]
    with services.db.session() as session:
        (row,) = session.scalars(select(Outbox).where(Outbox.purpose == "photo"))
        assert row.status == "withdrawn" and all(m["type"] != "image" for m in row.messages)
    application.extensions["ccpc"].db.dispose()


def test_an_officer_sends_a_photo_to_the_principal(database_url, line, clock, tmp_path):
    application, services, client = photo_app(database_url, line, clock, tmp_path)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.taps("ตอบกลับ")
    officer.sends_image(jpeg(11))
    assert "กำลังส่งถึงผู้รายงาน" in officer.last_text()
    got = principal.messages()[-2:]
    assert "ภาพจากศูนย์" in got[0]["text"] and got[1]["type"] == "image"
    application.extensions["ccpc"].db.dispose()


def test_without_https_an_officer_photo_is_not_lost_silently(app, services, line):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.taps("ตอบกลับ")
    officer.sends_image(jpeg(12))
    assert "PUBLIC_BASE_URL" not in officer.last_text() and "ผู้ดูแลระบบ" in officer.last_text()
    officer.says("ส่งเป็นข้อความแทนครับ")
    assert "ส่งข้อความถึงผู้รายงานเรื่อง 0001/2569 แล้ว" in officer.last_text()


def test_purge_deletes_files_of_closed_cases_but_keeps_the_record(app, services, clock, line):
    officer = add_officer(services, line)
    file_report(line.user(), photos=2)
    file_report(line.user(), photos=1)
    officer.says("ปิดเรื่อง 0001/2569 เสร็จสิ้น")
    clock.advance(days=40)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["photos", "purge", "--closed-before", "2569-12-01"])
    assert result.exit_code == 0 and "2 photo(s)" in result.output
    by_case = {}
    for photo in stored_photos(services):
        by_case.setdefault(photo.case_id, []).append(photo.status)
    first, second = cases(services)
    assert by_case[first.id] == ["purged", "purged"] and by_case[second.id] == ["stored"]
    assert len([p for p in services.media.root.rglob("*") if p.is_file()]) == 2
    assert runner.invoke(args=["photos", "purge", "--closed-before", "someday"]).exit_code != 0
