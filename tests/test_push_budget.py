"""LINE's push budget: the quota read by a job and shown, warnings at 80 % and 95 %, the reserve,
a used-up quota recognised (not retried), batching several messages into one push, and replies
carrying what waits — all through the real app, the real SDK and the fake LINE's quota."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app import create_app
from bot.line import budget
from bot.staff import push_budget
from models import Outbox
from tests.conftest import connect, make_settings
from tests.helpers import add_officer, file_report


def quota_reads(line) -> int:
    return sum(r["path"].startswith("/v2/bot/message/quota") for r in line.requests)


def sending_requests(line) -> int:
    """Pushes and multicasts asked of LINE (a multicast is one request for all its recipients)."""
    return sum(r["path"] in ("/v2/bot/message/push", "/v2/bot/message/multicast") for r in line.requests)


def health(services):
    with services.db.session() as session:
        return budget.health(session, services.now())["push_quota"]


@pytest.fixture
def tuned(database_url, line, clock, tmp_path):
    """An app with some budget settings changed: tuned(push_reserve=5) returns its services."""
    made = []

    def build(**overrides):
        settings = make_settings(database_url, line.base_url, media_dir=str(tmp_path / "media"), **overrides)
        application = create_app(settings, clock=clock)
        connect(line, application)
        made.append(application)
        return application, application.extensions["ccpc"]

    yield build
    for application in made:
        application.extensions["ccpc"].db.dispose()


def test_the_quota_is_read_by_the_job_and_shown_without_asking_line_per_request(app, services, client, line):
    line.set_push_quota(100, used=10)
    assert client.get("/healthz").get_json()["push_quota"] is None
    assert quota_reads(line) == 0
    push_budget.check(services)
    assert quota_reads(line) == 2  # quota and consumption, through the SDK
    shown = client.get("/healthz").get_json()["push_quota"]
    assert (shown["quota"], shown["used"], shown["remaining"], shown["used_up"]) == (100, 10, 90, False)
    client.get("/healthz")
    assert quota_reads(line) == 2


def test_supervisors_are_warned_once_at_80_and_once_at_95_percent_each_month(app, services, line, clock):
    officer = add_officer(services, line)
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    line.set_push_quota(100, used=79)
    push_budget.check(services)
    services.send_outbox()
    assert boss.texts() == []
    line.set_push_quota(100, used=80)
    push_budget.check(services)
    push_budget.check(services)
    services.send_outbox()
    assert len(boss.texts()) == 1 and "ใช้ไปแล้ว 80%" in boss.texts()[0]
    line.set_push_quota(100, used=96)
    push_budget.check(services)
    push_budget.check(services)
    services.send_outbox()
    assert len(boss.texts()) == 2 and "95%" in boss.texts()[1] and "เหลือ 4" in boss.texts()[1]
    assert officer.texts() == []

    clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc))  # a new month in Bangkok: LINE counts afresh
    line.set_push_quota(100, used=85)
    push_budget.check(services)
    services.send_outbox()
    assert len(boss.texts()) == 3 and "80%" in boss.texts()[2]


def test_supervisors_see_the_budget_with_quota_and_others_are_told_it_is_theirs(app, services, line):
    officer = add_officer(services, line)
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    boss.says("โควตา")
    assert "ยังไม่ได้อ่าน" in boss.last_text()
    line.set_push_quota(500, used=123)
    push_budget.check(services)
    boss.says("โควตา")
    assert "ใช้ไป 123 จาก 500 (25%) เหลือ 377" in boss.last_text() and "ไม่มีข้อความที่รอส่ง" in boss.last_text()
    officer.says("โควตา")
    assert "เฉพาะหัวหน้าศูนย์" in officer.last_text()


def test_a_used_up_quota_is_recognised_held_not_retried_listed_and_reported(app, services, client, line, clock):
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    boss = add_officer(services, line, "นายหัวหน้า ทดสอบ", "081-000-0100", role="supervisor")
    line.set_push_quota(2)
    file_report(line.user())
    # One multicast to the three: LINE refuses it whole (two pushes left, three wanted), all three wait.
    assert [len(line.pushes_to(p.user_id)) for p in (first, second, boss)] == [0, 0, 0]
    assert sending_requests(line) == 1
    assert any(r.status == 429 for r in line.rejections)

    for _ in range(5):  # no retry storm: held pushes are not tried against LINE again
        clock.advance(minutes=3)
        services.send_outbox()
    assert sending_requests(line) == 1
    shown = client.get("/healthz").get_json()["push_quota"]
    assert shown["used_up"] is True and shown["held"] == 3
    scraped = client.get("/metrics").get_data(as_text=True)
    assert "ccpc_pushes_held 3.0" in scraped and "ccpc_push_quota_remaining" not in scraped  # not read yet

    push_budget.check(services)  # LINE still shows two left: the three go one by one, two fit
    services.send_outbox()
    counts = {p: len(line.pushes_to(p.user_id)) for p in (first, second, boss)}
    assert sorted(counts.values()) == [0, 1, 1] and sending_requests(line) == 4
    unlucky = next(p for p, n in counts.items() if n == 0)
    push_budget.check(services)  # the supervisors' notice waits too, for a reply token
    services.send_outbox()
    assert "ccpc_push_quota_remaining 0.0" in client.get("/metrics").get_data(as_text=True)
    boss.says("เรื่องค้าง")
    assert any("โควตาข้อความ LINE เดือนนี้หมดแล้ว" in t for t in boss.texts())
    boss.says("โควตา")
    assert f"แจ้งเรื่องใหม่ 0001/2569 ถึง {unlucky.display_name}" in boss.last_text() or unlucky is boss
    assert sending_requests(line) == 4

    line.set_push_quota(1000)  # the office bought more: the next reading releases what waited
    push_budget.check(services)
    services.send_outbox()
    assert health(services)["held"] == 0 and health(services)["used_up"] is False


def test_held_alerts_ride_their_officers_next_replies(app, services, line, clock):
    first = add_officer(services, line, "นางสาวหนึ่ง ทดสอบ", "081-000-0001")
    second = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    line.set_push_quota(1)
    file_report(line.user())
    assert line.pushes_to(first.user_id) == line.pushes_to(second.user_id) == []  # the multicast wanted two
    for officer, still_held in ((first, 1), (second, 0)):
        officer.says("เรื่องค้าง")
        reply = [d for d in line.deliveries if d.to == officer.user_id][-1]
        assert reply.kind == "reply" and reply.messages[0]["type"] == "flex" and "0001/2569" in reply.messages[0]["altText"]
        assert "เรื่องค้าง 1 เรื่อง" in reply.messages[-1]["text"]
        with services.db.session() as session:
            assert budget.held_count(session) == still_held


def test_under_the_reserve_only_alerts_are_pushed_and_the_rest_waits_for_a_reply(tuned, line, clock):
    app, services = tuned(push_reserve=5)
    officer = add_officer(services, line)
    principal = line.user()
    line.set_push_quota(100, used=90)
    file_report(principal)
    officer.taps("รับเรื่อง")  # the principal's "taken" notice is pushed: 10 left
    line.set_push_quota(100, used=96)
    push_budget.check(services)  # 4 left, under the reserve of 5
    officer.says("ตอบ 0001/2569 ครูโทรกลับที่เบอร์เดิมได้ไหมคะ")
    assert "ครูโทรกลับ" not in " ".join(principal.texts())
    file_report(line.user())  # an alert of a new case still goes
    assert len(line.pushes_to(officer.user_id)) == 2
    principal.says("ได้ค่ะ")  # the relay waited for this reply token
    reply = [d for d in line.deliveries if d.to == principal.user_id][-1]
    assert reply.kind == "reply" and "ครูโทรกลับ" in reply.messages[0]["text"]
    assert "ได้ค่ะ" not in reply.messages[0]["text"]


def test_several_messages_for_one_person_go_in_one_push_of_at_most_five(tuned, line, clock):
    app, services = tuned(push_coalesce_seconds=30)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.taps("รับเรื่อง")
    assert [d.kind for d in line.deliveries if d.to == officer.user_id][-1] == "reply"  # the action's answer
    before = len(line.pushes_to(officer.user_id))
    for number in range(7):
        clock.advance(seconds=3)
        principal.says(f"ข้อมูลเพิ่มเติมข้อ {number + 1}")
    assert len(line.pushes_to(officer.user_id)) == before  # still waiting for company
    clock.advance(seconds=30)
    services.send_outbox()
    pushed = line.pushes_to(officer.user_id)[before:]
    assert [len(p.messages) for p in pushed] == [5, 2]
    assert "ข้อมูลเพิ่มเติมข้อ 1" in pushed[0].messages[0]["text"]
    assert "ข้อมูลเพิ่มเติมข้อ 7" in pushed[1].messages[1]["text"]


def test_a_burst_goes_as_one_push_however_long_it_lasts_within_three_windows(tuned, line, clock):
    app, services = tuned(push_coalesce_seconds=30)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.taps("รับเรื่อง")
    before = len(line.pushes_to(officer.user_id))
    for number in range(3):  # 20 s apart: each waits for the next
        principal.says(f"ส่วนที่ {number + 1}")
        clock.advance(seconds=20)
        services.send_outbox()
    assert len(line.pushes_to(officer.user_id)) == before
    clock.advance(seconds=10)
    services.send_outbox()
    assert [len(p.messages) for p in line.pushes_to(officer.user_id)[before:]] == [3]
    for number in range(6):  # a trickle is not held back longer than three windows
        principal.says(f"ต่อ {number + 1}")
        clock.advance(seconds=25)
        services.send_outbox()
    assert [len(p.messages) for p in line.pushes_to(officer.user_id)[before + 1:]] == [4]


def test_a_batched_push_rides_the_reply_when_its_person_writes_first(tuned, line, clock):
    app, services = tuned(push_coalesce_seconds=30)
    officer = add_officer(services, line)
    principal = line.user()
    file_report(principal)
    officer.taps("รับเรื่อง")
    principal.says("นักเรียนกลับบ้านแล้วค่ะ")
    clock.advance(seconds=10)
    officer.says("บันทึก 0001/2569 รับทราบ")
    reply = [d for d in line.deliveries if d.to == officer.user_id][-1]
    assert reply.kind == "reply" and "นักเรียนกลับบ้านแล้วค่ะ" in reply.messages[0]["text"]
    clock.advance(seconds=60)
    services.send_outbox()
    assert "นักเรียนกลับบ้านแล้วค่ะ" not in str([p.messages for p in line.pushes_to(officer.user_id)])


def test_every_push_is_counted_per_case_and_kind(app, services, line, clock):
    officer = add_officer(services, line)
    other = add_officer(services, line, "นายสอง ทดสอบ", "081-000-0002")
    principal = line.user()
    file_report(principal)
    officer.taps("รับเรื่อง")
    officer.says("ตอบ 0001/2569 รับทราบค่ะ")
    with services.db.session() as session:
        cost = budget.cost_per_case(session)
        rows = session.query(Outbox).filter(Outbox.kind == "reply").all()
    case_id = next(iter(k for k in cost if k is not None))
    assert cost[case_id] == {"alert": 2, "state": 2, "relay": 1}  # taken: the other officer and the principal
    assert all(r.pushes == 0 for r in rows)
    result = app.test_cli_runner().invoke(args=["pushes", "report"])
    assert result.exit_code == 0
    assert "0001/2569\t5\talert 2\trelay 1\tstate 2" in result.output and "total 5" in result.output


def test_the_held_list_and_the_quota_from_the_command_line(app, services, line):
    add_officer(services, line)
    line.set_push_quota(0)
    file_report(line.user())
    runner = app.test_cli_runner()
    quota = runner.invoke(args=["pushes", "quota"])
    assert quota.exit_code == 0 and "0 of 0" in quota.output and "used up" in quota.output
    held = runner.invoke(args=["pushes", "held"])
    assert "case_alert" in held.output and "0001/2569" in held.output and "1 held" in held.output


def test_the_simulator_can_run_with_a_small_quota(tmp_path):
    from dataclasses import replace

    from config.settings import Settings
    from handlers import simulator_mode

    settings = simulator_mode.simulator_settings(Settings(scheduler_enabled=False, simulator_push_quota=3))
    settings = replace(settings, database_url=f"sqlite:///{tmp_path / 'simulator.sqlite3'}",
                       media_dir=str(tmp_path / "media"))
    app, simulator = simulator_mode.build(create_app, settings)
    try:
        shown = app.test_client().get("/healthz").get_json()["push_quota"]
        assert (shown["quota"], shown["used"]) == (3, 0)
        assert app.extensions["ccpc"].settings.quota_check_minutes == 1
    finally:
        simulator.platform.stop()
        app.extensions["ccpc"].db.dispose()


def test_the_fake_line_answers_the_quota_endpoints_and_refuses_pushes_over_the_quota(services, line):
    gateway = services.gateway
    result, quota, used = gateway.quota()
    assert result.ok and (quota, used) == (None, 0)  # LINE's "type": "none"
    line.set_push_quota(1)
    assert gateway.push("U" + "a" * 32, [{"type": "text", "text": "หนึ่ง"}], "0b1c2d3e-0000-4000-8000-000000000001").ok
    refused = gateway.push("U" + "a" * 32, [{"type": "text", "text": "สอง"}], "0b1c2d3e-0000-4000-8000-000000000002")
    assert (refused.outcome, refused.status) == ("quota", 429) and "monthly limit" in refused.detail
    assert gateway.reply(line.issue_reply_token("U" + "a" * 32), [{"type": "text", "text": "ฟรี"}]).ok
    assert gateway.quota()[1:] == (1, 1) and line.push_usage == 1
