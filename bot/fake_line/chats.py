"""Chats as a phone shows them: what each person sent and what the bot delivered, in order, with unread counts."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from bot.fake_line.records import Delivery, Rejection


@dataclass(frozen=True)
class ChatEntry:
    """One bubble in a chat: sent by the person ("user"), delivered by the bot ("bot"), or a refusal ("problem")."""

    seq: int
    chat_id: str
    side: str
    message: dict
    at: datetime
    sender_id: str | None = None


class ChatLog:
    """Every chat's timeline, filled by the platform as it delivers and refuses, and by senders."""

    def __init__(self, platform):
        self._lock = threading.Lock()
        self._entries: list[ChatEntry] = []
        self._read: dict[str, int] = {}
        self._start = 0  # entries before this were cleared; numbers are never reused, so pages notice
        self._now = platform.now
        platform.listen(self._on_record)

    def _add(self, chat_id: str, side: str, message: dict, sender_id: str | None = None) -> ChatEntry:
        with self._lock:
            entry = ChatEntry(len(self._entries) + 1, chat_id, side, message, self._now(), sender_id)
            self._entries.append(entry)
            return entry

    def _on_record(self, kind: str, record) -> None:
        if isinstance(record, Delivery):
            for message in record.messages:
                self._add(record.to, "bot", message)
        elif isinstance(record, Rejection):
            problem = {"type": "problem", "status": record.status, "path": record.path,
                       "message": record.message, "problems": list(record.problems)}
            for chat_id in record.chat_ids:
                self._add(chat_id, "problem", problem)

    def add_sent(self, chat_id: str, sender_id: str, message: dict) -> ChatEntry:
        """Record what a person sent, as their own phone shows it (before the bot answers)."""
        return self._add(chat_id, "user", message, sender_id)

    def entries(self, chat_id: str, after: int = 0) -> list[ChatEntry]:
        """A chat's entries newer than `after`, oldest first."""
        with self._lock:
            return [e for e in self._entries[max(after, self._start):] if e.chat_id == chat_id]

    def entry(self, chat_id: str, seq: int) -> ChatEntry | None:
        """One entry of a chat by its number."""
        with self._lock:
            found = self._entries[seq - 1] if self._start < seq <= len(self._entries) else None
        return found if found is not None and found.chat_id == chat_id else None

    def last_seq(self) -> int:
        """The number of the newest entry in any chat."""
        with self._lock:
            return len(self._entries)

    def unread(self, chat_id: str) -> int:
        """How many bot messages and refusals arrived in a chat since it was last read."""
        with self._lock:
            seen = max(self._read.get(chat_id, 0), self._start)
            return sum(1 for e in self._entries[seen:] if e.chat_id == chat_id and e.side != "user")

    def mark_read(self, chat_id: str, seq: int | None = None) -> None:
        """The person opened the chat and saw everything up to `seq` (default: all)."""
        with self._lock:
            upto = len(self._entries) if seq is None else seq
            self._read[chat_id] = max(self._read.get(chat_id, 0), upto)

    def last(self, chat_id: str) -> ChatEntry | None:
        """The newest entry of a chat."""
        with self._lock:
            return next((e for e in reversed(self._entries[self._start:]) if e.chat_id == chat_id), None)

    def cleared_upto(self) -> int:
        """Entries up to this number were cleared: a page holding them starts afresh."""
        with self._lock:
            return self._start

    def clear(self) -> None:
        """Forget every chat (after the demo data was reset)."""
        with self._lock:
            self._start = len(self._entries)
            self._read.clear()
