"""A few threads that send pushes apart from the event order, so a slow LINE call holds up nobody else.

Jobs are keyed by chat (a multicast by each of its chats): two jobs for one chat never run at once
and run in the order they came, so one person's messages keep their order, while other chats go
ahead on the other threads.
Threads start when there is work and end when there is none: nothing to start or stop.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Callable

log = logging.getLogger(__name__)

THREADS = 4  # LINE answers in ~0.1 s and at worst LINE_TIMEOUT_SECONDS: four cover a burst of alerts


class SendPool:
    """Runs jobs on at most `size` threads, one at a time per chat, in arrival order per chat."""

    def __init__(self, size: int = THREADS):
        self.size = size
        self._lock = threading.Condition()
        self._queue: deque[tuple[tuple[str, ...], str, Callable[[], object]]] = deque()
        self._queued: set[str] = set()  # keys waiting (a job queued twice runs once)
        self._busy: set[str] = set()  # chats a thread is sending to
        self._threads = 0

    def submit(self, chats: str | tuple[str, ...], key: str, job: Callable[[], object]) -> None:
        """Run `job` soon on a pool thread, after earlier jobs for the same chat (or chats)."""
        with self._lock:
            if key in self._queued:
                return
            self._queued.add(key)
            self._queue.append(((chats,) if isinstance(chats, str) else tuple(chats), key, job))
            if self._threads < self.size:
                self._threads += 1
                threading.Thread(target=self._run, name="line-sender", daemon=True).start()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every job submitted so far has run (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or self._threads:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def _run(self) -> None:
        while True:
            with self._lock:
                taken = self._next()
                if taken is None:  # nothing, or only chats another thread is busy with: it takes them
                    self._threads -= 1
                    self._lock.notify_all()
                    return
                chats, key, job = taken
            try:
                job()
            except Exception:  # noqa: BLE001 - one failed send must not stop the others
                log.exception("sending in the background failed; the outbox retries it later")
            finally:
                with self._lock:
                    self._busy.difference_update(chats)
                    self._lock.notify_all()

    def _next(self):
        """The first job none of whose chats is busy or waits for an earlier job still queued."""
        passed: set[str] = set()
        for index, (chats, key, job) in enumerate(self._queue):
            if not passed.intersection(chats) and self._busy.isdisjoint(chats):
                del self._queue[index]
                self._queued.discard(key)
                self._busy.update(chats)
                return chats, key, job
            passed.update(chats)
        return None
