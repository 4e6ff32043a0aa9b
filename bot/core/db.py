"""The database connection and the unit of work every event or job runs in."""
from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core.private_files import private_sqlite
from bot.core import locks
from config.settings import PROJECT_ROOT, database_url

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
SQLITE_BUSY_SECONDS = 30


DEFAULT_POOL_SIZE = 6  # Settings.pool_size with the default WEB_THREADS


def make_engine(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """An engine for `url`; SQLite gets the settings that let several threads share it.

    On PostgreSQL each process keeps at most `pool_size` connections (no overflow), so the
    installation's total is known in advance: see the README's "Connections" paragraph.
    """
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_sqlite(path)  # children's data: never readable by other users of the machine
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
                               hide_parameters=True)  # a failing statement never logs what a person wrote
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=0, pool_timeout=30,
                         hide_parameters=True)


MAX_ID_DIGITS = 18  # fits a 64-bit integer; a longer "id" in a crafted button names no row


def by_id(session: Session, model, text_id: str):
    """The row whose id a button or command carries as text, or None (also for ids no database could hold)."""
    if not (text_id.isascii() and text_id.isdigit() and len(text_id) <= MAX_ID_DIGITS):
        return None
    return session.get(model, int(text_id))


def insert_for(dialect_name: str):
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING (SQLite and PostgreSQL spell it alike)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.close()


class _Write:
    """One caller's statement in `Database.write_together`, and what became of it."""

    def __init__(self, statement, parameters, key):
        self.statement = statement
        self.parameters = parameters
        self.key = key
        self.rowcount = 0
        self.error: Exception | None = None
        self.done = threading.Event()


def _same_statement(batch: list[_Write]) -> list[list[_Write]]:
    """The batch in runs of writes that share one statement object (and so can run as one)."""
    groups: list[list[_Write]] = []
    for write in batch:
        first = groups[-1][0] if groups else None
        if first and write.key is not None and first.key == write.key and first.statement is write.statement:
            groups[-1].append(write)
        else:
            groups.append([write])
    return groups


def _run_together(connection, writes: list[_Write]) -> None:
    """Run writes of one statement as one execution; each learns how many of its rows were written.

    With a `key`, the statement returns that column of each row it wrote, so every writer can
    count its own rows; without one, each write runs by itself.
    """
    first = writes[0]
    if first.key is None:
        for write in writes:
            result = connection.execute(write.statement, write.parameters)
            # psycopg cannot count an INSERT … ON CONFLICT: such statements say RETURNING
            write.rowcount = len(result.all()) if result.returns_rows else result.rowcount
        return
    rows = [row for write in writes for row in write.parameters]
    written = Counter(value for (value, *_rest) in connection.execute(first.statement, rows))
    for write in writes:
        for row in write.parameters:
            value = row[write.key]
            if value is None:  # a NULL key never conflicts
                write.rowcount += 1
            elif written[value] > 0:  # a key written once counts for the first writer that has it
                write.rowcount += 1
                written[value] -= 1


class Database:
    """Owns the engine; hands out sessions that roll back unless the caller commits."""

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE):
        self.url = database_url(url)
        self.engine = make_engine(url, pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = threading.Lock()
        self._waiting_lock = threading.Lock()
        self._waiting: list[_Write] = []
        # Given to every unit of work's Session.info: settings deep code reads without being passed
        # them (the console's delivery window: bot/line/console_delivery.py).
        self.session_info: dict = {}

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: whatever is not committed when the block ends is rolled back."""
        session = self._sessions(info=dict(self.session_info))
        try:
            yield session
        finally:
            session.close()  # rolls back what was not committed; loaded objects stay readable

    def write_together(self, statement, parameters: list[dict] | None = None, key: str | None = None,
                       notify: str | None = None) -> int:
        """Run one short write, committed together with other threads' concurrent ones; the rows written.

        One commit (one flush to disk) serves every write waiting at that moment: the thread that
        gets the lock first writes them all in one transaction, the others wait for its result.
        A failure fails every write of that transaction, so nobody is told "stored" wrongly.
        With `notify` (PostgreSQL), listeners on that channel are woken when rows were written:
        NOTIFY is sent in the same transaction, so it arrives exactly when the rows are visible.
        """
        mine = _Write(statement, parameters, key)
        with self._waiting_lock:
            self._waiting.append(mine)
        with self._writer:
            if not mine.done.is_set():
                with self._waiting_lock:
                    batch, self._waiting = self._waiting, []
                try:
                    with self.engine.begin() as connection:
                        for group in _same_statement(batch):
                            _run_together(connection, group)
                        if notify and connection.dialect.name == "postgresql" and any(w.rowcount for w in batch):
                            connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": notify})
                except Exception as error:  # noqa: BLE001 - handed to every caller of this batch
                    for write in batch:
                        write.error = error
                for write in batch:
                    write.done.set()
        if mine.error is not None:
            raise mine.error
        return mine.rowcount

    def upgrade(self) -> None:
        """Apply every Alembic migration that this database has not seen yet.

        Any number of processes may call this at once (gunicorn workers starting together): a
        database lock lets one migrate while the others wait, then find nothing left to do.
        """
        from alembic import command

        with locks.migration_lock(self.engine), self.engine.begin() as connection:
            locks.lock_migrations(connection)
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str):
    """Alembic's configuration for our migrations folder, without an alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
