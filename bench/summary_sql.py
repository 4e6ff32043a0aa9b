"""The summary in SQL against the same figures counted object by object, on a filled PostgreSQL database.

Fill the database first with bench/million_cases.py --fill (1,000,000 cases over five years), then:

    .venv/bin/python bench/summary_sql.py --database postgresql://postgres@127.0.0.1:5432/bench_e

For a month and for two fiscal years it prints the p50/max of `reports.summarise` (GROUP BY, COUNT,
an ordered pick for the median) and of loading every case and state change as objects (the way
the summary was counted before), checks that both give the same figures, and prints EXPLAIN
ANALYZE of the summary's slowest statement. Results: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event

from bot.core.db import Database
from bot.paperwork import reports
from config.settings import Settings
from tests.test_summary_sql import by_objects

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)
PERIODS = ("2569-11", "2570", "2569")


def timed(function, runs: int) -> tuple[float, float, object]:
    """p50 and max in ms over runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--objects-runs", type=int, default=1, help="runs of the object-by-object count (slow)")
    args = parser.parse_args(argv)
    database = Database(args.database)
    settings = Settings(database_url=args.database, districts=tuple(f"อำเภอสมมุติ {i}" for i in range(1, 13)))
    slowest: list = [0.0, "", None]

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["began"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        took = time.perf_counter() - conn.info["began"]
        if took > slowest[0]:
            slowest[:] = [took, statement, parameters]

    print(f"{'period':<10} {'SQL p50 / max ms':>20} {'objects p50 / max ms':>24}  same figures")
    for key in PERIODS:
        period = reports.parse_period(key)
        with database.session() as session:
            event.listen(session.get_bind(), "before_cursor_execute", before)
            event.listen(session.get_bind(), "after_cursor_execute", after)
            sql = timed(lambda: reports.summarise(session, period, settings, NOW), args.runs)
            event.remove(session.get_bind(), "before_cursor_execute", before)
            event.remove(session.get_bind(), "after_cursor_execute", after)
            if not args.objects_runs:  # --objects-runs 0: the SQL figures only
                print(f"{key:<10} {sql[0]:>9.0f} /{sql[1]:>8.0f}", flush=True)
                continue
            objects = timed(lambda: by_objects(session, period, settings), args.objects_runs)
            data = sql[2]
            same = (data.by_category, data.by_district, data.by_state, data.referrals_by_destination) == \
                objects[2][:4] and abs((data.median_minutes_to_take or 0) - (objects[2][5] or 0)) < 1e-6
        print(f"{key:<10} {sql[0]:>9.0f} /{sql[1]:>8.0f} {objects[0]:>12.0f} /{objects[1]:>9.0f}  {same}", flush=True)
    with database.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1], slowest[2])
        print(f"\nEXPLAIN ANALYZE of the slowest statement ({slowest[0] * 1000:.0f} ms):")
        print("\n".join(row[0] for row in cursor.fetchall()))
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
