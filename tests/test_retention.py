"""Retention: the purge removes exactly what is past its period, and records what went without content."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from app import create_app
from models import AuditLog, Case, CaseEntry, Outbox, Photo
from tests.conftest import connect
from tests.helpers import add_officer, file_report


def count(services, model, *where) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_purge_removes_exactly_what_is_past_retention_and_records_it(settings, clock, line):
    app = create_app(replace(settings, retention_days=30, outbox_retention_days=10), clock=clock)
    connect(line, app)
    services = app.extensions["ccpc"]
    officer = add_officer(services, line)
    file_report(line.user(display_name="ผอ.หนึ่ง"), photos=1)
    file_report(line.user(display_name="ผอ.สอง"), photos=1)  # the same picture: one file, two records
    officer.says("ปิดเรื่อง #1 ส่งต่อโรงพยาบาลแล้ว ครอบครัวรับทราบ")
    clock.advance(days=31)
    kept_file = Path(services.settings.media_dir)
    files_before = sorted(p for p in kept_file.rglob("*") if p.is_file())
    assert files_before
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would delete 1 closed case(s): 0001/2569" in dry.output
    assert count(services, Case) == 2  # a dry run deletes nothing

    done = runner.invoke(args=["retention"])
    assert done.exit_code == 0, done.output
    assert "deleted 1 closed case(s): 0001/2569" in done.output
    with services.db.session() as session:
        (left,) = session.scalars(select(Case))
        assert left.reference == "0002/2569"
        gone = 1
        for model in (CaseEntry, Photo, AuditLog):
            assert session.scalar(select(func.count()).select_from(model).where(model.case_id == gone)) == 0
        assert session.scalar(select(func.count()).select_from(Photo).where(Photo.case_id == left.id)) == 1
        assert session.scalar(select(func.count()).select_from(CaseEntry).where(CaseEntry.case_id == left.id)) > 0
        # every delivered message was made more than 10 days ago; failed ones would stay
        assert session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent")) == 0
        record = session.scalars(select(AuditLog).where(AuditLog.action == "retention_purge")).one()
    assert sorted(p for p in kept_file.rglob("*") if p.is_file()) == files_before  # case 2 still uses the file
    assert record.detail["references"] == ["0001/2569"] and record.detail["photos"] == 1
    assert "โรงพยาบาล" not in str(record.detail) and "ผอ." not in str(record.detail)  # counts, no content

    again = runner.invoke(args=["retention"])
    assert "deleted 0 closed case(s)" in again.output
    assert count(services, AuditLog, AuditLog.action == "retention_purge") == 1  # nothing gone, nothing recorded
    services.db.dispose()


def test_nothing_is_purged_by_default(app, services, line, clock):
    officer = add_officer(services, line)
    file_report(line.user())
    officer.says("ปิดเรื่อง #1 เรียบร้อย")
    clock.advance(days=4000)
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "deleted 0 closed case(s)" in result.output
    assert count(services, Case) == 1
