"""No two cases ever share a number, even when many principals confirm at the same moment."""
from __future__ import annotations

import threading

import pytest

from bot.intake.cases import next_number
from tests.conftest import SIGNING_KEY


def test_numbers_are_unique_under_concurrent_confirmations(services):
    """Real threads, each its own transaction, like worker processes confirming at once."""
    if services.db.engine.dialect.name == "sqlite":
        workers, per_worker = 4, 10  # SQLite serialises writers; still proves correctness
    else:
        workers, per_worker = 8, 25
    numbers, errors = [], []
    barrier = threading.Barrier(workers)

    def confirm_many():
        barrier.wait()
        for _ in range(per_worker):
            try:
                with services.db.session() as session:
                    number = next_number(session, 2569)
                    session.commit()
                numbers.append(number)
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=confirm_many) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, workers * per_worker + 1))


def test_each_year_has_its_own_sequence(services):
    with services.db.session() as session:
        assert [next_number(session, 2569) for _ in range(3)] == [1, 2, 3]
        assert next_number(session, 2570) == 1
        session.commit()


@pytest.mark.parametrize("workers", [6])
def test_concurrent_full_filings_on_separate_processes_like_gunicorn(services, settings, workers):
    """Several processes file at once through the real domain code; numbers stay unique."""
    if services.db.engine.dialect.name == "sqlite":
        pytest.skip("process-level concurrency is proven on PostgreSQL (TEST_DATABASE_URL)")
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        results = pool.map(_file_in_process, [(settings.database_url, i) for i in range(workers * 4)])
    assert sorted(results) == list(range(1, workers * 4 + 1))


def _file_in_process(args) -> int:
    from datetime import datetime, timezone

    from bot.intake.cases import file_case
    from bot.core.db import Database
    from config.settings import Settings
    from models import Draft

    url, index = args
    db = Database(url)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
    answers = {"category": "accident", "subject": "ทดสอบ", "occurred_at": now.isoformat(), "facts": "ข้อเท็จจริง",
               "source_name": "ผู้รายงาน", "reporter_name": "นายทดสอบ", "reporter_position": "ครู",
               "reporter_school": "โรงเรียนทดสอบ", "reporter_district": "เมือง", "reporter_phone": "081-000-0000"}
    user = f"U{index:032x}"
    with db.session() as session:
        draft = Draft(line_user_id=user, step="summary", answers=answers, editing=False, updated_at=now)
        session.add(draft)
        session.flush()
        file_case(session, draft, now, Settings(database_url=url, secret_key=SIGNING_KEY))
        session.commit()
    with db.session() as session:
        from sqlalchemy import select

        from models import Case
        number = session.scalar(select(Case.number).where(Case.reporter_line_user_id == user))
    db.dispose()
    return number
