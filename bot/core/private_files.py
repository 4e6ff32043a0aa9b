"""Folders and files only the service's own user may open: the database, photos, the signing key, documents.

They hold children's data (or the key to it), so they are created owner-only (folders 0700,
files 0600) whatever the umask, and the service's own ones left readable by an older version
are tightened at start.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from config.settings import INSTANCE_DIR

log = logging.getLogger(__name__)
DIR_MODE, FILE_MODE = 0o700, 0o600


def private_dir(path: str | Path) -> Path:
    """Create the folder (and missing parents) owner-only; an existing one of the service's own is tightened."""
    path = Path(path)
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # another worker made it just now
            pass
        _tighten(folder, DIR_MODE)
    target = missing[0] if missing else path
    if not missing and _ours(target):
        _tighten(target, DIR_MODE)
    return target


def private_file(path: str | Path) -> Path:
    """Make sure the file exists and is owner-only (an empty file is a valid new SQLite database)."""
    path = Path(path)
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def write_private(path: str | Path, data: bytes) -> None:
    """Write a file (a memo, a summary) that only this user may read, even when it replaces an older one."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as out:
        os.fchmod(out.fileno(), FILE_MODE)
        out.write(data)


def _ours(path: Path) -> bool:
    """The instance folder and what is inside it belong to the service; other existing folders are left alone."""
    instance = INSTANCE_DIR.resolve()
    resolved = path.resolve()
    return resolved == instance or instance in resolved.parents


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.stat()
        if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.getuid():
            path.chmod(mode)
    except OSError as error:  # e.g. a read-only mount: the service still runs, and says so
        log.warning("could not make %s owner-only: %s", path, error)


def private_sqlite(path: str | Path) -> None:
    """The SQLite file owner-only before SQLite opens it: its -wal and -shm files are then made with its mode."""
    path = private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, FILE_MODE)
