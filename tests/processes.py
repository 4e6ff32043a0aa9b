"""Real service processes for tests: started with the project's own commands, always stopped again."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POLL = 0.05  # how often a bounded wait looks again


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_env(database_url: str, line_base_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process pointed at a test database and the fake LINE."""
    from tests.conftest import SECRET, SIGNING_KEY, TOKEN

    env = {key: value for key, value in os.environ.items() if not key.startswith(("PROMETHEUS", "LINE_"))}
    env.update(DATABASE_URL=database_url, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
               LINE_API_BASE_URL=line_base_url, LINE_TIMEOUT_SECONDS="5", MEDIA_DIR=str(tmp / "media"),
               SECRET_KEY=SIGNING_KEY, CENTRE_HOTLINES="08x-xxx-0000",
               DISTRICTS="เมืองตัวอย่าง,หนองสมมุติ,โคกจำลอง", PYTHONUNBUFFERED="1", **extra)
    return env


class Process:
    """A child process whose output goes to a file the test can read while it runs."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], tmp: Path):
        self.name = name
        self.log_path = tmp / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """Die at once, as a crash would (no clean-up in the process)."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM as systemd does, then SIGKILL if it does not end in time."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def flask(*args: str) -> list[str]:
    return [str(BIN / "flask"), "--app", "app", *args]


def wait_for(check, timeout: float, what: str, process: Process | None = None):
    """Look again every POLL seconds until `check()` is truthy; fail saying `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if process is not None and not process.alive():
            raise AssertionError(f"{process.name} ended while waiting for {what}:\n{process.output[-3000:]}")
        if time.monotonic() > deadline:
            detail = f"\n{process.name} said:\n{process.output[-3000:]}" if process else ""
            raise AssertionError(f"gave up after {timeout} s waiting for {what}{detail}")
        time.sleep(POLL)


@contextmanager
def scratch_database(url: str, suffix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test one (named after it), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    admin = create_engine(parsed.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
