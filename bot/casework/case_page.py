"""What the console's case page shows beside the fields: the thread with delivery, and who has viewed the case."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditLog, CaseEntry, Officer, Outbox

# What counts as looking at a case's data (list pages do not): recorded from LINE and the console.
VIEWS = ("case_viewed", "memo_opened", "fund_form_opened", "documents_linked", "photo_opened")
ENTRY_LIMIT = 1000  # a thread longer than this shows its newest entries


@dataclass(frozen=True)
class Entry:
    """One line of the timeline, with the officer's name and, for messages to the principal, delivery."""

    row: CaseEntry
    who: str
    delivered_at: datetime | None = None
    failed: bool = False

    @property
    def internal(self) -> bool:
        return self.row.kind == "note"


def timeline(session: Session, case_id: int) -> list[Entry]:
    """The whole thread, oldest first; a reply shows when LINE delivered it (or that it failed)."""
    rows = list(session.scalars(select(CaseEntry).where(CaseEntry.case_id == case_id)
                                .order_by(CaseEntry.id.desc()).limit(ENTRY_LIMIT)))[::-1]
    sends = {o.created_at: o for o in session.scalars(select(Outbox).where(
        Outbox.case_id == case_id, Outbox.purpose == "relay_to_reporter"))}
    names = _officer_names(session, {r.officer_id for r in rows if r.officer_id})
    out = []
    for row in rows:
        who = {"reporter": "ผู้รายงาน", "system": "ระบบ"}.get(row.author) or names.get(row.officer_id, "เจ้าหน้าที่")
        send = sends.get(row.at) if row.kind == "to_reporter" else None
        out.append(Entry(row, who, send.sent_at if send else None, bool(send and send.status == "failed")))
    return out


def _officer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(ids))).all())


@dataclass(frozen=True)
class Viewer:
    name: str
    times: int
    last_at: datetime
    channels: str


def viewers(session: Session, case_id: int) -> list[Viewer]:
    """Who has opened this case (its page, details in LINE, its documents), the latest first."""
    query = (select(AuditLog.actor, func.count(), func.max(AuditLog.at))
             .where(AuditLog.case_id == case_id, AuditLog.action.in_(VIEWS)).group_by(AuditLog.actor))
    found = session.execute(query).all()
    channels = {}
    for actor, channel in session.execute(select(AuditLog.actor, AuditLog.channel).distinct().where(
            AuditLog.case_id == case_id, AuditLog.action.in_(VIEWS))):
        channels.setdefault(actor, set()).add({"line": "LINE", "console": "เว็บ", "link": "ลิงก์เอกสาร"}
                                              .get(channel or "", "อื่น ๆ"))
    out = [Viewer(_actor_name(session, actor), count, last, ", ".join(sorted(channels.get(actor, ()))))
           for actor, count, last in found]
    return sorted(out, key=lambda v: v.last_at, reverse=True)


def _actor_name(session: Session, actor: str) -> str:
    """An audit actor as a person: a LINE user id or a document link's holder ("link:o3") → the officer's name."""
    if actor.startswith("link:o") and actor[6:].isdigit():
        officer = session.get(Officer, int(actor[6:]))
    else:
        officer = session.scalars(select(Officer).where(Officer.line_user_id == actor)).first()
    if officer is not None:
        return officer.name
    return "ผู้รายงาน (ลิงก์เอกสาร)" if actor.startswith("link:p") else "ไม่ทราบชื่อ"
