"""Settings that hold in production: URLs, bounded pools, migrations started together."""
from __future__ import annotations

import threading

from sqlalchemy import inspect

from bot.core.db import Database, make_engine
from config.settings import Settings, from_env


def test_postgres_and_postgresql_urls_both_mean_psycopg():
    for url in ("postgres://ccpc:pw@db.internal/ccpc", "postgresql://ccpc:pw@db.internal/ccpc"):
        assert from_env({"DATABASE_URL": url}).database_url == "postgresql+psycopg://ccpc:pw@db.internal/ccpc"
    engine = make_engine("postgres://ccpc:pw@db.internal/ccpc", pool_size=6)
    assert engine.dialect.driver == "psycopg"
    assert (engine.pool.size(), engine.pool._max_overflow) == (6, 0)  # a known, bounded number per process


def test_pool_size_follows_the_threads_unless_set():
    assert Settings().pool_size == 6
    assert Settings(web_threads=8).pool_size == 10
    assert Settings(web_threads=8, db_pool_size=4).pool_size == 4


def test_processes_migrating_a_new_database_together_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    errors: list[BaseException] = []

    def migrate():
        db = Database(url)
        try:
            db.upgrade()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            db.dispose()

    threads = [threading.Thread(target=migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db = Database(url)
    assert "protection_case" in inspect(db.engine).get_table_names()
    db.dispose()
