"""The background worker: handles stored webhook events and runs the periodic jobs.

Exactly one process runs it (`python app.py`, or `flask --app app scheduler run` beside gunicorn):
the one holding the installation's worker lock (bot/core/locks.py). Any other process that starts
it waits quietly and takes over within LOCK_RETRY_SECONDS when the holder dies.
The webhook only stores events and wakes the worker; handling them, answering the person and
alerting the officers happen here, one event at a time in arrival order, so two messages from
one principal are never handled out of order or at the same time.
"""
from __future__ import annotations

import logging
import threading

from bot.core.locks import ProcessLock
from bot.line import inbox
from bot.line.wakeup import Listener
from bot.photos import pipeline as photos
from bot.services import Services
from bot.staff import menus
from handlers import events

log = logging.getLogger(__name__)

BATCH = 100
YIELD_SECONDS = 0.02  # the longest the worker waits for this process's webhooks to be answered
# With more events than this waiting (about a second's work), replies are late whatever the worker
# does, while LINE waits for every webhook's 200 and sends it again after a timeout. The worker
# then waits for a pause in the webhooks (FLOOD_GAP_SECONDS without one), at most FLOOD_YIELD_SECONDS
# per event, so that a burst is acknowledged first and answered right after.
FLOOD_BACKLOG = 50
FLOOD_GAP_SECONDS = 0.01
FLOOD_YIELD_SECONDS = 0.25
LOCK_NAME = "worker"
LOCK_RETRY_SECONDS = 2.0  # how soon a waiting process notices that the holder died


def drain(services: Services) -> int:
    """Handle every stored event, oldest first, sending each one's answer as soon as it commits."""
    handled = 0
    while batch := inbox.pending(services.db, BATCH):
        images = False
        for position, (row_id, event) in enumerate(batch):
            _let_webhooks_go_first(services, len(batch) - position)
            queued = events.handle(services, row_id, event)
            if queued is None:  # another worker took it
                continue
            services.send_claimed(queued)  # the reply now; pushes go to the send pool, never waited on
            images = images or (event.get("message") or {}).get("type") == "image"
            handled += 1
        if images:  # downloads are slow LINE calls too: the pool does them, one after another
            services.sends.submit("photos", "fetch_photos", lambda: photos.fetch_due(services))
        menus.sync(services)  # an officer who just linked their LINE gets the officers' menu (no-op otherwise)
    return handled


def _let_webhooks_go_first(services: Services, waiting: int) -> None:
    """LINE's 200s before the next answer: LINE waits for them, people read the answers."""
    if waiting > FLOOD_BACKLOG:
        services.webhooks.wait_until_quiet(FLOOD_YIELD_SECONDS, gap=FLOOD_GAP_SECONDS)
    else:
        services.webhooks.wait_until_quiet(YIELD_SECONDS)


class EventWorker:
    """A thread that drains the stored events whenever the webhook wakes it, and every few seconds."""

    def __init__(self, services: Services):
        self.services = services
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="event-worker", daemon=True)

    def start(self) -> "EventWorker":
        self._thread.start()
        log.info("event worker started")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping = True
        self.services.events_waiting.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        waiting = self.services.events_waiting
        try:  # what this worker's predecessor claimed and never sent goes out now, not in 2 minutes
            self.services.reclaim_dead_claims()
        except Exception:  # noqa: BLE001 - the claims run out anyway; the outbox job sends them then
            log.exception("event worker: could not take back a stopped sender's messages")
        while not self._stopping:
            try:
                drain(self.services)
            except Exception:  # noqa: BLE001 - e.g. the database is away: try again at the next wake-up
                log.exception("event worker: could not handle stored events; trying again shortly")
            waiting.wait(self.services.settings.event_poll_seconds)
            waiting.clear()


class LockedWorker:
    """Runs the event worker (and the jobs) only while this process holds the worker lock.

    Waiting is quiet: one log line when it starts waiting, one when it takes over.
    """

    def __init__(self, services: Services, jobs: bool = True, retry_seconds: float = LOCK_RETRY_SECONDS):
        self.services, self.jobs, self.retry_seconds = services, jobs, retry_seconds
        self.lock = ProcessLock(services.db.url, LOCK_NAME)
        self.running = threading.Event()  # set while this process does the work
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-lock", daemon=True)

    def start(self) -> "LockedWorker":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        said_waiting = said_unreachable = False
        while not self._stopping.is_set():
            try:
                got = self.lock.try_acquire()
            except Exception as error:  # noqa: BLE001 - the database is away: wait for it, quietly
                if not said_unreachable:
                    log.warning("worker lock: database unreachable (%s); trying again", type(error).__name__)
                said_unreachable = True
                self._stopping.wait(self.retry_seconds)
                continue
            said_unreachable = False
            if not got:
                if not said_waiting:
                    log.info("another process runs the event worker and the jobs; this one waits to take over")
                said_waiting = True
                self._stopping.wait(self.retry_seconds)
                continue
            said_waiting = False
            self._work_while_held()
        self.lock.release()

    def _work_while_held(self) -> None:
        log.info("worker lock taken: this process handles the events%s", " and runs the jobs" if self.jobs else "")
        parts = _start_parts(self.services, self.jobs)
        self.running.set()
        try:
            while not self._stopping.wait(self.retry_seconds):
                if not self.lock.still_held():
                    log.warning("worker lock lost (database connection closed); stopping until it is taken again")
                    break
        finally:
            self.running.clear()
            for stop in reversed(parts):
                stop()


def _start_parts(services: Services, jobs: bool) -> list:
    """Start the event worker, its listener and the scheduler; returns how to stop each."""
    stops = []
    if jobs:
        from bot import scheduler

        periodic = scheduler.start(services)
        stops.append(lambda: periodic.shutdown(wait=False))
    if Listener.useful(services.db.url):
        stops.append(Listener(services.db.url, services.events_waiting).start().stop)
    stops.append(EventWorker(services).start().stop)
    return stops


def start(services: Services, jobs: bool = True) -> LockedWorker:
    """Handle events and, unless `jobs` is False, run the periodic jobs, whenever this process holds the lock."""
    return LockedWorker(services, jobs).start()
