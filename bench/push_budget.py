"""A month of casework: how many pushes (LINE's monthly quota) does an ordinary case cost?

Plays a realistic month through the real app and the fake LINE on loopback, on a temporary SQLite
file, with an injected clock (a month passes in a minute): `--cases` cases filed at random times
(mostly school hours) by as many principals; `--officers` hotline officers plus one supervisor; a
duty roster with two officers on duty at any time (a day and a night pair). Each case runs a
typical thread: one or two follow-ups from the principal before anyone takes it, an on-duty officer
taking it after a few minutes (now and then after the 15-minute deadline), a reply to the principal
and a state change, the principal answering in a burst, another exchange later that day, a
follow-up state the next day and the closing a few days later. The periodic jobs (escalation,
reminders, the send job) run as the worker would.

With `--console` (after only), the day pair (officers 1 and 2 of the roster) also keeps the web
console open on weekdays 08:30-16:30 Bangkok time: their console polls `/console/inbox.json` before
every step and at every tick (a real page polls every 20 s) and acknowledges what it shows, so the
relays and notices it showed are not pushed (CONSOLE_PUSH_GRACE_SECONDS; bot/line/console_delivery.py).
They still act from LINE. A console whose session ran out (CONSOLE_IDLE_MINUTES) is signed in again.

The same month (same seed) is played twice: **before** (no roster, every push at once: what the
code before issue 15 did; with `--before-code DIR` it is played on that checkout instead, e.g. a
`git worktree` of main) and **after** (the roster and PUSH_COALESCE_SECONDS). It prints the pushes
LINE counted per case and in total, by kind, and checks that every new case's alert reached at
least one officer (exit 1 otherwise).

    .venv/bin/python bench/push_budget.py [--cases 40] [--officers 5] [--seed 1] [--coalesce 30] [--only after] [--console]
    git worktree add --detach /tmp/ccpc-main main
    .venv/bin/python bench/push_budget.py --before-code /tmp/ccpc-main

Results and the machine: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SECRET, TOKEN = "bench-channel-secret", "bench-access-token"
START = datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc)  # 1 November 2026, 00:00 in Bangkok
KINDS = {"case_alert": "alert", "reporter_wrote": "relay", "relay_to_reporter": "relay", "case_taken": "state",
         "state_changed": "state", "escalation_1": "escalation", "escalation_2": "escalation", "reminder": "reminder",
         "still_waiting": "reminder", "followup_untaken": "relay", "reporter_thanked": "relay",
         "taken_by_other": "state"}


class Clock:
    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current


def month_plan(cases: int, seed: int) -> list[tuple[datetime, int, str, str]]:
    """(when, case index, who, what) for the whole month, in time order."""
    rng = random.Random(seed)
    steps = []
    for index in range(cases):
        day = rng.randrange(30)
        hour = rng.choice([8, 9, 9, 10, 10, 11, 13, 13, 14, 14, 15, 16, 18, 21])
        filed = START + timedelta(days=day, hours=hour, minutes=rng.randrange(60))
        t = filed
        steps.append((t, index, "principal", "file"))
        for n in range(rng.choice([1, 1, 2])):  # a follow-up or two before anyone takes it
            t += timedelta(seconds=rng.randint(40, 150))
            steps.append((t, index, "principal", f"ข้อมูลเพิ่มเติม {n + 1}: นักเรียนอยู่กับครูประจำชั้นแล้ว"))
        taken = filed + timedelta(minutes=rng.choice([3, 5, 6, 8, 10, 12, 20]))
        t = max(t, taken) + timedelta(seconds=5)
        steps.append((t, index, "officer", "take"))
        t += timedelta(seconds=rng.randint(20, 70))
        steps.append((t, index, "officer", "ตอบ {ref} ศูนย์รับเรื่องแล้วค่ะ ขอเบอร์ผู้ปกครองด้วยนะคะ"))
        t += timedelta(seconds=rng.randint(10, 30))
        steps.append((t, index, "officer", "สถานะ {ref} กำลังช่วยเหลือ"))
        t += timedelta(minutes=rng.randint(3, 15))
        for n in range(rng.choice([1, 2, 2, 3])):  # the principal answers in a burst
            t += timedelta(seconds=rng.randint(5, 40))
            steps.append((t, index, "principal", f"เบอร์ผู้ปกครอง 08{n}-000-0000 ค่ะ ตอนนี้ติดต่อแล้ว"))
        t += timedelta(minutes=rng.randint(20, 180))
        steps.append((t, index, "officer", "ตอบ {ref} ได้ประสานโรงพยาบาลแล้วค่ะ พรุ่งนี้จะโทรติดตาม"))
        t += timedelta(minutes=rng.randint(5, 60))
        steps.append((t, index, "principal", "ขอบคุณค่ะ"))
        t += timedelta(days=1, hours=rng.randint(0, 4))
        steps.append((t, index, "officer", "ตอบ {ref} สอบถามอาการนักเรียนวันนี้ค่ะ"))
        t += timedelta(seconds=rng.randint(10, 40))
        steps.append((t, index, "officer", "สถานะ {ref} ติดตามผล"))
        t += timedelta(minutes=rng.randint(10, 120))
        steps.append((t, index, "principal", "นักเรียนกลับมาเรียนแล้วค่ะ"))
        t += timedelta(days=rng.randint(2, 6))
        steps.append((t, index, "officer", "ปิดเรื่อง {ref} นักเรียนปลอดภัย ผู้ปกครองรับทราบ"))
    return sorted(steps, key=lambda step: step[0])


def on_duty_pair(when: datetime) -> tuple[int, int]:
    """The roster's two officers on duty: 0 and 1 by day (08:00-20:00 Bangkok), 2 and 3 by night."""
    hour = (when + timedelta(hours=7)).hour
    return (0, 1) if 8 <= hour < 20 else (2, 3)


def at_desk(when: datetime) -> bool:
    """The day pair's console is open: weekdays 08:30-16:30, Bangkok time."""
    local = when + timedelta(hours=7)
    minutes = local.hour * 60 + local.minute
    return local.weekday() < 5 and 8 * 60 + 30 <= minutes < 16 * 60 + 30


class Desk:
    """One officer's web console, as its page behaves: it polls, shows and acknowledges."""

    def __init__(self, app, services, line_user):
        self.app, self.services, self.line_user = app, services, line_user
        self.client, self.shown = None, 0

    def _sign_in(self) -> None:
        from sqlalchemy import select

        from bot.staff import console_access
        from models import Officer

        self.client = self.app.test_client()
        with self.services.db.session() as session:
            officer = session.scalars(select(Officer).where(Officer.line_user_id == self.line_user.user_id)).one()
            token = console_access.open_session(session, self.services.secret, officer, "127.0.0.1", self.services.now())
            session.commit()
        with self.client.session_transaction() as cookie:
            cookie["_user_id"], cookie["_fresh"] = token, True
        page = self.client.get("/console/cases").get_data(as_text=True)
        self.csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]

    def poll(self) -> None:
        """The page's poll: the officer is present; what it shows is acknowledged."""
        if self.client is None:
            self._sign_in()
        answer = self.client.get("/console/inbox.json", headers={"Accept": "application/json"})
        if answer.status_code == 401:  # the idle timeout signed it out: the officer signs in again
            self._sign_in()
            answer = self.client.get("/console/inbox.json", headers={"Accept": "application/json"})
        ids = [m["id"] for m in answer.get_json()["messages"]]
        if ids:
            settled = self.client.post("/console/inbox/seen", json={"ids": ids},
                                       headers={"X-CSRFToken": self.csrf, "Accept": "application/json"})
            self.shown += len(settled.get_json()["settled"])


def play(args) -> dict:
    """Play the month in this process (on whichever code is first on sys.path); returns the figures."""
    from sqlalchemy import func, select

    from app import create_app
    from bot.casework import deadlines
    from bot.fake_line import FakeLinePlatform
    from config.settings import Settings
    from handlers import worker
    from models import Case, Outbox
    from tests.helpers import add_officer, fill_report

    tmp = tempfile.mkdtemp(prefix="ccpc-pushes-")
    clock = Clock(START)
    line = FakeLinePlatform(SECRET, access_token=TOKEN, clock=clock)
    line.start()
    wanted = dict(line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=line.base_url,
                  database_url=f"sqlite:///{tmp}/month.sqlite3", districts=("เมืองตัวอย่าง",),
                  centre_hotlines=("08x-xxx-0000",), media_dir=f"{tmp}/media", scheduler_enabled=False,
                  secret_key="bench-signing-key-" + "x" * 48, push_coalesce_seconds=args.coalesce if args.after else 0)
    known = {f.name for f in dataclasses.fields(Settings)}
    app = create_app(Settings(**{k: v for k, v in wanted.items() if k in known}), clock=clock)
    services, client = app.extensions["ccpc"], app.test_client()

    def deliver(body: bytes, signature: str) -> int:
        status = client.post("/callback", data=body, headers={"X-Line-Signature": signature,
                                                              "Content-Type": "application/json"}).status_code
        worker.drain(services)
        services.sends.wait_idle(30)
        return status

    line.deliver = deliver
    officers = [add_officer(services, line, f"เจ้าหน้าที่ทดสอบ {n + 1}", f"081-000-{n + 1:04d}")
                for n in range(args.officers)]
    add_officer(services, line, "หัวหน้าศูนย์ ทดสอบ", "081-000-0100", role="supervisor")
    if args.after:  # the roster: a day pair and a night pair
        runner = app.test_cli_runner()
        for n, hours in ((1, "08:00-20:00"), (2, "08:00-20:00"), (3, "20:00-08:00"), (4, "20:00-08:00")):  # #5: spare
            assert runner.invoke(args=["roster", "add", f"#{n}", "all", hours]).exit_code == 0

    desks = [Desk(app, services, officers[n]) for n in (0, 1)] if args.after and args.console else []

    def at_the_console(when: datetime) -> None:
        if at_desk(when):
            for desk in desks:
                desk.poll()

    def tick(when: datetime) -> None:
        clock.current = when
        at_the_console(when)
        deadlines.escalate_unanswered(services)
        deadlines.tell_waiting_principals(services)
        deadlines.remind_quiet_owners(services)
        services.send_outbox()
        services.sends.wait_idle(30)

    principals = [line.user(display_name=f"ผู้อำนวยการ {n + 1}") for n in range(args.cases)]
    plan = month_plan(args.cases, args.seed)
    filed_order: list[int] = []
    owners: dict[int, int] = {}
    checkpoints = sorted({when + timedelta(minutes=m) for when, _, _, what in plan if what == "file"
                          for m in (16, 61)} | {when + timedelta(seconds=args.coalesce + 1) for when, *_ in plan})
    events = sorted([(when, 1, step) for when, *step in plan] + [(when, 0, None) for when in checkpoints],
                    key=lambda e: (e[0], e[1]))
    for when, _, step in events:
        if step is None:
            tick(when)
            continue
        clock.current = when
        at_the_console(when)
        index, who, what = step
        ref = f"{filed_order.index(index) + 1:04d}/2569" if index in filed_order else ""
        if who == "principal" and what == "file":
            fill_report(principals[index], when="เมื่อ 1 ชั่วโมงที่แล้ว")
            principals[index].taps("ยืนยัน")
            filed_order.append(index)
        elif who == "principal":
            principals[index].says(what)
        elif what == "take":
            owners[index] = on_duty_pair(when)[index % 2]
            officers[owners[index]].says(f"รับเรื่อง {ref}")
        else:
            officers[owners[index]].says(what.format(ref=ref))
    tick(clock.current + timedelta(days=1))
    with services.db.session() as session:
        pushed = session.execute(select(Outbox.case_id, Outbox.purpose, func.count()).where(
            Outbox.status == "sent", Outbox.kind == "push").group_by(Outbox.case_id, Outbox.purpose)).all()
        alerted = set(session.scalars(select(Outbox.case_id).where(Outbox.purpose == "case_alert",
                                                                   Outbox.status == "sent")))
        case_ids = set(session.scalars(select(Case.id)))
        to_principals = session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.status == "sent", Outbox.kind == "push",
            Outbox.to.in_(select(Case.reporter_line_user_id))))
    line.stop()
    by_kind, by_case = Counter(), Counter()
    for case_id, purpose, count in pushed:
        by_kind[KINDS.get(purpose, "other")] += count
        by_case[case_id] += count
    requests = sum(r["path"] in ("/v2/bot/message/push", "/v2/bot/message/multicast") for r in line.requests)
    return {"cases": len(case_ids), "total": sum(by_kind.values()), "by_kind": dict(by_kind),
            "per_case": sorted(by_case[c] for c in case_ids), "push_requests": requests,
            "to_principals": to_principals,
            "alerts_lost": len(case_ids - alerted), "console_shown": sum(desk.shown for desk in desks)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--officers", type=int, default=5, help="hotline officers besides the one supervisor")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--coalesce", type=int, default=30, help="PUSH_COALESCE_SECONDS for the after run")
    parser.add_argument("--before-code", default="", help="play the before run on this checkout (a worktree of main)")
    parser.add_argument("--only", choices=["before", "after"], help="play one of the two months")
    parser.add_argument("--console", action="store_true",
                        help="after: the day pair keeps the web console open on weekdays 08:30-16:30")
    parser.add_argument("--play", choices=["before", "after"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.play:  # a child run: print the figures as JSON
        args.after = args.play == "after"
        print(json.dumps(play(args)))
        return 0
    results = {}
    modes = (args.only,) if args.only else ("before", "after")
    for mode in modes:
        code = Path(args.before_code).resolve() if mode == "before" and args.before_code else ROOT
        command = [sys.executable, str(Path(__file__).resolve()), "--play", mode, "--cases", str(args.cases),
                   "--officers", str(args.officers), "--seed", str(args.seed), "--coalesce", str(args.coalesce),
                   *(["--console"] if args.console and mode == "after" else [])]
        out = subprocess.run(command, cwd=code, env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, check=False)
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{args.cases} cases, {args.officers} officers + 1 supervisor, 2 on duty (after), seed {args.seed}, "
          f"PUSH_COALESCE_SECONDS={args.coalesce} (after)" + (f", before on {args.before_code}" if args.before_code else "")
          + (", the day pair at the console on weekdays 08:30-16:30 (after)" if args.console else ""))
    kinds = sorted({kind for r in results.values() for kind in r["by_kind"]})
    print(f"{'':8} {'total':>6} {'per case':>9} {'median':>7} {'max':>5} " + " ".join(f"{k:>10}" for k in kinds)
          + f" {'requests':>9} {'to principals':>13} {'to staff':>8} {'alerts lost':>11}")
    for mode, r in results.items():
        per = r["per_case"]
        print(f"{mode:8} {r['total']:>6} {r['total'] / r['cases']:>9.1f} {per[len(per) // 2]:>7} {per[-1]:>5} "
              + " ".join(f"{r['by_kind'].get(k, 0):>10}" for k in kinds)
              + f" {r['push_requests']:>9} {r['to_principals']:>13} {r['total'] - r['to_principals']:>8}"
              f" {r['alerts_lost']:>11}")
    if args.console and "after" in results:
        print(f"shown in the day pair's console instead of pushed (after): {results['after']['console_shown']}")
    if len(results) == 2:
        print(f"{results['before']['total'] / max(results['after']['total'], 1):.1f}x fewer pushes per case")
    return 1 if any(r["alerts_lost"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
