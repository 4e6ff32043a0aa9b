"""The web console on 100,000 cases (PostgreSQL): server time of the case list and of a long case page.

`--fill` empties the given database and fills it with bench/million_fill.sql (the filler of
bench/million_cases.py) with `--cases` cases. The script then gives one case a 200-entry thread
(messages both ways, notes, state changes) if it has fewer, signs a supervisor in (a console
session row, as a confirmed code would open) and asks the real app, in this process through Flask's
test client, for each page `--runs` times after two warm-up requests:

    the case list with its default filter · a search by school · a search in the facts (a word every
    case has, and a word only one case has, among open cases and among all) · the page of the case
    with the 200-entry thread

Server time is the request's whole time inside the app: routing, the session check (a write),
the queries, the template. p50/p95 per page, with the p50 of the app's own CPU time (this process)
and of the time spent waiting on PostgreSQL (all statements of the request): on a shared machine
the wall-clock figures grow with the load average, which the script prints.

    .venv/bin/python bench/console.py --database postgresql://postgres@127.0.0.1:5432/bench_c --fill

Results and the machine they were measured on: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from sqlalchemy import event, func, select, text  # noqa: E402

from million_cases import NOW, fill, percentile  # noqa: E402
from bot.core.db import Database  # noqa: E402
from bot.staff import console_access  # noqa: E402
from config.settings import Settings  # noqa: E402
from models import Case, CaseEntry, Officer  # noqa: E402

SIGNING_KEY = "bench-9vQ2mX7pL4kR8sT1wY6zB3nC5hJ0dF2gA7eU4iO1qW8rT6yP3sD5fG9hK2lZ"
THREAD = 200
KINDS = ("from_reporter", "to_reporter", "note", "from_reporter", "to_reporter", "state")


def long_thread(database: Database) -> Case:
    """The newest open case, with at least THREAD entries in its thread (added once, by SQL)."""
    with database.session() as session:
        case = session.scalars(select(Case).where(Case.state == "helping").order_by(Case.id.desc()).limit(1)).one()
        have = session.scalar(select(func.count()).select_from(CaseEntry).where(CaseEntry.case_id == case.id))
        for n in range(have, THREAD):
            kind = KINDS[n % len(KINDS)]
            session.add(CaseEntry(case_id=case.id, at=case.filed_at + timedelta(minutes=10 * n + 1), kind=kind,
                                  author="reporter" if kind == "from_reporter" else "officer",
                                  officer_id=None if kind == "from_reporter" else case.owner_officer_id,
                                  text=f"ข้อความที่ {n + 1} ในเรื่องนี้ นักเรียนปลอดภัยดี ครูติดตามอย่างใกล้ชิด",
                                  detail={"to": "helping", "from": "taken"} if kind == "state" else {}))
        session.commit()
        return case


RARE = "ไฟไหม้ห้องวิทยาศาสตร์"


def rare_word(database: Database, case: Case) -> str:
    """A Thai word of the facts that only one open case has (written into it once)."""
    with database.session() as session:
        row = session.get(Case, case.id)
        if RARE not in row.facts:
            row.facts += f" {RARE}"
            session.commit()
    return RARE


def pages(database: Database, case: Case) -> list[tuple[str, str]]:
    with database.session() as session:
        school = session.scalar(select(Case.reporter_school).where(Case.id == 31337))
    return [("case list, default filter", "/console/cases"),
            ("search by school", f"/console/cases?q={quote(school)}"),
            ("search in the facts, a word every case has", f"/console/cases?q={quote('บาดเจ็บ')}"),
            ("search in the facts, a word one case has", f"/console/cases?q={quote(rare_word(database, case))}"),
            ("the same word, every state (all years)", f"/console/cases?state=all&q={quote(RARE)}"),
            (f"case page, {THREAD}-entry thread", f"/console/cases/{case.id}")]


class SqlTime:
    """Adds up the time the app's statements take (the cursor's execute, so PostgreSQL's work and the wire)."""

    def __init__(self, engine):
        self.total, self._began = 0.0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *args):
        self._began = time.perf_counter()

    def _after(self, *args):
        self.total += time.perf_counter() - self._began


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def signed_in_client(app, database: Database, secret: bytes):
    """A test client with a supervisor's console session (sessions are rows: see console_access)."""
    with database.session() as session:
        boss = session.scalars(select(Officer).where(Officer.role == "supervisor").order_by(Officer.id)).first()
        token = console_access.open_session(session, secret, boss, "127.0.0.1", NOW)
        session.commit()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = token, True
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL of a database this benchmark may own")
    parser.add_argument("--fill", action="store_true", help="empty the database and fill it first")
    parser.add_argument("--cases", type=int, default=100_000, help="cases to fill (default 100,000)")
    parser.add_argument("--runs", type=int, default=100, help="requests per page (default 100)")
    args = parser.parse_args(argv)
    if urlsplit(args.database).path.strip("/").startswith("test"):
        raise SystemExit("refusing a test database: the test suite owns (and wipes) it")
    from app import create_app

    database = Database(args.database)
    if args.fill:
        print(f"filling {args.cases:,} cases …", flush=True)
        print(f"filled in {fill(database, args.cases):.0f} s", flush=True)
    else:
        database.upgrade()
    case = long_thread(database)
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    settings = Settings(database_url=args.database, secret_key=SIGNING_KEY, scheduler_enabled=False,
                        districts=tuple(f"อำเภอสมมุติ {i}" for i in range(1, 13)))
    app = create_app(settings, clock=lambda: NOW)
    client = signed_in_client(app, database, app.extensions["ccpc"].secret)
    with database.session() as session:
        total = session.scalar(select(func.count()).select_from(Case))
    print(f"{total:,} cases; case {case.reference} has a {THREAD}-entry thread; {args.runs} requests a page")
    print(f"load average before: {load_average()}")
    print(f"{'page':<48} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'CPU p50':>8} {'SQL p50':>8}  status")
    worst = 0.0
    sql = SqlTime(app.extensions["ccpc"].db.engine)
    for name, url in pages(database, case):
        for _ in range(2):
            client.get(url)
        times, cpu, waits, statuses = [], [], [], set()
        for _ in range(args.runs):
            sql.total = 0.0
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            response.get_data()
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            waits.append(sql.total * 1000)
            statuses.add(response.status_code)
        worst = max(worst, percentile(times, 95))
        print(f"{name:<48} {percentile(times, 50):7.1f} {percentile(times, 95):7.1f} {max(times):7.1f} "
              f"{percentile(cpu, 50):8.1f} {percentile(waits, 50):8.1f}  {','.join(map(str, sorted(statuses)))}",
              flush=True)
    print(f"load average after: {load_average()}")
    app.extensions["ccpc"].db.dispose()
    print(f"worst p95: {worst:.1f} ms (aim: under 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
