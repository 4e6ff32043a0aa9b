"""Periodic work (outbox retries, draft expiry, …) for exactly one process; jobs trust only the database.

Started with the event worker by handlers/worker.py.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import delete, select

from bot.casework import deadlines
from bot.fund import aid as fund
from bot.intake import urgent
from bot.line import inbox
from bot.paperwork import monthly_report
from bot.photos import pipeline as photos
from bot.services import Services
from bot.staff import menus
from bot.staff import push_budget
from models import Draft, ExpiredDraftNotice

log = logging.getLogger(__name__)

OUTBOX_EVERY_SECONDS = 5
DRAFTS_EVERY_MINUTES = 10
JOB_THREADS = 3


def expire_drafts(services: Services) -> int:
    """Delete drafts untouched for the TTL, leaving a note so the principal is told on return."""
    now = services.now()
    cutoff = now - timedelta(hours=services.settings.draft_ttl_hours)
    with services.db.session() as session:
        stale = list(session.scalars(select(Draft).where(Draft.updated_at < cutoff).with_for_update(skip_locked=True)))
        for draft in stale:
            urgent.stale_draft(session, draft, now)
            photos.discard_unfiled(session, draft.line_user_id, services.media)
            if session.get(ExpiredDraftNotice, draft.line_user_id) is None:
                session.add(ExpiredDraftNotice(line_user_id=draft.line_user_id, expired_at=now))
            session.delete(draft)
        session.execute(delete(ExpiredDraftNotice).where(ExpiredDraftNotice.expired_at < now - timedelta(days=30)))
        session.commit()
    if stale:
        log.info("expired %s report drafts", len(stale))
    return len(stale)


def purge_old_photos(services: Services) -> int:
    """With PHOTO_RETENTION_DAYS set, delete photo files of cases closed longer ago than that."""
    days = services.settings.photo_retention_days
    if days <= 0:
        return 0
    with services.db.session() as session:
        count = photos.purge_closed(session, services.media, services.now() - timedelta(days=days))
        session.commit()
    if count:
        log.info("retention: deleted the files of %s photo(s)", count)
    return count


def purge_past_retention(services: Services):
    """The daily retention purge (bot/retention.py); logs counts only."""
    from bot import retention

    done = retention.purge(services.db, services.media, services.now(), services.settings)
    if done.anything:
        log.info("retention: deleted %s case(s), %s delivered message(s), %s audit row(s)",
                 len(done.references), done.delivered_messages, done.audit_rows)
    return done


def forget_handled_events(services: Services) -> int:
    """Webhook event ids are kept a while to recognise redeliveries, then deleted."""
    return inbox.forget_handled(services.db, services.now() - timedelta(days=inbox.KEEP_HANDLED_DAYS))


def jobs(services: Services) -> dict:
    """Every periodic job by name; each is safe to run twice or after a restart."""
    return {
        "send_outbox": (lambda: services.send_outbox(), {"seconds": OUTBOX_EVERY_SECONDS}),
        "expire_drafts": (lambda: expire_drafts(services), {"minutes": DRAFTS_EVERY_MINUTES}),
        "escalate_unanswered": (lambda: deadlines.escalate_unanswered(services), {"minutes": 1}),
        "remind_quiet_owners": (lambda: deadlines.remind_quiet_owners(services), {"minutes": 30}),
        "fetch_photos": (lambda: photos.fetch_due(services), {"seconds": 10}),
        "purge_old_photos": (lambda: purge_old_photos(services), {"hours": 6}),
        "fund_reminders": (lambda: fund.remind_before_deadline(services), {"minutes": 5}),
        "monthly_report": (lambda: monthly_report.push_if_due(services), {"hours": 1}),
        "forget_handled_events": (lambda: forget_handled_events(services), {"hours": 6}),
        # At night, Bangkok time: the purge may take a while and nobody is reporting.
        "retention": (lambda: purge_past_retention(services), {"trigger": "cron", "hour": 2, "minute": 30}),
        "officer_menus": (lambda: menus.sync(services), {"minutes": 5}),
        "tell_waiting_principals": (lambda: deadlines.tell_waiting_principals(services), {"minutes": 1}),
        # LINE is asked here, never by /healthz or a sender: they use the stored figures.
        "push_budget": (lambda: push_budget.check(services), {"minutes": services.settings.quota_check_minutes}),
    }


def start(services: Services) -> BackgroundScheduler:
    """Start the background scheduler in this process."""
    # Few threads: the jobs are short, and each holds a database connection (see Settings.pool_size).
    scheduler = BackgroundScheduler(timezone="Asia/Bangkok", executors={"default": ThreadPoolExecutor(JOB_THREADS)})
    for name, (func, every) in jobs(services).items():
        when = dict(every)
        scheduler.add_job(_logged(name, func), when.pop("trigger", "interval"), id=name, coalesce=True,
                          max_instances=1, **when)
    scheduler.start()
    log.info("scheduler started: %s", ", ".join(jobs(services)))
    return scheduler


def _logged(name, func):
    def run():
        try:
            func()
        except Exception:  # noqa: BLE001 - a failing job must not stop the scheduler
            log.exception("scheduled job %s failed", name)
    return run
