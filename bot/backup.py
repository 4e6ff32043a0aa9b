"""Backups of one installation (its database and its photo store) and restoring them into an empty one.

A backup is a folder, readable by its owner only:
    manifest.json      when, which database kind, the schema revision, how many cases and photos
    database.dump      PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    database.sqlite3   SQLite: a copy made by SQLite's online backup API (consistent while in use)
    media/             the photo files, copied after the database snapshot
Photos are named by their content and only ever added (or deleted on purpose), so every photo the
database snapshot knows is in media/ unless it was deleted while the backup ran.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.core.db import Database
from bot.core.locks import sqlite_path
from models import Base, Case, Photo

MANIFEST = "manifest.json"
FORMAT = 1
# Tables whose rows make an installation "not empty" (a fresh migrated database has none).
LIVE_TABLES = [t for t in Base.metadata.sorted_tables if t.name != "case_counter"]


class BackupError(RuntimeError):
    """A backup or restore that cannot be done, with the reason in plain words."""


def backup(db: Database, media_dir: str, into: Path, now: datetime) -> Path:
    """Write a new backup folder inside `into`; returns its path."""
    os.umask(0o077)
    target = Path(into) / f"ccpc-backup-{now.strftime('%Y%m%d-%H%M%S')}"
    target.mkdir(parents=True, mode=0o700)
    kind = _kind(db)
    if kind == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target / 'database.dump'}"], db)
    else:
        _sqlite_copy(_sqlite_file(db), target / "database.sqlite3")
    copied = _copy_tree(Path(media_dir), target / "media")
    manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": kind,
                "revision": _revision(db), "photo_files": copied, **_counts(db)}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def restore(db: Database, media_dir: str, source: Path, force: bool = False) -> dict:
    """Bring a backup folder back into this installation; refuses one that has data unless `force`."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup folder (no readable {MANIFEST})") from error
    kind = _kind(db)
    if manifest.get("database") != kind:
        raise BackupError(f"this backup is of a {manifest.get('database')} database; this installation uses {kind}")
    if not force and not is_empty(db):
        raise BackupError("this installation already holds data; restore into an empty one, or use --force "
                          "to replace everything in it")
    db.dispose()  # no connection of ours may hold the tables being replaced
    if kind == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", str(source / "database.dump")], db)
    else:
        _sqlite_copy(source / "database.sqlite3", _sqlite_file(db))
    _copy_tree(source / "media", Path(media_dir))
    db.upgrade()  # a backup from an older version gets this version's schema
    return {**manifest, "restored": _counts(db)}


def is_empty(db: Database) -> bool:
    """True when no table holding the office's data has a row (a new installation)."""
    with db.session() as session:
        return all(session.execute(select(1).select_from(table).limit(1)).first() is None for table in LIVE_TABLES)


def _kind(db: Database) -> str:
    return make_url(db.url).get_backend_name()


def _counts(db: Database) -> dict:
    with db.session() as session:
        return {"cases": session.scalar(select(func.count()).select_from(Case)),
                "photos": session.scalar(select(func.count()).select_from(Photo))}


def _revision(db: Database) -> str | None:
    with db.session() as session:
        return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_file(db: Database) -> Path:
    path = sqlite_path(db.url)
    if path is None:
        raise BackupError("an in-memory database cannot be backed up or restored")
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the service writes."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    source_db, target_db = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with target_db:
            source_db.backup(target_db)
    finally:
        source_db.close()
        target_db.close()
    os.chmod(target, 0o600)


def _copy_tree(source: Path, target: Path) -> int:
    """Copy every file under `source` that `target` lacks (owner-only); returns how many files there are."""
    count = 0
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith(".incoming-"):
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not destination.exists():
            shutil.copy2(path, destination)
            os.chmod(destination, 0o600)
        count += 1
    return count


def _run(command: list[str], db: Database) -> None:
    """Run pg_dump / pg_restore against this database; the password goes by environment, not argument."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: apt-get install postgresql-client "
                          "(the same major version as the server, or newer)")
    url = make_url(db.url)
    env = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
    dbname = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run([*command, f"--dbname={dbname}"], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
