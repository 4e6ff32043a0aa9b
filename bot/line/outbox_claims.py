"""Which process holds a message it is sending, so a restarted worker takes back its dead claims at once.

A claim names its sender as "host:pid:token" (the token is new at every start). A claim is dead
when its sender ran on this host and that process is gone — or is this very process under a new
token (a container whose worker is always pid 1). Claims of live processes, and of processes on
other hosts, are left to run out (`outbox.CLAIM_SECONDS`), so two workers never send one message.
"""
from __future__ import annotations

import os
import secrets
import socket

_identity: tuple[int, str] | None = None  # (pid, sender id): recomputed after a fork


def sender_id() -> str:
    """This process's name in the claims it makes."""
    global _identity
    if _identity is None or _identity[0] != os.getpid():
        _identity = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}")
    return _identity[1]


def is_dead(owner: str | None) -> bool:
    """Whether the process named by a claim has certainly stopped (False when it cannot be known)."""
    parts = (owner or "").split(":")
    if len(parts) < 3 or not parts[-2].isdigit():
        return False
    host, pid = ":".join(parts[:-2]), int(parts[-2])
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return owner != sender_id()
    return not _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # a killed child not yet reaped by its parent still answers kill(0)
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
