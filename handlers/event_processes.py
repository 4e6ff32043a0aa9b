"""EVENT_WORKERS: the worker process starts EVENT_WORKERS - 1 more processes that only handle events.

Each is `flask --app app scheduler run --events-only` (the same command, without the jobs),
watched by its parent: one that ends is started again, and all of them stop with the parent.
Only on PostgreSQL, where workers share the events by chat; SQLite keeps one event worker.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RESTART_SECONDS = 3.0
STOP_SECONDS = 20.0


class EventProcesses:
    """`count` child processes handling events beside this one; started again when one ends."""

    def __init__(self, count: int):
        self.count = count
        self.children: list[subprocess.Popen] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="event-processes", daemon=True)

    def start(self) -> "EventProcesses":
        self.children = [self._spawn() for _ in range(self.count)]
        if self.count:
            log.info("started %d more event worker process(es)", self.count)
            self._thread.start()
        return self

    def _spawn(self) -> subprocess.Popen:
        env = {**os.environ, "EVENT_WORKERS": "1"}  # the children start no children of their own
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler", "run", "--events-only"],
                                cwd=ROOT, env=env)

    def _watch(self) -> None:
        while not self._stopping.wait(RESTART_SECONDS):
            for position, child in enumerate(self.children):
                if child.poll() is not None and not self._stopping.is_set():
                    log.warning("event worker process %d ended (exit %s); starting it again", child.pid,
                                child.returncode)
                    self.children[position] = self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
