"""Webhook acknowledgement latency: the real /callback against a bare signature-check endpoint.

Starts the fake LINE platform on loopback, builds the real app (create_app) on a temporary
SQLite file (or --database URL), adds a bare endpoint to the same app that only verifies
X-Line-Signature and answers 200, and serves both with werkzeug's threaded server (what
`python app.py` runs) on 127.0.0.1. Then `--concurrency` principals, each with its own LINE
user id, walk the whole report form (แจ้งเหตุ ... ยืนยัน) as signed webhook bodies carrying reply
tokens issued by the fake platform, sent as LINE does (a new connection each, over a plain
socket so the load generator costs the shared CPU little); every POST is timed from connect to
the 200. The same load shape is then sent to the bare endpoint. The bot's event worker runs in the
server's process, as in `python app.py`: the webhook stores each event and answers, the worker
handles it and replies. How long each reply took to reach the fake LINE after its event was sent
is printed too ("answered"). Afterwards the fake LINE's deliveries and the database are counted,
so the figures are only printed for events that were really processed; any shortfall exits with
status 1.

By default the server runs in a child process: the load generator and the fake LINE (both
"LINE's side") live in this process, the bot in the other, so the two do not share one GIL.
`--same-process` serves the app from a thread of this process instead. `--worker process` runs the
event worker in a process of its own (as beside gunicorn). `--wait-for-reply` makes each principal
wait for the bot's reply before sending the next event, as people do, instead of sending on the 200.

    .venv/bin/python bench/webhook_latency.py [--events 3000] [--concurrency 16] [--database sqlite|URL]

Results and the machine they were measured on: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import math
import multiprocessing
import os
import pstats
import socket
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from bot.fake_line import FakeLinePlatform, signature, webhook_body
from bot.fake_line.api import REPLY_TOKEN_LIFETIME
from config.categories import CATEGORIES, OTHER
from config.settings import Settings

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
DISTRICTS = ("เมืองตัวอย่าง", "หนองสมมุติ", "โคกจำลอง")
BANGKOK = timezone(timedelta(hours=7))
BARE_PATH = "/bare"
CALLBACK_PATH = "/callback"


# ---- the server side -----------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class _Timed:
    """Wraps a WSGI response: records the handler's and the after-response (close) work's
    elapsed and CPU time. werkzeug closes the response after writing it, so what runs in
    close() (the sends to LINE) is not part of the acknowledgement."""

    def __init__(self, inner, record, path, handler, profile):
        self.inner, self.record, self.path, self.handler, self.profile = inner, record, path, handler, profile

    def __iter__(self):
        return iter(self.inner)

    def close(self) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        if self.profile is not None:
            self.profile.enable()
        try:
            if hasattr(self.inner, "close"):
                self.inner.close()
        finally:
            if self.profile is not None:
                self.profile.disable()
            after = (time.perf_counter() - wall, time.thread_time() - cpu)
            self.record(self.path, self.handler + after, self.profile)


# Functions timed by --breakdown: (module, attribute path, label). Missing ones are skipped, so
# the breakdown keeps working while the code it looks into changes.
BREAKDOWN = (
    ("bot.line.inbox", "store", "ack: inbox.store (the INSERT and commit)"),
    ("bot.line.inbox", "pending", "worker: inbox.pending"),
    ("handlers.events", "_handle_once", "worker: events._handle_once (the whole event)"),
    ("bot.intake.form_engine", "load_draft", "worker:   form_engine.load_draft"),
    ("handlers.events", "on_input", "worker:   conversation.on_input (the answer)"),
    ("bot.intake.cases", "file_case", "worker:     cases.file_case"),
    ("bot.intake.cases", "next_number", "worker:       cases.next_number (the year's counter)"),
    ("bot.line.outbox", "_enqueue", "worker:   outbox._enqueue (limits check + insert)"),
    ("bot.line.outbox", "_claim", "worker: outbox._claim"),
    ("bot.line.outbox", "_record", "worker: outbox._record"),
    ("linebot.v3.messaging", "ReplyMessageRequest.from_dict", "worker: SDK ReplyMessageRequest.from_dict"),
    ("linebot.v3.messaging", "PushMessageRequest.from_dict", "worker: SDK PushMessageRequest.from_dict"),
    ("linebot.v3.messaging", "MessagingApi.reply_message", "worker: SDK reply_message (incl. HTTP)"),
    ("linebot.v3.messaging", "MessagingApi.push_message", "worker: SDK push_message (incl. HTTP)"),
    ("sqlalchemy.orm", "Session.commit", "worker: Session.commit"),
)


class Breakdown:
    """Wraps a few functions to add up their calls, CPU time (of the calling thread) and elapsed time."""

    def __init__(self):
        import importlib

        self._lock = threading.Lock()
        self.totals: dict[str, list] = defaultdict(lambda: [0, 0.0, 0.0])
        for module_name, path, label in BREAKDOWN:
            try:
                owner = importlib.import_module(module_name)
                *parents, name = path.split(".")
                for parent in parents:
                    owner = getattr(owner, parent)
                original = getattr(owner, name)
            except (ImportError, AttributeError):
                continue
            bound_to_class = isinstance(owner, type) and getattr(original, "__self__", None) is owner
            wrapped = self._wrap(original, label)
            setattr(owner, name, staticmethod(wrapped) if bound_to_class else wrapped)  # classmethods stay bound

    def _wrap(self, original, label: str):
        def timed(*args, **kwargs):
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
                with self._lock:
                    entry = self.totals[label]
                    entry[0] += 1
                    entry[1] += cpu
                    entry[2] += wall

        return timed

    def snapshot(self) -> dict:
        with self._lock:
            totals, self.totals = dict(self.totals), defaultdict(lambda: [0, 0.0, 0.0])
        return {label: tuple(values) for label, values in totals.items()}


class BenchServer:
    """The real app plus the bare endpoint, served by werkzeug's threaded server on loopback."""

    def __init__(self, settings: Settings, profile: str | None = None, breakdown: bool = False,
                 with_worker: bool = True):
        from flask import Response, request

        from app import create_app
        from handlers.webhook import signature_ok

        self.breakdown = Breakdown() if breakdown else None
        self.with_worker = with_worker
        self.worker = None
        self.app = create_app(settings)
        secret = settings.line_channel_secret

        def bare() -> Response:
            # The cheapest correct webhook: read the body, check LINE's signature, answer 200.
            body = request.get_data(cache=False)
            if not signature_ok(secret, body, request.headers.get("X-Line-Signature", "")):
                return Response("invalid signature\n", 400)
            return Response("OK\n", 200)

        self.app.add_url_rule(BARE_PATH, "bench_bare", bare, methods=["POST"])
        self._lock = threading.Lock()
        # path -> (handler wall, handler CPU, after-response wall, after-response CPU) per request
        self._timings: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
        self._stats: pstats.Stats | None = None
        inner = self.app.wsgi_app
        profile_clock = profile

        def timed(environ, start_response):
            path = environ.get("PATH_INFO", "")
            profile = None
            if profile_clock and path == CALLBACK_PATH:
                # "cpu": this thread's CPU time (no lock, GIL or network waits); "wall": elapsed time
                profile = cProfile.Profile(time.thread_time if profile_clock == "cpu" else time.perf_counter)
            wall, cpu = time.perf_counter(), time.thread_time()  # werkzeug: one thread per request
            if profile is not None:
                profile.enable()
            try:
                result = inner(environ, start_response)
            finally:
                if profile is not None:
                    profile.disable()
            handler = (time.perf_counter() - wall, time.thread_time() - cpu)
            return _Timed(result, self._record, path, handler, profile)

        self.app.wsgi_app = timed
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_QuietHandler)
        self.port = self.server.server_port
        self._thread = threading.Thread(target=lambda: self.server.serve_forever(poll_interval=0.05),
                                        name="bench-server", daemon=True)

    def _record(self, path: str, timing: tuple[float, float, float, float], profile) -> None:
        with self._lock:
            self._timings[path].append(timing)
            if profile is not None:
                if self._stats is None:
                    self._stats = pstats.Stats(profile)
                else:
                    self._stats.add(profile)

    def start(self) -> None:
        from handlers import worker

        self._thread.start()
        if self.with_worker:  # as `python app.py` does; otherwise a worker process handles the events
            self.worker = worker.start(self.app.extensions["ccpc"], jobs=False)

    def stats(self) -> dict:
        """CPU time of this process so far, and the per-request timings since the last call."""
        with self._lock:
            timings, self._timings = dict(self._timings), defaultdict(list)
        times = os.times()
        return {"cpu_s": times.user + times.system, "timings": timings,
                "breakdown": self.breakdown.snapshot() if self.breakdown else {}}

    def dump_profile(self, path: str) -> bool:
        with self._lock:
            if self._stats is None:
                return False
            self._stats.dump_stats(path)
            return True

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
        if self.worker is not None:
            self.worker.stop()
        self.app.extensions["ccpc"].db.dispose()


def _obey_parent(conn, stats) -> None:
    """In a child process: answer "stats" until told to "stop" or until the parent goes away."""
    try:
        while True:
            if not conn.poll(1.0):
                continue
            command = conn.recv()
            if command == "stats":
                conn.send(stats())
            elif command == "stop":
                return
    except (EOFError, OSError):
        pass  # the parent is gone: stop


def _say_stopped(conn) -> None:
    try:
        conn.send("stopped")
    except (OSError, ValueError):
        pass


def _serve_child(conn, settings: Settings, profile_path: str | None, profile_clock: str, breakdown: bool,
                 with_worker: bool) -> None:
    """Child process: serve until told to stop (or until the parent goes away)."""
    try:
        server = BenchServer(settings, profile=profile_clock if profile_path else None, breakdown=breakdown,
                             with_worker=with_worker)
    except BaseException as exc:  # tell the parent why, then give up
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        raise
    server.start()
    conn.send(("ready", server.port))
    _obey_parent(conn, server.stats)
    server.stop()
    if profile_path:
        server.dump_profile(profile_path)
    _say_stopped(conn)


def _worker_child(conn, settings: Settings) -> None:
    """Child process: the event worker alone, as `flask --app app scheduler run` runs it beside gunicorn."""
    from app import create_app
    from handlers import worker

    services = create_app(settings, migrate=False).extensions["ccpc"]
    events = worker.start(services, jobs=False)
    conn.send(("ready", None))
    _obey_parent(conn, lambda: {"cpu_s": sum(os.times()[:2])})
    events.stop()
    services.db.dispose()
    _say_stopped(conn)


class ChildProcess:
    """A child process that says ("ready", value) or ("error", why), answers "stats" and stops on "stop"."""

    def __init__(self, target, args: tuple, what: str):
        self.what = what
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=target, name=f"bench-{what}", daemon=True, args=(child_conn, *args))
        self._process.start()
        if not self._conn.poll(120):
            self._process.kill()
            raise SystemExit(f"the {what} did not start within 120 s")
        kind, self.value = self._conn.recv()
        if kind != "ready":
            self._process.join(10)
            raise SystemExit(f"the {what} failed to start: {self.value}")

    def stats(self) -> dict:
        self._conn.send("stats")
        if not self._conn.poll(60):
            raise SystemExit(f"the {self.what} did not answer a stats request within 60 s")
        return self._conn.recv()

    def stop(self) -> None:
        try:
            self._conn.send("stop")
            if self._conn.poll(60):
                self._conn.recv()
        except (OSError, EOFError):
            pass
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)


class ServerHandle:
    """The bot's server, in a child process (default) or in a thread of this process; the event
    worker in a thread of the server's process (as `python app.py`) or in a process of its own."""

    def __init__(self, settings: Settings, same_process: bool, profile_path: str | None, profile_clock: str = "cpu",
                 breakdown: bool = False, worker_process: bool = False, event_workers: int = 1):
        self.same_process = same_process
        self.profile_path = profile_path
        self._stopped = False
        # --worker process: `event_workers` processes share the events by chat (PostgreSQL), as
        # EVENT_WORKERS does beside gunicorn
        self.workers = [ChildProcess(_worker_child, (settings,), f"event worker {n + 1}")
                        for n in range(event_workers if worker_process else 0)]
        if same_process:
            self._local = BenchServer(settings, profile=profile_clock if profile_path else None, breakdown=breakdown,
                                      with_worker=not worker_process)
            self._local.start()
            self.port = self._local.port
            return
        self._child = ChildProcess(_serve_child, (settings, profile_path, profile_clock, breakdown,
                                                  not worker_process), "bot's server")
        self.port = self._child.value

    def stats(self) -> dict:
        """The server's stats; its CPU includes the worker process's when there is one."""
        stats = self._local.stats() if self.same_process else self._child.stats()
        for worker in self.workers:
            stats["cpu_s"] += worker.stats()["cpu_s"]
        return stats

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for worker in self.workers:
            worker.stop()
        if not self.same_process:
            self._child.stop()
        else:
            self._local.stop()
            if self.profile_path:
                self._local.dump_profile(self.profile_path)


class GunicornHandle:
    """The production set instead of werkzeug: gunicorn (gunicorn.conf.py, WEB_WORKERS processes) and
    `flask --app app scheduler run` with EVENT_WORKERS, started as the deploy/ units start them."""

    def __init__(self, settings: Settings, tmpdir: str, web_workers: int, event_workers: int):
        import subprocess

        self.port = _free_port()
        metrics = Path(tmpdir) / "metrics"
        metrics.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMETHEUS", "LINE_", "DATABASE"))}
        env.update(DATABASE_URL=settings.database_url, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                   LINE_API_BASE_URL=settings.line_api_base_url, LINE_TIMEOUT_SECONDS="5",
                   CENTRE_HOTLINES=",".join(settings.centre_hotlines), DISTRICTS=",".join(settings.districts),
                   MEDIA_DIR=settings.media_dir, SECRET_KEY=settings.secret_key, HOST="127.0.0.1",
                   PORT=str(self.port), WEB_WORKERS=str(web_workers), SCHEDULER_ENABLED="false",
                   EVENT_WORKERS=str(event_workers), PROMETHEUS_MULTIPROC_DIR=str(metrics), PYTHONUNBUFFERED="1")
        bin_dir = Path(sys.executable).parent
        self.logs = [open(Path(tmpdir) / f"{name}.log", "wb") for name in ("gunicorn", "worker")]
        self.processes = [
            subprocess.Popen([str(bin_dir / "gunicorn"), "--access-logfile", "/dev/null", "app:create_app()"],
                             cwd=ROOT, env=env, stdout=self.logs[0], stderr=subprocess.STDOUT, start_new_session=True),
            subprocess.Popen([str(bin_dir / "flask"), "--app", "app", "scheduler", "run"], cwd=ROOT, env=env,
                             stdout=self.logs[1], stderr=subprocess.STDOUT, start_new_session=True)]
        self.log_paths = [Path(tmpdir) / "gunicorn.log", Path(tmpdir) / "worker.log"]
        deadline = time.monotonic() + 120
        while not self._healthy():
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                self.stop()
                raise SystemExit("gunicorn or the worker did not start:\n"
                                 + "\n".join(p.read_text(errors="replace")[-2000:] for p in self.log_paths))
            time.sleep(0.2)
        self._wait_for_listeners(settings.database_url, event_workers, deadline)

    def _healthy(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def _wait_for_listeners(self, url: str, wanted: int, deadline: float) -> None:
        from sqlalchemy import text

        from bot.core.db import Database

        db = Database(url)
        try:
            while time.monotonic() < deadline:
                with db.engine.connect() as connection:
                    listening = connection.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND application_name = 'ccpc-event-listener'")).scalar()
                if listening >= wanted:
                    return
                time.sleep(0.2)
            raise SystemExit(f"fewer than {wanted} event workers listen")
        finally:
            db.dispose()

    def stats(self) -> dict:
        """CPU of gunicorn, the worker and all their children (from /proc)."""
        return {"cpu_s": sum(_tree_cpu(p.pid) for p in self.processes), "timings": {}, "breakdown": {}}

    def stop(self) -> None:
        import signal

        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except Exception:  # noqa: BLE001 - then it dies the hard way
                os.killpg(process.pid, signal.SIGKILL)
        for log in self.logs:
            log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            todo += [int(c) for t in Path(f"/proc/{current}/task").iterdir()
                     for c in (t / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


# ---- the traffic: principals walking the report form -----------------------------------------

REPORT_CATEGORIES = [c for c in CATEGORIES if c.key != OTHER]  # "อื่น ๆ" asks one more question
FACTS = "นักเรียนชาย ป.5 จำนวน 1 คน พลัดตกสระน้ำหลังโรงเรียน ครูช่วยขึ้นมาได้ หมดสติชั่วครู่"
HELP = "ปฐมพยาบาลและนำส่งโรงพยาบาลชุมชน แจ้งผู้ปกครองแล้ว"


def report_steps(number: int, first_time: bool) -> list[tuple[str, str, str]]:
    """One whole report as (step, kind, value): what the principal types or taps, in order.

    Taps are sent as what the bot's buttons send (a message action sends its text; the
    date-time picker sends a postback with the picked value), so no reply has to be read.
    """
    category = REPORT_CATEGORIES[number % len(REPORT_CATEGORIES)]
    when = ("occurred_at", "picker", "") if number % 2 else ("occurred_at", "text", "เมื่อวาน 10:00")
    steps = [
        ("start", "text", "แจ้งเหตุ"),
        ("category", "text", category.name),  # the category button sends the category's name
        ("subject", "text", category.subject),  # "ใช้เรื่องที่แนะนำ" sends the suggested subject
        when,
        ("facts", "text", FACTS),
        ("initial_help", "text", HELP),
        ("source_name", "text", "นางสาวสมมุติ ทดสอบ"),
        ("source_phone", "text", "089 123 4567"),
    ]
    if first_time:
        steps += [
            ("reporter_name", "text", "นายตัวอย่าง ใจดี"),
            ("reporter_position", "text", "ผู้อำนวยการโรงเรียน"),
            ("reporter_school", "text", f"โรงเรียนบ้านหนองตัวอย่าง {number}"),
            ("reporter_district", "text", DISTRICTS[number % len(DISTRICTS)]),
            ("reporter_phone", "text", "0812345678"),
        ]
    else:
        steps.append(("reporter_confirm", "text", "ใช้ข้อมูลนี้"))
    steps += [("photos", "text", "ข้าม"), ("confirm", "text", "ยืนยัน")]
    return steps


def principal_plan(quota: int, offset: int) -> list[tuple[str, str, str]]:
    """A principal's events: whole reports one after another, cut at `quota` events."""
    plan: list[tuple[str, str, str]] = []
    number = offset
    while len(plan) < quota:
        plan += report_steps(number, first_time=not plan)
        number += 1
    return plan[:quota]


def build_event(platform: FakeLinePlatform, user_id: str, kind: str, value: str) -> dict:
    if kind == "picker":  # LINE's date-time picker: a postback with the picked value
        picked = (datetime.now(BANGKOK) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        return platform.postback_event(user_id, "v1:form:occurred_at", {"datetime": picked})
    return platform.text_event(user_id, value)


class Phase:
    """One endpoint under load: latencies per step, failures, wall time."""

    def __init__(self, name: str):
        self.name = name
        self.latencies: list[tuple[str, float]] = []
        self.failures: list[str] = []
        self.attempted = 0
        self.wall_s = 0.0
        self.client_cpu_s = 0.0  # CPU of this process (load generator and fake LINE) during the phase
        self.truncated = False
        self.sent_steps: Counter = Counter()
        self.sent_at: dict[str, list[float]] = {}  # per principal: when each acknowledged event was sent

    @property
    def ok(self) -> int:
        return len(self.latencies)


def run_phase(name: str, url: str, platform: FakeLinePlatform, plans: dict[str, list], time_limit: float,
              replied: dict[str, threading.Semaphore] | None = None) -> Phase:
    """Every principal sends its plan, one event after the other's 200, all principals at once.

    With `replied`, a principal also waits for the bot's reply to each event before the next one,
    as a person reads the question before answering it."""
    phase = Phase(name)
    lock = threading.Lock()
    start = threading.Barrier(len(plans) + 1)
    deadline = [0.0]

    def principal(user_id: str, plan: list) -> None:
        mine: list[tuple[str, float]] = []
        sent_at: list[float] = []
        failures: list[str] = []
        steps: Counter = Counter()
        attempted = 0
        start.wait()
        try:
            for step, kind, value in plan:
                if time.monotonic() > deadline[0]:
                    with lock:
                        phase.truncated = True
                    break
                # LINE builds and signs the body before it sends it: not part of the latency.
                body = webhook_body([build_event(platform, user_id, kind, value)], platform.bot_user_id)
                request = webhook_request(url, body, signature(SECRET, body))
                attempted += 1
                sent = time.perf_counter()
                try:
                    status, answer = post_raw(url, request)
                except OSError as exc:
                    failures.append(f"{step}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - sent
                if status != 200:
                    failures.append(f"{step}: HTTP {status} {answer[:80]!r}")
                    continue
                mine.append((step, elapsed))
                sent_at.append(sent)
                steps[step] += 1
                if replied is not None and not replied[user_id].acquire(timeout=30):
                    failures.append(f"{step}: no reply within 30 s")
                    break
        finally:
            with lock:
                phase.latencies += mine
                phase.sent_at[user_id] = sent_at
                phase.failures += failures
                phase.sent_steps += steps
                phase.attempted += attempted

    threads = [threading.Thread(target=principal, args=(uid, plan), name=f"principal-{i}", daemon=True)
               for i, (uid, plan) in enumerate(plans.items())]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + time_limit
    cpu = os.times()
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline[0] - time.monotonic() + 60))
    phase.wall_s = time.perf_counter() - began
    phase.client_cpu_s = sum(os.times()[:2]) - sum(cpu[:2])
    if any(t.is_alive() for t in threads):
        phase.failures.append("some principals were still sending after the time limit")
    return phase


def webhook_request(url: str, body: bytes, signed: str) -> bytes:
    """The whole HTTP request LINE would send, built before the clock starts."""
    parts = urlsplit(url)
    head = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            f"X-Line-Signature: {signed}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def post_raw(url: str, request: bytes) -> tuple[int, bytes]:
    """Send a prepared request on a new connection and read the answer to the end: (status, body).

    A plain socket rather than requests: the load generator shares the machine's two cores with the
    bot, and requests spends about a millisecond of CPU per call that the bot's side then lacks.
    """
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += _received(connection)
        head, _, content = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        length = int(next((v for k, v in fields.items() if k.strip().lower() == "content-length"), "0"))
        while len(content) < length:  # the whole answer, as a client does; not waiting for the close
            content += _received(connection)
    return int(lines[0].split(" ", 2)[1]), content


def _received(connection: socket.socket) -> bytes:
    chunk = connection.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection before answering in full")
    return chunk


def warm_up(url: str, platform: FakeLinePlatform, user_ids: list[str]) -> int:
    """One "เมนู" per principal, untimed: first requests pay for imports, templates, connections."""
    ok = 0
    for user_id in user_ids:
        body = webhook_body([platform.text_event(user_id, "เมนู")], platform.bot_user_id)
        response = requests.post(url, data=body, headers={"X-Line-Signature": signature(SECRET, body),
                                                          "Content-Type": "application/json"}, timeout=30)
        if response.status_code != 200:
            raise SystemExit(f"warm-up of {url} answered {response.status_code}: {response.text[:200]!r}")
        ok += 1
    return ok


# ---- figures ---------------------------------------------------------------------------------

def answer_kinds(sent_at: dict[str, list[float]], replies: list[tuple]) -> list[tuple[float, str]]:
    """(send-to-answer time, "reply" or "push") of each answered event; each principal's events
    are answered in order, one answer each."""
    answered: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for user_id, when, kind in list(replies):
        answered[user_id].append((when, kind))
    return [(when - sent, kind) for user_id, sends in sent_at.items()
            for sent, (when, kind) in zip(sends, answered[user_id])]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarise(phase: Phase) -> dict:
    values = [v for _, v in phase.latencies]
    if not values:
        return {"events": 0}
    return {"events": len(values), "wall_s": phase.wall_s, "rate": len(values) / phase.wall_s,
            "client_cpu": phase.client_cpu_s / phase.wall_s,
            "p50": percentile(values, 50) * 1000, "p95": percentile(values, 95) * 1000,
            "p99": percentile(values, 99) * 1000, "max": max(values) * 1000}


def server_figures(timings: list[tuple[float, float, float, float]]) -> dict:
    """Server-side view: elapsed time of the handler (the acknowledgement) and of the
    after-response work (p50/p99), and the mean CPU time each of them took per request."""
    if not timings:
        return {}
    columns = list(zip(*timings))
    handler, handler_cpu, after, after_cpu = (list(c) for c in columns)
    return {"handler_p50": percentile(handler, 50) * 1000, "handler_p99": percentile(handler, 99) * 1000,
            "after_p50": percentile(after, 50) * 1000, "after_p99": percentile(after, 99) * 1000,
            "handler_cpu": sum(handler_cpu) / len(timings) * 1000, "after_cpu": sum(after_cpu) / len(timings) * 1000}


# ---- counting what really happened --------------------------------------------------------------

class Ledger:
    """Counts in the database, read before and after the /callback phase."""

    def __init__(self, database_url: str):
        from bot.core.db import Database

        self.db = Database(database_url)

    def counts(self) -> dict:
        from sqlalchemy import func, select

        from models import Case, Outbox, WebhookEvent

        with self.db.session() as session:
            return {
                "cases": session.scalar(select(func.count()).select_from(Case)),
                "processed_events": session.scalar(select(func.count()).select_from(WebhookEvent)
                                                   .where(WebhookEvent.outcome == "handled")),
                "outbox_max_id": session.scalar(select(func.max(Outbox.id))) or 0,
                "case_max_id": session.scalar(select(func.max(Case.id))) or 0,
            }

    def filed_since(self, after_id: int) -> list[tuple[str, str]]:
        """(principal's LINE user id, case reference) of every case filed after `after_id`."""
        from sqlalchemy import select

        from models import Case

        with self.db.session() as session:
            return [(c.reporter_line_user_id, c.reference) for c in session.scalars(select(Case).where(Case.id > after_id))]

    def outbox_since(self, after_id: int) -> Counter:
        from sqlalchemy import func, select

        from models import Outbox

        with self.db.session() as session:
            rows = session.execute(select(Outbox.status, func.count()).where(Outbox.id > after_id)
                                   .group_by(Outbox.status)).all()
        return Counter({status: count for status, count in rows})

    def add_officers(self, platform: FakeLinePlatform, wanted: int) -> list[str]:
        """Active officers linked to LINE (alerts go to each); adds bench officers up to `wanted`."""
        from bot.staff import officers

        with self.db.session() as session:
            existing = [o.line_user_id for o in officers.active_officers(session)]
            for index in range(len(existing), wanted):
                person = platform.user(display_name=f"เจ้าหน้าที่ทดสอบ {index + 1}")
                officers.add(session, f"เจ้าหน้าที่ทดสอบ {index + 1}", f"081-000-{index + 1:04d}",
                             person.user_id, "officer", datetime.now(UTC))
                existing.append(person.user_id)
            session.commit()
        return existing

    def wait_for_events(self, timeout: float) -> int:
        """Wait until the event worker has handled every stored event; returns how many still wait."""
        from sqlalchemy import func, select

        from models import WebhookEvent

        deadline = time.monotonic() + timeout
        while True:
            with self.db.session() as session:
                waiting = session.scalar(select(func.count()).select_from(WebhookEvent)
                                         .where(WebhookEvent.handled_at.is_(None)))
            if waiting == 0 or time.monotonic() > deadline:
                return waiting
            time.sleep(0.2)

    def wait_for_outbox(self, after_id: int, timeout: float) -> Counter:
        """Wait until every message queued since `after_id` left the pending state (or time runs out)."""
        deadline = time.monotonic() + timeout
        while True:
            statuses = self.outbox_since(after_id)
            if statuses.get("pending", 0) == 0 or time.monotonic() > deadline:
                return statuses
            time.sleep(0.2)


# ---- main ------------------------------------------------------------------------------------

def database_url(choice: str, tmpdir: str) -> str:
    if choice == "sqlite":
        return f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    if urlsplit(choice).path.strip("/") == "test":
        raise SystemExit("refusing the database named `test`: the test suite owns (and wipes) it")
    return choice


BENCH_SIGNING_KEY = "bench-9vQ2mX7pL4kR8sT1wY6zB3nC5hJ0dF2gA7eU4iO1qW8rT6yP3sD5fG9hK2lZ"  # as strong as the app demands


def bench_settings(url: str, line_base_url: str, tmpdir: str) -> Settings:
    """The app's settings for the run; everything it writes (media, keys) stays in `tmpdir`."""
    values = {"line_channel_secret": SECRET, "line_channel_access_token": TOKEN, "line_api_base_url": line_base_url,
              "line_timeout_seconds": 5.0, "database_url": url, "centre_hotlines": ("08x-xxx-0000",),
              "districts": DISTRICTS, "scheduler_enabled": False,
              "media_dir": str(Path(tmpdir) / "media"), "secret_key": BENCH_SIGNING_KEY}
    known = {f.name for f in dataclasses.fields(Settings)}  # settings come and go as the app grows
    return Settings(**{k: v for k, v in values.items() if k in known})


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def print_table(rows: list[tuple[str, dict, dict, float | None]]) -> None:
    head = (f"{'endpoint':<10} {'events':>6} {'wall s':>7} {'events/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'max ms':>7} {'LINE side CPU':>13}")
    print("as LINE sees it (send to 200; LINE side = this process: load generator and fake LINE, in cores):")
    print(head)
    print("-" * len(head))
    for name, figures, _, _ in rows:
        print(f"{name:<10} {figures['events']:>6} {figures['wall_s']:>7.2f} {figures['rate']:>8.1f} "
              f"{figures['p50']:>7.1f} {figures['p95']:>7.1f} {figures['p99']:>7.1f} {figures['max']:>7.1f} "
              f"{figures['client_cpu']:>13.2f}")
    head = (f"{'endpoint':<10} {'handler p50/p99 ms':>18} {'after-response p50/p99 ms':>25} "
            f"{'CPU ms/event: handler + after':>30} {'process CPU ms/event':>20}")
    print("\ninside the bot's server (elapsed; CPU of the request's thread; CPU of the whole process):")
    print(head)
    print("-" * len(head))
    for name, _, server, cpu_ms in rows:
        handler = f"{server.get('handler_p50', 0):.1f} / {server.get('handler_p99', 0):.1f}"
        after = f"{server.get('after_p50', 0):.1f} / {server.get('after_p99', 0):.1f}"
        cpu = f"{server.get('handler_cpu', 0):.2f} + {server.get('after_cpu', 0):.2f}"
        process = "shared with LINE" if cpu_ms is None else f"{cpu_ms:.2f}"
        print(f"{name:<10} {handler:>18} {after:>25} {cpu:>30} {process:>20}")


def print_steps(phase: Phase) -> None:
    by_step: dict[str, list[float]] = defaultdict(list)
    for step, value in phase.latencies:
        by_step[step].append(value)
    print(f"\n{phase.name} latency by form step (ms):")
    print(f"  {'step':<18} {'n':>5} {'p50':>7} {'p99':>7} {'max':>7}")
    order = [s for s, _, _ in report_steps(0, True)] + ["reporter_confirm"]
    for step in sorted(by_step, key=lambda s: order.index(s) if s in order else len(order)):
        values = by_step[step]
        print(f"  {step:<18} {len(values):>5} {percentile(values, 50) * 1000:>7.1f} "
              f"{percentile(values, 99) * 1000:>7.1f} {max(values) * 1000:>7.1f}")


def print_breakdown(totals: dict, events: int) -> None:
    print(f"\nwhere /callback's time goes, per timed event ({events}; nested rows are included in their parent):")
    print(f"  {'function':<50} {'calls':>6} {'CPU ms':>8} {'elapsed ms':>11}")
    order = [label for _, _, label in BREAKDOWN]
    for label in sorted(totals, key=order.index):
        calls, cpu, wall = totals[label]
        print(f"  {label:<50} {calls / events:>6.2f} {cpu / events * 1000:>8.2f} {wall / events * 1000:>11.2f}")


def print_profile(path: str, clock: str, limit: int = 30) -> None:
    out = io.StringIO()
    stats = pstats.Stats(path, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    print(f"\nserver-side cProfile ({clock} clock) of /callback, handler and after-response work, saved in {path}:")
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="timed webhook events per endpoint (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="principals sending at once (default 16)")
    parser.add_argument("--database", default="sqlite",
                        help="'sqlite' (a temporary file, default) or a SQLAlchemy URL, e.g. "
                             "postgresql://postgres@127.0.0.1:5432/bench (migrated, never wiped)")
    parser.add_argument("--officers", type=int, default=3, help="active officers alerted per filed case (default 3)")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per endpoint before stopping early")
    parser.add_argument("--worker", choices=("thread", "process"), default="thread",
                        help="run the event worker in a thread of the server's process, as `python app.py` "
                             "does (default), or in a process of its own, as beside gunicorn")
    parser.add_argument("--event-workers", type=int, default=1,
                        help="with --worker process: this many event worker processes (PostgreSQL shares the "
                             "events among them by chat; SQLite keeps one)")
    parser.add_argument("--server", choices=("dev", "gunicorn"), default="dev",
                        help="werkzeug's threaded server, as `python app.py` (default), or the production set: "
                             "gunicorn with --web-workers and `scheduler run` with EVENT_WORKERS=--event-workers "
                             "(PostgreSQL only; no /bare)")
    parser.add_argument("--web-workers", type=int, default=4, help="with --server gunicorn: WEB_WORKERS (default 4)")
    parser.add_argument("--confirm-burst", action="store_true",
                        help="--concurrency principals fill the form, then all tap ยืนยัน at once; prints the time "
                             "until the last officer alert and checks numbers and alerts. With --drain: only the "
                             "confirmations are drained, their alerts sent in the drain's thread (CPU per "
                             "confirmation with its alerts)")
    parser.add_argument("--wait-for-reply", action="store_true",
                        help="each principal waits for the bot's reply before sending the next event, as "
                             "people do (the bare endpoint is still driven without waiting)")
    parser.add_argument("--same-process", action="store_true",
                        help="serve the app from a thread of this process (shares the GIL with the load)")
    parser.add_argument("--profile", metavar="FILE.prof",
                        help="cProfile the server's /callback work into this pstats file and print the top "
                             "(adds overhead: the latency figures of such a run are not the benchmark)")
    parser.add_argument("--breakdown", action="store_true",
                        help="time a few functions of the app (CPU and elapsed, per event) and print where "
                             "the time goes; cheap enough to leave the figures nearly unchanged")
    parser.add_argument("--drain", action="store_true",
                        help="the event worker's CPU per event: store --events events of --concurrency "
                             "principals (interleaved, no worker running), then handle them all in one drain "
                             "in this process; with --profile, cProfile that drain (CPU clock)")
    parser.add_argument("--top-statements", type=int, default=12, help="with --drain: list this many statements")
    parser.add_argument("--profile-clock", choices=("cpu", "wall"), default="cpu",
                        help="profile CPU time of each request thread (default) or elapsed time, "
                             "which also counts waiting for SQLite's lock, the GIL and LINE")
    args = parser.parse_args(argv)
    if args.events < 1 or args.concurrency < 1:
        parser.error("--events and --concurrency must be at least 1")

    with tempfile.TemporaryDirectory(prefix="ccpc-bench-") as tmpdir:
        url = database_url(args.database, tmpdir)
        platform = FakeLinePlatform(SECRET, access_token=TOKEN)
        base_url = platform.start()
        settings = bench_settings(url, base_url, tmpdir)
        profile_path = os.path.abspath(args.profile) if args.profile else None
        server = None
        ledger = None
        try:
            Ledger(url).db.upgrade()  # before two processes start on it
            if args.drain:
                return drain_cpu(args, platform, settings, profile_path)
            if args.server == "gunicorn":
                if not url.startswith("postgresql"):
                    raise SystemExit("--server gunicorn wants --database postgresql://… (several processes)")
                server = GunicornHandle(settings, tmpdir, args.web_workers, args.event_workers)
            else:
                server = ServerHandle(settings, args.same_process, profile_path, args.profile_clock,
                                      args.breakdown, worker_process=args.worker == "process",
                                      event_workers=args.event_workers)
            ledger = Ledger(url)
            print(f"bot: {describe(args)}, database {url.split('://')[0]}", flush=True)
            if args.confirm_burst:
                return confirm_burst(args, platform, server, ledger)
            return run(args, platform, server, ledger, url, profile_path)
        finally:
            if server is not None:
                server.stop()
            if ledger is not None:
                ledger.db.dispose()
            platform.stop()


def describe(args) -> str:
    if args.server == "gunicorn":
        return f"gunicorn ({args.web_workers} web workers) + scheduler run with EVENT_WORKERS={args.event_workers}"
    if args.worker == "process":
        return f"werkzeug + {args.event_workers} event worker process(es)"
    return "werkzeug with the event worker in a thread (python app.py)"


def run(args, platform: FakeLinePlatform, server: ServerHandle, ledger: Ledger, url: str,
        profile_path: str | None) -> int:
    base = f"http://127.0.0.1:{server.port}"
    shown_url = url if "@" not in url else url.split("://")[0] + "://…@" + url.split("@", 1)[1]
    print(f"bot on {base} ({'same process' if args.same_process else 'child process'}; event worker in "
          f"{f'{args.event_workers} process(es) of its own' if args.worker == 'process' else 'a thread of it'}), "
          f"fake LINE on {platform.base_url}, database {shown_url}")
    print(f"{args.events} timed events per endpoint from {args.concurrency} concurrent principals; "
          f"load average {load_average()} (other work on the machine skews the figures)\n")

    # The bare endpoint really checks the signature (and so does /callback).
    for path in (BARE_PATH, CALLBACK_PATH):
        body = webhook_body([platform.text_event(platform.user().user_id, "เมนู")], platform.bot_user_id)
        good = signature(SECRET, body)
        wrong = ("A" if good[0] != "A" else "B") + good[1:]  # one character off
        status = requests.post(base + path, data=body, headers={"X-Line-Signature": wrong}, timeout=10).status_code
        if status != 400:
            raise SystemExit(f"{path} accepted a wrong signature (HTTP {status})")

    officer_ids = ledger.add_officers(platform, args.officers)
    quotas = split(args.events, args.concurrency)
    failures: list[str] = []

    # -- the bare endpoint ---------------------------------------------------------------------
    bare_plans = {platform.user().user_id: principal_plan(q, i * 7) for i, q in enumerate(quotas) if q}
    warm_up(base + BARE_PATH, platform, list(bare_plans))
    bare_cpu_before = server.stats()["cpu_s"]
    bare = run_phase(BARE_PATH, base + BARE_PATH, platform, bare_plans, args.time_limit)
    bare_server = server.stats()
    failures += [f"{BARE_PATH} {f}" for f in bare.failures]

    # -- the real webhook ----------------------------------------------------------------------
    plans = {platform.user(display_name=f"ผอ.ทดสอบ {i + 1}").user_id: principal_plan(q, i * 7)
             for i, q in enumerate(quotas) if q}
    before = ledger.counts()
    warmed = warm_up(base + CALLBACK_PATH, platform, list(plans))
    ledger.wait_for_events(timeout=60)
    ledger.wait_for_outbox(before["outbox_max_id"], timeout=60)
    replies: list[tuple] = []  # (principal, when the fake LINE accepted an answer to them, reply or push)
    replied = {user_id: threading.Semaphore(0) for user_id in plans} if args.wait_for_reply else None

    def on_delivery(kind, record) -> None:
        if kind == "delivery" and record.to in plans:  # a reply, or a push once the reply token had expired
            replies.append((record.to, time.perf_counter(), record.kind))
            if replied is not None:
                replied[record.to].release()

    platform.listen(on_delivery)
    server.stats()  # starts the timings afresh
    cpu_before = server.stats()["cpu_s"]
    callback = run_phase(CALLBACK_PATH, base + CALLBACK_PATH, platform, plans, args.time_limit, replied)
    failures += [f"{CALLBACK_PATH} {f}" for f in callback.failures]

    # -- did it really happen? -----------------------------------------------------------------
    # The event worker handles the events and sends the replies and alerts after each
    # acknowledgement: wait for the last of them, so the server's CPU below includes all its work.
    unhandled = ledger.wait_for_events(timeout=300)
    statuses = ledger.wait_for_outbox(before["outbox_max_id"], timeout=120)
    callback_server = server.stats()
    answered_kinds = answer_kinds(callback.sent_at, replies)
    answers = [latency for latency, _kind in answered_kinds]
    token_life = REPLY_TOKEN_LIFETIME.total_seconds()
    fresh_pushes = sum(1 for latency, kind in answered_kinds
                       if kind == "push" and latency < token_life - 1)  # a second's slack for the clocks
    after = ledger.counts()
    answered = callback.ok + warmed
    expected_cases = callback.sent_steps["confirm"]
    new_cases = after["cases"] - before["cases"]
    principals = set(plans)
    officers = set(officer_ids)
    deliveries = platform.deliveries
    to_principals = Counter(d.kind for d in deliveries if d.to in principals)
    alerts = sum(1 for d in deliveries if d.to in officers and d.kind != "reply")  # pushes and multicasts
    from bot.core.texts import say

    sorry = say("internal_error")
    apologies = sum(1 for d in deliveries if d.to in principals for m in d.messages if m.get("text") == sorry)
    filed = ledger.filed_since(before["case_max_id"])
    texts_to = defaultdict(list)
    for d in deliveries:
        if d.to in principals:
            texts_to[d.to] += [m.get("text") or "" for m in d.messages]
    filed_replies = sum(1 for user_id, reference in filed
                        if any(t.startswith("ได้รับรายงานแล้ว") and reference in t for t in texts_to[user_id]))
    checks = [
        ("webhook events answered 200 (incl. warm-up)", answered, callback.attempted + warmed),
        ("stored events the worker had not handled", unhandled, 0),
        ("events whose answer reached the fake LINE", len(answers), callback.ok),
        ("events recorded as processed in the database", after["processed_events"] - before["processed_events"],
         answered),
        ("answers delivered to principals by the fake LINE", to_principals["reply"] + to_principals["push"],
         answered),
        # LINE's reply token lasts a minute: an event that waited longer in the backlog is answered by push
        ("answers pushed although the reply token was fresh", fresh_pushes, 0),
        ("cases filed in the database", new_cases, expected_cases),
        ("'case filed' answers delivered", filed_replies, expected_cases),
        ("officer alerts delivered", alerts, new_cases * len(officer_ids)),
        ("outbox rows sent", statuses.get("sent", 0), answered + new_cases * len(officer_ids)),
        ("outbox rows failed or still pending", statuses.get("failed", 0) + statuses.get("pending", 0), 0),
        ("apologies ('internal_error') sent", apologies, 0),
    ]

    # -- figures ---------------------------------------------------------------------------------
    callback_fig, bare_fig = summarise(callback), summarise(bare)
    if not callback_fig["events"] or not bare_fig["events"]:
        print("no successful requests:", *failures[:20], sep="\n  ")
        return 1
    cpu_callback = (callback_server["cpu_s"] - cpu_before) * 1000 / max(1, callback.ok)
    cpu_bare = (bare_server["cpu_s"] - bare_cpu_before) * 1000 / max(1, bare.ok)
    if args.same_process:  # the process's CPU is the load generator's and fake LINE's as well
        cpu_callback = cpu_bare = None
    print_table([
        (CALLBACK_PATH, callback_fig, server_figures(callback_server["timings"].get(CALLBACK_PATH, [])), cpu_callback),
        (BARE_PATH, bare_fig, server_figures(bare_server["timings"].get(BARE_PATH, [])),
         cpu_bare),
    ])
    ratio = callback_fig["rate"] / bare_fig["rate"]
    if answers:
        print(f"\n{CALLBACK_PATH} answered (send → the answer accepted by the fake LINE), ms: "
              f"p50 {percentile(answers, 50) * 1000:.1f}  p95 {percentile(answers, 95) * 1000:.1f}  "
              f"p99 {percentile(answers, 99) * 1000:.1f}  max {max(answers) * 1000:.1f}")
    print(f"\nthroughput /callback ÷ /bare: {ratio:.2f}")
    p99_ok, ratio_ok = callback_fig["p99"] < 50, ratio >= 0.5
    print(f"aim p99 < 50 ms: {'met' if p99_ok else 'NOT met'} ({callback_fig['p99']:.1f} ms); "
          f"aim ≥ 50% of bare throughput: {'met' if ratio_ok else 'NOT met'} ({ratio:.0%})")
    if callback.truncated or bare.truncated:
        print(f"note: the time limit ({args.time_limit:.0f} s) cut a phase short")
    print_steps(callback)
    if args.breakdown:
        print_breakdown(callback_server["breakdown"], callback.ok)
    print(f"\nload average at the end: {load_average()}")

    print("\nwhat really happened (measured / expected):")
    bad = []
    for label, measured, expected in checks:
        mark = "ok" if measured == expected else "MISMATCH"
        print(f"  {label:<50} {measured:>6} / {expected:<6} {mark}")
        if measured != expected:
            bad.append(label)
    print(f"  (warm-up events: {warmed}; officers alerted per case: {len(officer_ids)}; "
          f"outbox rows by status: {dict(statuses)})")
    if profile_path:
        server.stop()  # the child writes the profile when it stops
        print_profile(profile_path, args.profile_clock)
    if failures:
        print(f"\n{len(failures)} request(s) failed:", *failures[:20], sep="\n  ")
    if failures or bad:
        print("\nFAILED: the events were not all processed as expected" if bad else "\nFAILED: some requests failed")
        return 1
    return 0


def confirm_burst(args, platform: FakeLinePlatform, server, ledger: Ledger) -> int:
    """--confirm-burst: every principal fills the form (untimed, reading each answer), then all tap
    ยืนยัน at the same moment. Figures: the acknowledgement of the confirmations, the time from the
    last confirmation's 200 to the last "filed" answer and to the last officer alert, duplicate numbers."""
    base = f"http://127.0.0.1:{server.port}"
    officer_ids = ledger.add_officers(platform, args.officers)
    users = [platform.user(display_name=f"ผอ.ทดสอบ {i + 1}").user_id for i in range(args.concurrency)]
    plans = {uid: report_steps(i * 7, first_time=True)[:-1] for i, uid in enumerate(users)}  # all but ยืนยัน
    before = ledger.counts()
    replied = {uid: threading.Semaphore(0) for uid in users}
    filed_at: dict[str, float] = {}
    to_officers: list[tuple[float, str, str]] = []  # (when, officer, what) of every push to an officer
    principals, officers = set(users), set(officer_ids)
    filling = [True]

    def on_delivery(kind, record) -> None:
        if kind != "delivery":
            return
        if record.to in principals:
            if filling[0]:
                replied[record.to].release()
            elif any((m.get("text") or "").startswith("ได้รับรายงานแล้ว") for m in record.messages):
                filed_at.setdefault(record.to, time.perf_counter())
        elif record.to in officers and record.kind != "reply":  # a multicast's delivery to each officer
            what = " ".join(str(m.get("altText") or m.get("text") or "") for m in record.messages)
            to_officers.append((time.perf_counter(), record.to, what))

    platform.listen(on_delivery)
    print(f"filling {len(users)} forms ({sum(len(p) for p in plans.values())} events, each answer read) …", flush=True)
    filled = run_phase("fill", base + CALLBACK_PATH, platform, plans, args.time_limit, replied)
    if filled.failures:
        print("the forms could not be filled:", *filled.failures[:10], sep="\n  ")
        return 1
    ledger.wait_for_events(timeout=120)
    filling[0] = False
    bodies = {}
    for uid in users:
        body = webhook_body([platform.text_event(uid, "ยืนยัน")], platform.bot_user_id)
        bodies[uid] = webhook_request(base + CALLBACK_PATH, body, signature(SECRET, body))
    go = threading.Barrier(len(users))
    acked: dict[str, tuple[float, float, int]] = {}  # principal -> (sent, 200 received, status)
    cpu_before = server.stats()["cpu_s"]

    def confirm(uid: str) -> None:
        go.wait()
        sent = time.perf_counter()
        try:
            status, _ = post_raw(base + CALLBACK_PATH, bodies[uid])
        except OSError:
            status = 0
        acked[uid] = (sent, time.perf_counter(), status)

    threads = [threading.Thread(target=confirm, args=(uid,), daemon=True) for uid in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    expected_alerts = len(users) * len(officer_ids)
    with ledger.db.session() as session:
        from sqlalchemy import select

        from models import Case, Outbox

        def alerts_sent() -> int:  # the burst's new-case alerts LINE has accepted (not the jobs' reminders)
            session.rollback()
            return len(session.scalars(select(Outbox.id).where(
                Outbox.purpose == "case_alert", Outbox.case_id > before["case_max_id"], Outbox.status == "sent")).all())

        platform.wait_until(lambda: len(filed_at) >= len(users) and alerts_sent() >= expected_alerts, args.time_limit)
        references = [c.reference for c in session.scalars(select(Case).where(Case.id > before["case_max_id"]))]
    alerts_at = [when for when, _to, what in to_officers if any(ref in what for ref in references)]
    per_officer = Counter(to for _when, to, what in to_officers if any(ref in what for ref in references))
    statuses = ledger.wait_for_outbox(before["outbox_max_id"], timeout=60)
    cpu = server.stats()["cpu_s"] - cpu_before
    last_confirmation = max(done for _, done, _ in acked.values())
    acks = [done - sent for sent, done, _ in acked.values()]
    answers = [filed_at[uid] - acked[uid][0] for uid in filed_at]
    with ledger.db.session() as session:
        from sqlalchemy import func, select

        from models import Case

        filed = session.execute(select(Case.year_be, Case.number).where(Case.id > before["case_max_id"])).all()
        numbers = (len(filed), len(set(filed)))
    print(f"\n{len(users)} principals confirming at the same moment, {len(officer_ids)} officers; load average "
          f"{load_average()}")
    print(f"  confirmations answered 200: {sum(1 for *_, st in acked.values() if st == 200)} / {len(users)}; "
          f"ack p50 {percentile(acks, 50) * 1000:.0f} ms, p99 {percentile(acks, 99) * 1000:.0f} ms, "
          f"max {max(acks) * 1000:.0f} ms")
    if answers:
        print(f"  confirmation → 'filed' answer: p50 {percentile(answers, 50):.2f} s, p99 {percentile(answers, 99):.2f} s, "
              f"max {max(answers):.2f} s ({len(answers)} answered)")
    if filed_at:
        print(f"  last confirmation's 200 → last 'filed' answer: {max(filed_at.values()) - last_confirmation:.2f} s")
    if alerts_at:
        print(f"  last confirmation's 200 → last officer alert: {max(alerts_at) - last_confirmation:.2f} s "
              f"({len(alerts_at)} / {expected_alerts} alerts)")
    print(f"  cases filed {numbers[0]}, distinct numbers {numbers[1]}, duplicates {numbers[0] - numbers[1]}; "
          f"alerts per officer {sorted(set(per_officer.values()))}; outbox {dict(statuses)}; "
          f"bot CPU {cpu:.1f} s ({cpu * 1000 / len(users):.0f} ms per confirmation, alerts included)")
    ok = (numbers[0] == numbers[1] == len(users) and len(alerts_at) == expected_alerts
          and set(per_officer.values()) == {len(users)} and len(filed_at) == len(users))
    print("all checks passed" if ok else "FAILED: something is missing or doubled")
    return 0 if ok else 1


class _InlineSends:
    """A send pool that runs each job at once in the calling thread (--drain --confirm-burst)."""

    def submit(self, chats, key, job) -> None:
        job()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        return True


def drain_cpu(args, platform: FakeLinePlatform, settings: Settings, profile_path: str | None) -> int:
    """--drain: the CPU the event worker's thread spends per event, for a drain of stored events.

    The webhooks go through Flask's test client (stored only); then one `worker.drain` handles
    them all here, replies included. Pushes (alerts) go to the send pool's threads and are not
    counted: the figure is what bounds one worker's throughput. With --confirm-burst the forms are
    filled first and only the confirmations are drained, with the alerts sent in the same thread.
    """
    from app import create_app
    from handlers import worker
    from models import WebhookEvent
    from sqlalchemy import func, select

    app = create_app(settings, migrate=False)
    services = app.extensions["ccpc"]
    client = app.test_client()
    ledger = Ledger(settings.database_url)
    ledger.add_officers(platform, args.officers)
    quotas = split(args.events, args.concurrency)
    plans = {platform.user(display_name=f"ผอ.ทดสอบ {i + 1}").user_id: principal_plan(q, i * 7)
             for i, q in enumerate(quotas) if q}
    warm = {uid: [("start", "text", "เมนู")] for uid in plans}

    def store(plans_: dict) -> int:
        stored = 0
        for position in range(max(len(p) for p in plans_.values())):  # interleaved, as webhooks arrive
            for user_id, plan in plans_.items():
                if position < len(plan):
                    _step, kind, value = plan[position]
                    body = webhook_body([build_event(platform, user_id, kind, value)], platform.bot_user_id)
                    answer = client.post(CALLBACK_PATH, data=body, headers={
                        "X-Line-Signature": signature(SECRET, body), "Content-Type": "application/json"})
                    stored += answer.status_code == 200
        return stored

    store(warm)
    worker.drain(services)  # imports, templates, connections
    services.sends.wait_idle(60)
    if args.confirm_burst:  # every form filled (untimed), then only the confirmations are drained
        forms = {uid: report_steps(i * 7, first_time=True) for i, uid in enumerate(plans)}
        store({uid: steps[:-1] for uid, steps in forms.items()})
        worker.drain(services)
        services.sends.wait_idle(120)
        plans = {uid: steps[-1:] for uid, steps in forms.items()}
        services.sends = _InlineSends()  # the alerts are sent in the drain's thread: counted with it
    stored = store(plans)
    statements: Counter = Counter()
    me = threading.get_ident()

    def count(_conn, _cursor, statement, *_args) -> None:
        if threading.get_ident() == me:  # the worker's own statements, not the send pool's
            statements[" ".join(statement.split())[:90]] += 1

    def count_commit(_conn) -> None:
        if threading.get_ident() == me:
            statements["COMMIT"] += 1

    from sqlalchemy import event as sql_event

    sql_event.listen(services.db.engine, "before_cursor_execute", count)
    sql_event.listen(services.db.engine, "commit", count_commit)
    profile = cProfile.Profile(time.thread_time) if profile_path else None
    cpu, wall = time.thread_time(), time.perf_counter()
    if profile is not None:
        profile.enable()
    handled = worker.drain(services)
    if profile is not None:
        profile.disable()
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    sql_event.remove(services.db.engine, "before_cursor_execute", count)
    sql_event.remove(services.db.engine, "commit", count_commit)
    services.sends.wait_idle(120)
    with services.db.session() as session:
        left = session.scalar(select(func.count()).select_from(WebhookEvent).where(WebhookEvent.handled_at.is_(None)))
    print(f"drain of {handled} stored events ({stored} stored, {left} left) from {len(plans)} principals, "
          f"database {settings.database_url.split('://')[0]}; load average {load_average()}")
    print(f"event worker thread: {cpu / max(1, handled) * 1000:.2f} ms CPU per event, "
          f"{wall / max(1, handled) * 1000:.2f} ms elapsed per event ({handled / wall:.0f} events/s)")
    pushed = sum(1 for d in platform.deliveries if d.to in plans and d.kind != "reply")
    print(f"database round trips of the worker's thread per event: {sum(statements.values()) / max(1, handled):.2f} "
          f"(commits {statements['COMMIT'] / max(1, handled):.2f}); answers pushed after their token expired: {pushed}")
    for statement, times in statements.most_common(args.top_statements):
        print(f"  {times / max(1, handled):6.2f}  {statement}")
    if profile is not None:
        profile.dump_stats(profile_path)
        print_profile(profile_path, "cpu")
    services.db.dispose()
    return 0 if handled == stored and not left else 1


if __name__ == "__main__":
    sys.exit(main())
