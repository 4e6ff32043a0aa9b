"""The running service's parts, built once in create_app and shared by web, CLI and scheduler."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from bot.db import Database
from bot.line_gateway import LineGateway
from config.settings import Settings


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    """Settings, database, LINE gateway and the clock (tests swap the clock to control time)."""

    settings: Settings
    db: Database
    gateway: LineGateway
    clock: Callable[[], datetime] = field(default=utc_now)

    @classmethod
    def build(cls, settings: Settings, clock: Callable[[], datetime] | None = None) -> "Services":
        gateway = LineGateway(settings.line_channel_access_token, settings.line_api_base_url,
                              settings.line_timeout_seconds)
        return cls(settings=settings, db=Database(settings.database_url), gateway=gateway, clock=clock or utc_now)

    def now(self) -> datetime:
        return self.clock()

    def send_outbox(self, ids=None) -> int:
        """Send queued messages now (after a commit) or whatever is due (from the scheduler)."""
        from bot import outbox

        return outbox.send_due(self.db, self.gateway, self.now, ids, self.settings.outbox_max_attempts)
