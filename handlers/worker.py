"""The background worker: handles stored webhook events and runs the periodic jobs.

Exactly one process runs it (`python app.py`, or `flask --app app scheduler run` beside gunicorn).
The webhook only stores events and wakes the worker; handling them, answering the person and
alerting the officers happen here, one event at a time in arrival order, so two messages from
one principal are never handled out of order or at the same time.
"""
from __future__ import annotations

import logging
import threading

from bot.line import inbox
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
            services.send_claimed(queued)
            images = images or (event.get("message") or {}).get("type") == "image"
            handled += 1
        menus.sync(services)  # an officer who just linked their LINE gets the officers' menu (no-op otherwise)
        if images:  # after the answers: fetching photos is the slow part
            photos.fetch_due(services)
            services.send_outbox()  # what the photos queued (notices, images for officers)
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
        while not self._stopping:
            try:
                drain(self.services)
            except Exception:  # noqa: BLE001 - e.g. the database is away: try again at the next wake-up
                log.exception("event worker: could not handle stored events; trying again shortly")
            waiting.wait(self.services.settings.event_poll_seconds)
            waiting.clear()


def start(services: Services, jobs: bool = True) -> EventWorker:
    """Start the event worker and, unless `jobs` is False, the periodic jobs, in this process."""
    if jobs:
        from bot import scheduler

        scheduler.start(services)
    return EventWorker(services).start()
