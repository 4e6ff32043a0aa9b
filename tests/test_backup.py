"""Backup then restore into an empty installation gives back the same cases, threads and photos."""
from __future__ import annotations

import stat
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from app import create_app
from models import Case, CaseEntry, Photo
from tests.helpers import add_officer, file_report
from tests.processes import scratch_database


def snapshot(services) -> dict:
    with services.db.session() as session:
        return {
            "cases": [(c.reference, c.state, c.facts, c.reporter_name, c.owner_officer_id)
                      for c in session.scalars(select(Case).order_by(Case.id))],
            "thread": [(e.case_id, e.kind, e.author, e.text) for e in session.scalars(select(CaseEntry).order_by(CaseEntry.id))],
            "photos": [(p.case_id, p.status, p.file_name) for p in session.scalars(select(Photo).order_by(Photo.id))],
        }


def photo_bytes(services) -> dict[str, bytes]:
    root = Path(services.settings.media_dir)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_then_restore_into_an_empty_installation(app, services, line, clock, settings, tmp_path):
    officer = add_officer(services, line)
    file_report(line.user(display_name="ผอ.ทดสอบ"), photos=2)
    officer.taps("รับเรื่อง")
    officer.says("ตอบ #1 รับทราบ กำลังประสานโรงพยาบาล")
    original = snapshot(services)
    assert len(original["photos"]) == 2 and original["thread"]
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = Path(result.output.split("backup written to ", 1)[1].strip())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.rglob("*") if p.is_file())

    postgres = settings.database_url.startswith("postgresql")
    scratch = scratch_database(settings.database_url, "restore") if postgres else nullcontext(
        f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    with scratch as target_url:
        restored_app = create_app(replace(settings, database_url=target_url, media_dir=str(tmp_path / "restored")),
                                  clock=clock)
        restored = restored_app.extensions["ccpc"]
        runner = restored_app.test_cli_runner()
        result = runner.invoke(args=["restore", str(folder)])
        assert result.exit_code == 0, result.output
        assert "1 case(s), 2 photo record(s)" in result.output
        assert snapshot(restored) == original
        assert photo_bytes(restored) == photo_bytes(services)

        again = runner.invoke(args=["restore", str(folder)])  # it holds data now
        assert again.exit_code != 0 and "already holds data" in again.output
        forced = runner.invoke(args=["restore", "--force", str(folder)])
        assert forced.exit_code == 0, forced.output
        assert snapshot(restored) == original
        restored.db.dispose()


def test_restore_refuses_what_is_not_a_backup(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path)])
    assert result.exit_code != 0 and "not a backup folder" in result.output
