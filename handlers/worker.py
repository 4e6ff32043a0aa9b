"""The background worker: handles stored webhook events and runs the periodic jobs.

The periodic jobs run in exactly one process of an installation: the one holding the worker lock
(bot/core/locks.py); any other waits quietly and takes over within LOCK_RETRY_SECONDS when the
holder dies. Event handling depends on the database:
- PostgreSQL: every worker process handles events (`EVENT_WORKERS`, or several `scheduler run`).
  Each takes a chat's events only while it holds that chat (an advisory lock per chat), so one
  chat's events are handled one at a time in arrival order, and different chats in parallel.
- SQLite: one event worker, under the same lock as the jobs.
The webhook only stores events and wakes the workers; handling them, answering the person and
alerting the officers happen here.
"""
from __future__ import annotations

import logging
import threading

from bot.core.locks import ChatLocks, ProcessLock, shared_by_chat
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


def drain(services: Services, chats: ChatLocks | None = None) -> int:
    """Handle every stored event this worker may, oldest first, sending each one's answer as soon as it commits.

    `chats` are the chats this worker holds (None: the only drainer, e.g. in tests). A chat another
    worker holds is left to it for the rest of this drain: that worker goes on until it has none left.
    """
    chats = chats or ChatLocks()
    handled, busy = 0, set()
    while batch := inbox.pending(services.db, BATCH, skip_chats=busy):
        images = False
        last = {chat: position for position, (_row_id, chat, _event) in enumerate(batch)}  # a chat's last event here
        waiting: dict[str, set[int]] = {}  # per chat held: its events still unhandled when it was taken
        try:
            for position, (row_id, chat, event) in enumerate(batch):
                if chat in busy:
                    continue
                if chat not in chats.held:
                    if not chats.try_hold(chat):
                        busy.add(chat)
                        continue
                    if chats.shared:  # the worker that held it before may have handled some of this batch
                        waiting[chat] = inbox.waiting_in(services.db, chat)
                if not chats.shared or row_id in waiting[chat]:
                    _let_webhooks_go_first(services, len(batch) - position)
                    queued = events.handle(services, row_id, event)
                    if queued is not None:  # else another worker took it
                        services.send_queued(queued)  # the reply now; pushes go to the send pool, never waited on
                        images = images or (event.get("message") or {}).get("type") == "image"
                        handled += 1
                if last[chat] == position:  # its replies went: its next event may go to any worker
                    chats.release(chat)
        finally:
            chats.release_all()
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
        chats = ChatLocks(self.services.db.url)  # a connection of its own on PostgreSQL, opened when first needed
        try:
            while not self._stopping:
                try:
                    drain(self.services, chats)
                except Exception:  # noqa: BLE001 - e.g. the database is away: try again at the next wake-up
                    log.exception("event worker: could not handle stored events; trying again shortly")
                waiting.wait(self.services.settings.event_poll_seconds)
                waiting.clear()
        finally:
            chats.close()


class LockedWorker:
    """Runs the jobs only while this process holds the worker lock; the event worker too on SQLite.

    On PostgreSQL the event worker runs from the start, lock or not (chats are claimed one by one).
    Waiting is quiet: one log line when it starts waiting, one when it takes over.
    """

    def __init__(self, services: Services, jobs: bool = True, retry_seconds: float = LOCK_RETRY_SECONDS):
        self.services, self.jobs, self.retry_seconds = services, jobs, retry_seconds
        self.events_free = shared_by_chat(services.db.url)  # several event workers may run (PostgreSQL)
        self.lock = ProcessLock(services.db.url, LOCK_NAME)
        self.running = threading.Event()  # set while this process does the locked work
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-lock", daemon=True)

    def start(self) -> "LockedWorker":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        free = _start_events(self.services) if self.events_free else []
        try:
            if self.jobs or not self.events_free:
                self._hold_the_lock()
            else:
                self._stopping.wait()
        finally:
            for stop in reversed(free):
                stop()

    def _hold_the_lock(self) -> None:
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
                    log.info("another process runs the %s; this one waits to take over%s",
                             "periodic jobs" if self.events_free else "event worker and the jobs",
                             " (it handles events meanwhile)" if self.events_free else "")
                said_waiting = True
                self._stopping.wait(self.retry_seconds)
                continue
            said_waiting = False
            self._work_while_held()
        self.lock.release()

    def _work_while_held(self) -> None:
        events = not self.events_free
        log.info("worker lock taken: this process %s", " and ".join(
            part for part, on in (("handles the events", events), ("runs the jobs", self.jobs)) if on))
        parts = (_start_jobs(self.services) if self.jobs else []) + (_start_events(self.services) if events else [])
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


def _start_jobs(services: Services) -> list:
    from bot import scheduler

    periodic = scheduler.start(services)
    return [lambda: periodic.shutdown(wait=False)]


def _start_events(services: Services) -> list:
    """Start the event worker and its listener; returns how to stop each."""
    stops = []
    if Listener.useful(services.db.url):
        stops.append(Listener(services.db.url, services.events_waiting).start().stop)
    stops.append(EventWorker(services).start().stop)
    return stops


def start(services: Services, jobs: bool = True) -> LockedWorker:
    """Handle events (on SQLite only while holding the lock) and, unless `jobs` is False, run the
    periodic jobs while this process holds the lock."""
    return LockedWorker(services, jobs).start()
