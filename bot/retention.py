"""Retention: what is kept how long, a dry-run listing, and the daily purge (recorded without content).

- Closed cases: RETENTION_DAYS after closing, a case goes with its thread, photos (files too),
  fund requests, its messages to LINE and its audit rows. Documents (memo, fund forms, summary)
  are drawn from these rows on request, so they go with them.
- Messages to LINE that were delivered or withdrawn: OUTBOX_RETENTION_DAYS after they were made.
  Failed ones stay for `outbox failed` until their case goes.
- Audit rows: AUDIT_RETENTION_DAYS (0 keeps them, the purge records included).
Each purge writes one audit row: counts and case references, never what the cases said.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from bot.photos import pipeline as photos
from models import AuditLog, Case, CaseEntry, FundRequest, Outbox, Photo

BATCH = 500  # cases per transaction: short locks even when years of cases fall due at once


@dataclass
class Purge:
    """What a purge removes (or would remove): counts, and the references of the cases."""

    references: list[str] = field(default_factory=list)
    thread_entries: int = 0
    photos: int = 0
    fund_requests: int = 0
    case_messages: int = 0
    case_audit_rows: int = 0
    delivered_messages: int = 0
    audit_rows: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.references or self.delivered_messages or self.audit_rows)


def due(session, now: datetime, settings) -> Purge:
    """What is past retention now (the dry run)."""
    plan = Purge()
    ids = _cases_due(session, now, settings, limit=None)
    plan.references = [c.reference for c in session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id))]
    for attr, model in (("thread_entries", CaseEntry), ("photos", Photo), ("fund_requests", FundRequest),
                        ("case_messages", Outbox), ("case_audit_rows", AuditLog)):
        setattr(plan, attr, session.scalar(select(func.count()).select_from(model).where(model.case_id.in_(ids))))
    plan.delivered_messages = session.scalar(select(func.count()).where(_delivered_due(now, settings)))
    plan.audit_rows = session.scalar(select(func.count()).where(_audit_due(now, settings)))
    return plan


def purge(db, media, now: datetime, settings) -> Purge:
    """Delete what is past retention, in batches, and record what went; returns the totals."""
    total = Purge()
    while True:
        with db.session() as session:
            ids = _cases_due(session, now, settings, limit=BATCH)
            if not ids:
                break
            _purge_cases(session, ids, media, total)
            session.commit()
    with db.session() as session:
        total.delivered_messages = session.execute(delete(Outbox).where(_delivered_due(now, settings))).rowcount
        total.audit_rows = session.execute(delete(AuditLog).where(_audit_due(now, settings))).rowcount
        if total.anything:
            session.add(AuditLog(at=now, actor="retention", action="retention_purge", detail=asdict(total)))
        session.commit()
    return total


def _purge_cases(session, ids: list[int], media, total: Purge) -> None:
    total.references += [c.reference for c in session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id))]
    total.thread_entries += session.execute(delete(CaseEntry).where(CaseEntry.case_id.in_(ids))).rowcount
    for photo in session.scalars(select(Photo).where(Photo.case_id.in_(ids))):
        photos.drop_file(session, photo, media)  # a file another case shares stays
        session.delete(photo)
        total.photos += 1
    session.flush()
    for attr, model in (("fund_requests", FundRequest), ("case_messages", Outbox), ("case_audit_rows", AuditLog)):
        setattr(total, attr, getattr(total, attr) + session.execute(delete(model).where(model.case_id.in_(ids))).rowcount)
    session.execute(delete(Case).where(Case.id.in_(ids)))


def _cases_due(session, now, settings, limit) -> list[int]:
    if settings.retention_days <= 0:
        return []
    query = (select(Case.id).where(Case.state == "closed", Case.closed_at < now - timedelta(days=settings.retention_days))
             .order_by(Case.id))
    return list(session.scalars(query.limit(limit) if limit else query))


def _delivered_due(now, settings):
    if settings.outbox_retention_days <= 0:
        return Outbox.id.is_(None)  # nothing
    return Outbox.status.in_(("sent", "withdrawn", "merged")) & (Outbox.created_at < now - timedelta(days=settings.outbox_retention_days))


def _audit_due(now, settings):
    if settings.audit_retention_days <= 0:
        return AuditLog.id.is_(None)
    return AuditLog.at < now - timedelta(days=settings.audit_retention_days)
