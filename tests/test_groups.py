"""The centre's LINE group hears that a case exists, never who or what."""
from __future__ import annotations

import json

from bot.staff import groups
from tests.helpers import add_officer, file_report

GROUP = "C" + "1" * 32


def register_by_code(services, line, member):
    with services.db.session() as session:
        code = groups.invite(session, "กลุ่มศูนย์ทดสอบ", services.now())
        session.commit()
    line.send([line.join_event(GROUP)])
    member.says(f"บอทสวัสดี {code}", group_id=GROUP)  # chatter that merely contains a code is ignored
    member.says(code, group_id=GROUP)
    return code


def test_a_group_registered_by_code_gets_a_notice_free_of_personal_data(app, services, line):
    add_officer(services, line)
    member = line.user()
    code = register_by_code(services, line, member)
    group_texts = [m.get("text", "") for m in line.messages_to(GROUP)]
    assert "ลงทะเบียนกลุ่มนี้เรียบร้อยแล้ว" in group_texts[-1]
    member.says(code, group_id=GROUP)  # a used code stays quiet
    assert len(line.messages_to(GROUP)) == len(group_texts)

    file_report(line.user(), photos=1)
    notice = line.messages_to(GROUP)[-1]
    assert notice["type"] == "text" and "0001/2569" in notice["text"] and "เกิดอุบัติเหตุ" in notice["text"]
    assert "เมืองตัวอย่าง" in notice["text"]
    dumped = json.dumps(line.messages_to(GROUP), ensure_ascii=False)
    for private in ("พลัดตกสระน้ำ", "นายตัวอย่าง", "081-234-5678", "089-123-4567", "โรงเรียนบ้านหนองตัวอย่าง",
                    "นางสาวสมมุติ", "image"):
        assert private not in dumped


def test_group_chatter_is_ignored_and_unregistered_groups_hear_nothing(app, services, line):
    member = line.user()
    line.send([line.join_event(GROUP)])
    joined = len(line.messages_to(GROUP))
    member.says("แจ้งเหตุ", group_id=GROUP)
    member.says("ABCD-EFGH", group_id=GROUP)
    assert len(line.messages_to(GROUP)) == joined
    file_report(line.user())
    assert len(line.messages_to(GROUP)) == joined


def test_groups_cli_registers_lists_and_stops(app, services, line):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["groups", "add", GROUP, "--name", "ทดสอบ"]).exit_code == 0
    assert GROUP in runner.invoke(args=["groups", "list"]).output
    assert runner.invoke(args=["groups", "add", "not-a-group"]).exit_code != 0
    assert runner.invoke(args=["groups", "remove", GROUP]).exit_code == 0
    file_report(line.user())
    assert line.messages_to(GROUP) == []
