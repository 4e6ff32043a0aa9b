"""Waking the event worker in another process the moment a webhook stores events (PostgreSQL LISTEN/NOTIFY).

The webhook's INSERT sends `NOTIFY ccpc_events` in its own transaction (see `inbox.store`); the
worker process listens on a connection of its own and wakes its event worker on each notice.
Polling every EVENT_POLL_SECONDS stays as the fallback (SQLite, or while the listener reconnects).
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import make_url

from bot.core.locks import libpq_url

log = logging.getLogger(__name__)

CHANNEL = "ccpc_events"
RECONNECT_SECONDS = 5.0
CHECK_STOP_SECONDS = 1.0  # how long one wait for notices lasts before the thread looks at `stop`


class Listener:
    """A thread that sets `wake` whenever some process stores events; PostgreSQL only."""

    def __init__(self, url: str, wake: threading.Event):
        self.url, self.wake = url, wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-listener", daemon=True)

    @staticmethod
    def useful(url: str) -> bool:
        """Only PostgreSQL has LISTEN/NOTIFY; elsewhere the worker polls."""
        return make_url(url).get_backend_name() == "postgresql"

    def start(self) -> "Listener":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as error:  # noqa: BLE001 - the database restarted or is away: poll meanwhile
                if not failing:
                    log.warning("event listener lost its database connection (%s); polling until it is back",
                                type(error).__name__)
                failing = True
                self._stop.wait(RECONNECT_SECONDS)
            else:
                failing = False

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=10,
                             application_name="ccpc-event-listener") as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.wake.set()  # whatever arrived while nobody listened is picked up now
            while not self._stop.is_set():
                for _notice in connection.notifies(timeout=CHECK_STOP_SECONDS):
                    self.wake.set()
