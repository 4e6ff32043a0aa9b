"""The running service's parts, built once in create_app and shared by web, CLI and scheduler."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable, Iterator

from bot.core import signed_urls
from bot.core.db import Database
from bot.core.private_files import private_dir
from bot.line.gateway import LineGateway
from bot.line.send_pool import SendPool
from bot.photos.media_store import MediaStore
from config.settings import INSTANCE_DIR, Settings, secret_key_problem
from bot.core import texts


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class WebhooksInFlight:
    """Webhook requests this process is answering right now.

    LINE waits for their 200 and the event worker's work can wait: the worker lets them go first.
    """

    def __init__(self):
        self._count = 0
        self._last = 0.0  # time.monotonic() when the last one was answered
        self._quiet = threading.Condition()

    @contextmanager
    def answering(self) -> Iterator[None]:
        with self._quiet:
            self._count += 1
        try:
            yield
        finally:
            with self._quiet:
                self._count -= 1
                self._last = time.monotonic()
                if not self._count:
                    self._quiet.notify_all()

    def wait_until_quiet(self, timeout: float, gap: float = 0.0) -> None:
        """Wait until no webhook is being answered and none has been for `gap` seconds; at most `timeout`."""
        deadline = time.monotonic() + timeout
        with self._quiet:
            while (left := deadline - time.monotonic()) > 0:
                if self._count:
                    self._quiet.wait(left)
                    continue
                rest = self._last + gap - time.monotonic()
                if rest <= 0:
                    return
                self._quiet.wait(min(rest, left))


@dataclass
class Services:
    """Settings, database, LINE gateway and the clock (tests swap the clock to control time)."""

    settings: Settings
    db: Database
    gateway: LineGateway
    clock: Callable[[], datetime] = field(default=utc_now)
    # Set by the webhook when it has stored events: wakes this process's event worker at once.
    events_waiting: threading.Event = field(default_factory=threading.Event)
    webhooks: WebhooksInFlight = field(default_factory=WebhooksInFlight)
    # Pushes (and photo downloads) go here, apart from the event order: replies never wait on them.
    sends: SendPool = field(default_factory=SendPool)

    @classmethod
    def build(cls, settings: Settings, clock: Callable[[], datetime] | None = None) -> "Services":
        private_dir(INSTANCE_DIR)  # the key, the SQLite database and photos live here by default: owner-only
        if not settings.secret_key:  # links must survive restarts: keep a generated key in instance/
            secret = signed_urls.load_or_create_secret(INSTANCE_DIR).hex()
            settings = replace(settings, secret_key=secret)
        elif problem := secret_key_problem(settings.secret_key):  # every way of starting refuses it
            raise SystemExit(problem)
        texts.configure(settings.centre_name)
        gateway = LineGateway(settings.line_channel_access_token, settings.line_api_base_url,
                              settings.line_timeout_seconds)
        from bot.line import console_delivery

        db = Database(settings.database_url, settings.pool_size)
        console_delivery.configure(db, settings)
        return cls(settings=settings, db=db, gateway=gateway, clock=clock or utc_now)

    @property
    def media(self) -> MediaStore:
        return MediaStore(self.settings.media_dir)

    @property
    def secret(self) -> bytes:
        return self.settings.secret_key.encode("utf-8")

    def now(self) -> datetime:
        return self.clock()

    def send_outbox(self, ids=None) -> int:
        """Send queued messages now (after a commit) or whatever is due (from the scheduler)."""
        from bot.line import outbox

        return outbox.send_due(self.db, self.gateway, self.now, ids, self.settings.outbox_max_attempts,
                               self.settings.push_reserve)

    def send_claimed(self, ids: list[int]) -> int:
        """Send what a unit of work under `outbox.send_after_commit` queued: replies now, pushes by the pool."""
        from bot.line import outbox

        return outbox.send_claimed(self.db, self.gateway, self.now, ids, self.settings.outbox_max_attempts,
                                   later=self.send_later, reserve=self.settings.push_reserve)

    def send_queued(self, rows) -> int:
        """Send what an event's unit of work queued and committed (`outbox.queued`): replies now, pushes by the pool."""
        from bot.line import outbox

        return outbox.send_queued(self.db, self.gateway, self.now, rows, self.settings.outbox_max_attempts,
                                  later=self.send_later, reserve=self.settings.push_reserve)

    def send_later(self, requests) -> None:
        """Hand pushes just queued by this process, as the requests they go in (lists of outbox rows), to
        the send pool: sent concurrently, in order per chat, with no claiming transaction (`outbox.send_fresh`)."""
        from bot.line import outbox

        for rows in requests:
            self.sends.submit(tuple(row.to for row in rows), f"outbox:{rows[0].id}", lambda rows=rows: outbox.send_fresh(
                self.db, self.gateway, self.now, rows, self.settings.outbox_max_attempts, self.settings.push_reserve))

    def send_ids_later(self, units) -> None:
        """Hand stored rows, (outbox ids, chats) per request, to the send pool; each is claimed before it goes."""
        from bot.line import outbox

        for ids, chats in units:
            self.sends.submit(chats, f"outbox:{ids[0]}", lambda ids=ids: outbox.send_due(
                self.db, self.gateway, self.now, ids, self.settings.outbox_max_attempts, self.settings.push_reserve))

    def reclaim_dead_claims(self) -> int:
        """At start: send at once what a stopped predecessor had claimed (not after its claims run out)."""
        from bot.line import outbox

        taken = outbox.reclaim_dead(self.db, self.now())
        self.send_ids_later(taken)
        return sum(len(ids) for ids, _chats in taken)
