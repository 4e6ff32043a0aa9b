"""Which stored pushes go to LINE together: the same messages for several users, as one multicast.

A case's alert to ten officers is ten outbox rows (LINE counts one push per recipient, and each
recipient's access is checked before sending) but one request: `POST /v2/bot/message/multicast`
with up to 500 user ids. Rows queued in one unit of work with the same purpose, case and messages,
due at the same moment, share a `multicast_key`, which is also the request's X-Line-Retry-Key.

The rows of a key are always claimed, sent, held and recorded together, so a retry repeats the
same request: a 409 for the key then means every row of it was delivered. A row leaves its group
only before its first try (merged into a reply or into a later batch), never after.
"""
from __future__ import annotations

import json
import uuid
from typing import Iterable

MAX_RECIPIENTS = 500  # LINE's limit of user ids per multicast
_GROUPS = "outbox_identical"  # session.info key: this unit of work's groups by fingerprint

Unit = tuple[list[int], tuple[str, ...]]  # the rows that go in one request, and the chats they reach


def join_identical(info: dict, row) -> bool:
    """Give `row` the key of an identical push to someone else queued in this unit of work (`info`: session.info).

    True if it joined one (its messages are then those of a row queued before it).
    """
    if row.kind != "push" or not row.to.startswith("U"):  # multicast reaches users only, not groups or rooms
        return False
    fingerprint = (row.purpose, row.case_id, row.next_attempt_at,
                   json.dumps(row.messages, sort_keys=True, ensure_ascii=False))
    groups = info.setdefault(_GROUPS, {})
    members = groups.get(fingerprint)
    if not members or len(members) >= MAX_RECIPIENTS or any(m.to == row.to for m in members):
        groups[fingerprint] = [row]  # a new group (the full or doubled one goes on as it is)
        return False
    if members[0].multicast_key is None:
        members[0].multicast_key = str(uuid.uuid4())
    row.multicast_key = members[0].multicast_key
    members.append(row)
    return True


def leave_group(info: dict, row) -> None:
    """`row`'s messages change before its first try (a batch grew): it goes apart, or with the same change to others."""
    row.multicast_key = None
    for members in info.get(_GROUPS, {}).values():  # a later identical push must not join it by its old messages
        if row in members:
            members.remove(row)
    join_identical(info, row)


def groups(rows: Iterable) -> list[list]:
    """Rows as they go to LINE, in order of their first row: each key's rows together, every other row alone."""
    out: list[list] = []
    by_key: dict[str, list] = {}
    for row in rows:
        key = row.multicast_key if row.kind == "push" else None
        if key is None:
            out.append([row])
        elif key in by_key:
            by_key[key].append(row)
        else:
            by_key[key] = [row]
            out.append(by_key[key])
    return out


def units(rows: Iterable) -> list[Unit]:
    """(row ids, chats) of each request, for the send pool (one job per request, in order per chat)."""
    return [([row.id for row in group], tuple(row.to for row in group)) for group in groups(rows)]
