"""On the 1st of each month, supervisors get last month's summary in LINE (MONTHLY_REPORT_ENABLED)."""
from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from bot.core import access
from bot.line import messages as m
from bot.line import outbox
from bot.paperwork import case_documents as paperwork
from bot.paperwork import reports
from bot.staff.officers import active_officers
from bot.paperwork.documents.summary import duration_text
from bot.core.texts import say
from bot.core.thai_dates import BANGKOK
from models import ReportRun

log = logging.getLogger(__name__)


def push_if_due(services) -> bool:
    """From the 1st on, push last month's summary once (a ReportRun row makes it happen only once)."""
    now, settings = services.now(), services.settings
    if not settings.monthly_report_enabled or now.astimezone(BANGKOK).hour < 8:
        return False
    period = reports.previous_month(now)
    with services.db.session() as session:
        session.add(ReportRun(period=period.key, sent_at=now))
        try:
            session.flush()
        except IntegrityError:
            return False  # already pushed (by this process or another scheduler)
        data = reports.summarise(session, period, settings, now)
        supervisors = active_officers(session, role="supervisor")
        for supervisor in supervisors:  # each gets links of their own, which stop working if they leave
            links = []
            if settings.public_base_url:
                links = [(kind, paperwork.document_url(settings, f"/documents/summary/{period.key}.{kind}", now,
                                                       access.officer_holder(supervisor)))
                         for kind in ("pdf", "docx", "csv")]
            body = say("monthly_report", report=data, total=data.total_cases, links=links,
                       wait=duration_text(data.median_minutes_to_take), hours=settings.document_url_ttl_hours)
            outbox.enqueue_push(session, supervisor.line_user_id, m.texts(body), now, "monthly_report")
        session.commit()
    log.info("monthly summary %s pushed to %s supervisor(s)", period.key, len(supervisors))
    return True
