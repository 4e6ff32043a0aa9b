"""Locks shared by every process of one installation, kept in (or next to) its database.

PostgreSQL: advisory locks. A session lock lives on its own connection outside the pool, so it
is released the moment the process holding it dies (its connection closes). SQLite is one file
on one machine: an exclusive `flock` on a file beside it does the same job.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a lock name (the same in every process)."""
    return int.from_bytes(hashlib.sha256(f"ccpc:{name}".encode()).digest()[:8], "big", signed=True)


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def libpq_url(url: str) -> str:
    """The URL psycopg itself understands (without SQLAlchemy's `+driver`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations: the first process migrates, the others wait and then find nothing to do.

    On SQLite a file lock beside the database, held until the migration has committed. On
    PostgreSQL this only yields: call `lock_migrations` first thing in the migration's transaction
    (a transaction-scoped advisory lock, released by its commit).
    """
    path = sqlite_path(engine.url.render_as_string(hide_password=False)) if engine.dialect.name == "sqlite" else None
    if path is None:
        yield
        return
    with _flock(path.with_name(path.name + ".migrate.lock"), blocking=True):
        yield


def lock_migrations(connection: Connection) -> None:
    """PostgreSQL: wait for the migration lock inside the caller's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("migrate")})


@contextmanager
def _flock(path: Path, blocking: bool) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


class ProcessLock:
    """A named lock at most one process holds; released by `release()` or by that process dying."""

    def __init__(self, url: str, name: str):
        self.url, self.name = url, name
        self._holder = None  # the psycopg connection or the file descriptor that holds the lock

    @property
    def acquired(self) -> bool:
        return self._holder is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits. Errors (database away) propagate."""
        if self._holder is not None:
            return True
        if make_url(self.url).get_backend_name() == "postgresql":
            import psycopg

            connection = psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=10,
                                         application_name=f"ccpc-{self.name}-lock")
            got = connection.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(self.name),)).fetchone()[0]
            if got:
                self._holder = connection
            else:
                connection.close()
            return bool(got)
        path = sqlite_path(self.url)
        if path is None:  # an in-memory database belongs to one process anyway
            self._holder = -1
            return True
        fd = os.open(path.with_name(path.name + f".{self.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._holder = fd
        return True

    def still_held(self) -> bool:
        """False when the lock's connection was lost (the database restarted): someone else may hold it now."""
        holder = self._holder
        if holder is None:
            return False
        if isinstance(holder, int):
            return True
        try:
            holder.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means the session, and so the lock, is gone
            self._drop()
            return False

    def release(self) -> None:
        """Give the lock up (closing its connection or file releases it)."""
        self._drop()

    def _drop(self) -> None:
        holder, self._holder = self._holder, None
        if holder is None or holder == -1:
            return
        if isinstance(holder, int):
            os.close(holder)
            return
        try:
            holder.close()
        except Exception:  # noqa: BLE001 - already broken
            pass


def shared_by_chat(url: str) -> bool:
    """Whether several event workers may share the events, each chat held by one (PostgreSQL only)."""
    return make_url(url).get_backend_name() == "postgresql"


class ChatLocks:
    """The chats one event worker holds: while it does, no other worker handles their events.

    PostgreSQL: a session advisory lock per chat, on a connection of this worker's own, so a worker
    that dies lets its chats go at once. Elsewhere (SQLite: a single event worker) every chat is
    granted without asking.
    """

    def __init__(self, url: str | None = None):
        self.url = url
        self.shared = bool(url) and shared_by_chat(url)
        self.held: set[str] = set()
        self._connection = None

    def try_hold(self, chat: str) -> bool:
        """Hold `chat` unless another worker does; never waits. Errors (database away) propagate."""
        if chat in self.held:
            return True
        if self.shared:
            try:
                if self._connection is None or self._connection.closed:
                    import psycopg

                    self._connection = psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=10,
                                                       application_name="ccpc-chat-locks")
                got = self._connection.execute("SELECT pg_try_advisory_lock(%s)",
                                               (lock_key(f"chat:{chat}"),)).fetchone()[0]
            except Exception:
                self.close()  # the session, and every lock it held, is gone
                raise
            if not got:
                return False
        self.held.add(chat)
        return True

    def release(self, chat: str) -> None:
        """Let one chat go (its events in hand are handled and answered)."""
        if chat not in self.held:
            return
        self.held.discard(chat)
        if self.shared and self._connection is not None:
            try:
                self._connection.execute("SELECT pg_advisory_unlock(%s)", (lock_key(f"chat:{chat}"),))
            except Exception:  # noqa: BLE001 - a broken session holds nothing any more
                self.close()

    def release_all(self) -> None:
        """Let every held chat go (to whichever worker asks next)."""
        if self.shared and self.held and self._connection is not None:
            try:
                self._connection.execute("SELECT pg_advisory_unlock_all()")
            except Exception:  # noqa: BLE001 - a broken session holds nothing any more
                self.close()
        self.held.clear()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        self.held.clear()
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
