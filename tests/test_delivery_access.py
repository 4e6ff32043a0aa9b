"""A person who lost access gets nothing more: waiting messages are withdrawn, held links stop opening."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import select, update

from app import create_app
from bot.core import access
from bot.photos import pipeline as photos
from models import Case, Officer, Outbox, Photo
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, file_report
from tests.test_groups import GROUP, register_by_code

PUSH, MULTICAST = "/v2/bot/message/push", "/v2/bot/message/multicast"


def outbox_rows(services, to: str) -> list[Outbox]:
    with services.db.session() as session:
        return list(session.scalars(select(Outbox).where(Outbox.to == to).order_by(Outbox.id)))


def case_data_to(line, person) -> list[dict]:
    return [m for m in line.messages_to(person.user_id) if "0001/2569" in str(m)]


def test_an_alert_retrying_for_an_officer_who_is_deactivated_is_never_delivered(app, services, clock, line):
    leaving, staying = add_officer(services, line), add_officer(services, line, "เจ้าหน้าที่ทดสอบ สอง", "081-000-0002")
    line.fail_next(MULTICAST, 500)  # the first send to both officers (one multicast) fails: both alerts wait
    file_report(line.user())
    assert case_data_to(line, leaving) == []
    result = app.test_cli_runner().invoke(args=["officers", "deactivate", leaving.user_id])
    assert result.exit_code == 0, result.output
    for _ in range(4):
        clock.advance(minutes=1)
        services.send_outbox()
    assert case_data_to(line, leaving) == []  # no facts, no reporter phone: nothing
    assert len(case_data_to(line, staying)) == 1
    assert [row.status for row in outbox_rows(services, leaving.user_id)] == ["withdrawn"]


def test_access_is_checked_at_every_send_not_only_when_deactivating(app, services, clock, line):
    officer = add_officer(services, line)
    line.fail_next(PUSH, 500)
    file_report(line.user())
    with services.db.session() as session:  # access ends by any route (a console, a database fix)
        session.execute(update(Officer).values(active=False))
        session.commit()
    clock.advance(minutes=1)
    assert services.send_outbox() == 0
    assert case_data_to(line, officer) == []
    [row] = outbox_rows(services, officer.user_id)
    assert row.status == "withdrawn" and "lost access" in row.last_error


def test_a_notice_retrying_for_a_removed_group_is_never_posted(app, services, clock, line):
    add_officer(services, line)
    register_by_code(services, line, line.user())
    line.fail_next(PUSH + "", 500, times=5)
    file_report(line.user())
    assert app.test_cli_runner().invoke(args=["groups", "remove", GROUP]).exit_code == 0
    line.clear_failures()
    clock.advance(minutes=5)
    services.send_outbox()
    assert not any("0001/2569" in str(m) for m in line.messages_to(GROUP))
    assert "withdrawn" in [row.status for row in outbox_rows(services, GROUP)]


def linked_app(database_url, line, clock, tmp_path):
    settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"),
                             public_base_url="https://ccpc.example.test")
    application = create_app(settings, clock=clock)
    return application, application.extensions["ccpc"], connect(line, application)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_holder(url: str, holder: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, 'to': holder})}"


def test_links_a_deactivated_officer_holds_stop_opening_with_a_thai_explanation(database_url, line, clock,
                                                                                 tmp_path):
    application, services, client = linked_app(database_url, line, clock, tmp_path)
    leaving, staying = add_officer(services, line), add_officer(services, line, "เจ้าหน้าที่ทดสอบ สอง", "081-000-0002")
    file_report(line.user(), photos=1)
    photo_links = {p.user_id: local(line.pushes_to(p.user_id)[-1].messages[1]["originalContentUrl"])
                   for p in (leaving, staying)}
    assert photo_links[leaving.user_id] != photo_links[staying.user_id]  # each link names its holder
    leaving.says("เอกสาร 0001/2569")
    memo = local(next(w for w in leaving.last_text().split() if "/documents/memo/" in w))
    assert client.get(memo).status_code == 200 and client.get(photo_links[leaving.user_id]).status_code == 200

    assert application.test_cli_runner().invoke(args=["officers", "deactivate", leaving.user_id]).exit_code == 0
    for link in (memo, photo_links[leaving.user_id]):
        refused = client.get(link)
        assert refused.status_code == 403 and refused.mimetype == "text/html"
        assert "ไม่มีสิทธิ์เข้าถึงข้อมูลเรื่องนี้แล้ว" in refused.get_data(as_text=True)
    assert client.get(photo_links[staying.user_id]).status_code == 200  # the others' links still work
    # Naming another holder breaks the signature; dropping the holder (the old form) is refused too.
    with services.db.session() as session:
        staying_holder = access.officer_holder(session.scalar(select(Officer).where(
            Officer.line_user_id == staying.user_id)))
    assert client.get(with_holder(memo, staying_holder)).status_code == 403
    assert client.get(memo.replace("to=o1&", "")).status_code == 403
    services.db.dispose()


def test_a_principal_s_photo_link_opens_only_for_their_own_case(database_url, line, clock, tmp_path):
    application, services, client = linked_app(database_url, line, clock, tmp_path)
    add_officer(services, line)
    file_report(line.user(), photos=1)
    file_report(line.user(), photos=1)
    with services.db.session() as session:
        first, second = session.scalars(select(Case).order_by(Case.id)).all()
        photo = session.scalars(select(Photo).where(Photo.case_id == first.id)).one()
        own = photos.image_messages(services.settings, [photo], services.now(), access.reporter_holder(first))
        other = photos.image_messages(services.settings, [photo], services.now(), access.reporter_holder(second))
    assert client.get(local(own[0]["originalContentUrl"])).status_code == 200
    assert client.get(local(other[0]["previewImageUrl"])).status_code == 403
    services.db.dispose()
