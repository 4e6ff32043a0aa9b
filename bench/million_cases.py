"""A million cases on PostgreSQL: how fast the bot's everyday queries stay, before and after the indexes.

`--fill` empties the given database, applies the migrations and fills it with SQL
(bench/million_fill.sql: generate_series, no ORM loop) with `--cases` cases over five
Buddhist-Era years, with threads, photos, fund requests, outbox and audit rows. Then every query
below runs through the bot's own code (references, case_view, threads, deadlines, outbox,
intake, reports), each call in a savepoint that is rolled back, so the data never changes:

    lookup by reference · เรื่องค้าง · a console page (by state, newest first) · a principal's open
    cases · the escalation job · the reminder job · the outbox's due rows · filing a case
    (number allocation, alerts) · the monthly summary · the fiscal-year summary

"before" runs them inside a transaction that drops the indexes of migration 0003e first (and
is rolled back); "after" with them. p50/p95 per query, then EXPLAIN ANALYZE of the slowest
statement of the slowest query.

    .venv/bin/python bench/million_cases.py --database postgresql://postgres@127.0.0.1:5432/bench_e --fill

Results and the machine they were measured on: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import random
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from bot.casework import deadlines, references, threads
from bot.casework.case_view import open_cases
from bot.core.db import Database
from bot.intake.cases import file_case, next_number
from bot.line import outbox
from bot.paperwork import reports
from config.settings import Settings
from models import Case, Draft

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 in Bangkok, the fill's "now"
# The indexes migration 0003e adds (and models/ declares): "before" runs without them.
NEW_INDEXES = ("ix_case_open", "ix_case_state_filed", "ix_case_filed_at", "ix_case_reporter_open",
               "ix_case_entry_state_changes", "ix_fund_request_paid", "ix_outbox_pending")
PAGE = 25


class BoundDb:
    """Stands in for `Database` in the bot's jobs: every session is a savepoint of one transaction."""

    def __init__(self, connection):
        self.connection = connection
        self.engine = connection.engine

    @contextmanager
    def session(self):
        session = Session(bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()  # rolls the savepoint back: the data stays as filled


@dataclasses.dataclass
class BenchServices:
    """What the deadline jobs read from Services."""

    db: BoundDb
    settings: Settings

    def now(self) -> datetime:
        return NOW


def fill(database: Database, cases: int) -> float:
    """Empty the database, migrate it and fill it; returns the seconds it took."""
    began = time.perf_counter()
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    database.upgrade()
    sql = (ROOT / "bench" / "million_fill.sql").read_text(encoding="utf-8")
    sql = sql.replace(":cases", str(cases)).replace(":reporters", str(max(10, cases // 200)))
    raw = database.engine.raw_connection()
    try:
        raw.driver_connection.autocommit = True
        raw.driver_connection.execute("BEGIN; " + sql + " COMMIT;")
        raw.driver_connection.execute("VACUUM ANALYZE")
    finally:
        raw.driver_connection.autocommit = False  # back to the pool as it came: the queries need transactions
        raw.close()
    return time.perf_counter() - began


def samples(database: Database, runs: int) -> dict:
    """References, reporters and states to ask about, drawn from the data."""
    rng = random.Random(16)
    with database.session() as session:
        top = session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1))
        ids = [rng.randint(1, top) for _ in range(runs)]
        refs = [f"{n}/{y}" for n, y in session.execute(select(Case.number, Case.year_be).where(Case.id.in_(ids)))]
        users = list(session.scalars(select(Case.reporter_line_user_id).where(Case.id.in_(ids))))
    return {"refs": refs, "users": users}


def measures(settings: Settings, data: dict) -> list[tuple[str, int, callable]]:
    """(name, how many runs, function of (services, run number)) for every query of the bot's work."""
    states = ["new", "taken", "helping", "referred", "following", "closed"]
    months = ["2569-11", "2569-10", "2569-06", "2568-11", "2567-03"]
    fiscal = ["2570", "2569", "2568"]

    def lookup(s, i):
        with s.db.session() as session:
            assert references.find(session, data["refs"][i % len(data["refs"])], NOW) is not None

    def open_list(s, i):
        with s.db.session() as session:
            open_cases(session, NOW, settings)

    def console_page(s, i):
        state, page = states[i % len(states)], i % 4
        with s.db.session() as session:
            list(session.scalars(select(Case).where(Case.state == state)
                                 .order_by(Case.filed_at.desc(), Case.id.desc()).limit(PAGE).offset(page * PAGE)))

    def principal_open(s, i):
        with s.db.session() as session:
            threads.open_cases_of(session, data["users"][i % len(data["users"])])

    def due_rows(s, i):
        outbox.due_ids(s.db, NOW)

    def number(s, i):
        with s.db.session() as session:
            next_number(session, 2569)

    def filing(s, i):
        with s.db.session() as session:
            draft = Draft(line_user_id=data["users"][i % len(data["users"])], step="confirm", updated_at=NOW,
                          answers=draft_answers())
            session.add(draft)
            session.flush()
            file_case(session, draft, NOW, settings)
            session.flush()

    def summary(periods):
        def run(s, i):
            with s.db.session() as session:
                reports.summarise(session, reports.parse_period(periods[i % len(periods)]), settings, NOW)
        return run

    return [
        ("lookup by reference", 200, lookup),
        ("เรื่องค้าง (open cases, oldest first)", 50, open_list),
        ("console page by state, newest first", 48, console_page),
        ("a principal's open cases", 100, principal_open),
        ("escalation job", 30, lambda s, i: deadlines.escalate_unanswered(s)),
        ("reminder job", 30, lambda s, i: deadlines.remind_quiet_owners(s)),
        ("outbox due rows", 100, due_rows),
        ("case number allocation", 100, number),
        ("filing a case (number, alerts)", 50, filing),
        ("monthly summary", 10, summary(months)),
        ("fiscal-year summary", 3, summary(fiscal)),
    ]


def draft_answers() -> dict:
    return {"category": "accident", "subject": "รายงานนักเรียนประสบอุบัติเหตุ", "occurred_at": NOW.isoformat(),
            "facts": "นักเรียนชาย ป.5 จำนวน 1 คน พลัดตกสระน้ำหลังโรงเรียน", "initial_help": "ปฐมพยาบาลแล้ว",
            "source_name": "ครูสมมุติ", "source_phone": "081-000-0000", "reporter_name": "ผอ.สมมุติ",
            "reporter_position": "ผู้อำนวยการโรงเรียน", "reporter_school": "โรงเรียนบ้านสมมุติ",
            "reporter_district": "อำเภอสมมุติ 1", "reporter_phone": "081-000-0001", "photos": []}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


class Statements:
    """Remembers the slowest statement run on the connection (for EXPLAIN)."""

    def __init__(self, connection):
        self.slowest = (0.0, "", None)
        self._started = 0.0
        event.listen(connection, "before_cursor_execute", self._before)
        event.listen(connection, "after_cursor_execute", self._after)

    def _before(self, *args):
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        took = time.perf_counter() - self._started
        if took > self.slowest[0] and not executemany and statement.lstrip().upper().startswith("SELECT"):
            self.slowest = (took, statement, parameters)


def run_all(database: Database, settings: Settings, data: dict, without_indexes: bool, runs_scale: float,
            only: set[str]) -> tuple[dict, tuple]:
    """Time every measure; returns {name: (p50 ms, p95 ms, runs)} and the slowest statement."""
    figures = {}
    with database.engine.connect() as connection:
        transaction = connection.begin()
        if without_indexes:
            for name in NEW_INDEXES:
                connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
        services = BenchServices(BoundDb(connection), settings)
        statements = Statements(connection)
        slowest_measure = (0.0, None)
        for name, runs, function in measures(settings, data):
            if only and not any(word in name for word in only):
                continue
            runs = max(3, int(runs * runs_scale))
            function(services, runs)  # warm: plans and caches as a running service has them
            times = []
            for i in range(runs):
                began = time.perf_counter()
                function(services, i)
                times.append((time.perf_counter() - began) * 1000)
            figures[name] = (percentile(times, 50), percentile(times, 95), runs)
            print(f"  {name:<40} p50 {figures[name][0]:>9.1f} ms  p95 {figures[name][1]:>9.1f} ms  ({runs} runs)",
                  flush=True)
            if figures[name][0] > slowest_measure[0]:
                statements.slowest = (0.0, "", None)
                function(services, 0)
                slowest_measure = (figures[name][0], (name, *statements.slowest[1:]))
        plan = explain(connection, *slowest_measure[1][1:]) if slowest_measure[1] else ""
        transaction.rollback()
    return figures, (slowest_measure[1][0] if slowest_measure[1] else "", plan)


def explain(connection, statement: str, parameters) -> str:
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
    return "\n".join(row[0] for row in cursor.fetchall())


def counts(database: Database) -> str:
    with database.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables "
            "WHERE n_live_tup > 0 ORDER BY n_live_tup DESC"))
        size = connection.scalar(text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
    return "rows (estimated) and sizes: " + ", ".join(f"{name} {rows_:,} ({size_})" for name, rows_, size_ in rows) + f"; database {size}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL of a database this benchmark may own")
    parser.add_argument("--fill", action="store_true", help="empty the database and fill it first")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to fill (default 1,000,000)")
    parser.add_argument("--phase", choices=("before", "after", "both"), default="both")
    parser.add_argument("--runs", type=float, default=1.0, help="scale every query's number of runs")
    parser.add_argument("--only", action="append", default=[], help="run only the queries whose name has this")
    args = parser.parse_args(argv)
    if not args.database.startswith(("postgresql", "postgres:")):
        parser.error("this benchmark is for PostgreSQL")
    if urlsplit(args.database).path.strip("/").startswith("test"):
        raise SystemExit("refusing a test database: the test suite owns (and wipes) it")
    database = Database(args.database)
    settings = Settings(database_url=args.database, districts=tuple(f"อำเภอสมมุติ {i}" for i in range(1, 13)))
    if args.fill:
        print(f"filling {args.cases:,} cases …", flush=True)
        print(f"filled in {fill(database, args.cases):.0f} s", flush=True)
    else:
        database.upgrade()
    print(counts(database))
    data = samples(database, 200)
    results = {}
    for phase in (("before", "after") if args.phase == "both" else (args.phase,)):
        print(f"\n{phase} the indexes of 0003e:", flush=True)
        results[phase] = run_all(database, settings, data, phase == "before", args.runs, set(args.only))
    if args.phase == "both":
        print(f"\n{'query':<40} {'before p50/p95 ms':>20} {'after p50/p95 ms':>20}")
        for name, (p50, p95, _runs) in results["after"][0].items():
            b50, b95, _ = results["before"][0][name]
            print(f"{name:<40} {b50:>9.1f} /{b95:>9.1f} {p50:>9.1f} /{p95:>9.1f}")
    for phase, (_figures, (name, plan)) in results.items():
        print(f"\nEXPLAIN ANALYZE of the slowest statement of the slowest query {phase} the indexes ({name}):\n{plan}")
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
