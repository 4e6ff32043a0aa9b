"""Filing a report as a numbered protection case and alerting every hotline officer."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.line import messages as m
from bot.fund import aid as fund
from bot.staff import groups
from bot.line import outbox
from bot.photos import pipeline as photos
from bot.staff import duty
from bot.casework.case_view import officer_alert
from bot.core import access
from bot.core.db import insert_for
from bot.core.texts import say
from bot.dialogue.payloads import AskFund
from bot.core.thai_dates import BANGKOK, be_year
from models import AuditLog, Case, CaseCounter, CaseEntry, Draft, Officer, Reporter



def next_number(session: Session, year_be: int) -> int:
    """The next running number of the year; the counter row's lock keeps numbers unique."""
    insert = insert_for(session.bind.dialect.name)
    session.execute(insert(CaseCounter).values(year_be=year_be, last_number=0).on_conflict_do_nothing())
    return session.execute(
        update(CaseCounter).where(CaseCounter.year_be == year_be)
        .values(last_number=CaseCounter.last_number + 1).returning(CaseCounter.last_number)
    ).scalar_one()


def file_case(session: Session, draft: Draft, now: datetime, settings) -> list[dict]:
    """Turn a confirmed draft into a case, queue the officers' alerts and tell the principal."""
    a = draft.answers
    reporter = _remember_reporter(session, draft.line_user_id, a, now)
    year_be = be_year(now.astimezone(BANGKOK))
    case = Case(
        year_be=year_be, number=next_number(session, year_be), state="new",
        category=a["category"], category_other=a.get("category_other"), subject=a["subject"],
        occurred_at=datetime.fromisoformat(a["occurred_at"]), occurred_time_unknown=bool(a.get("occurred_time_unknown")),
        facts=a["facts"], initial_help=a.get("initial_help"),
        source_name=a["source_name"], source_phone=a.get("source_phone"),
        reporter_id=reporter.id, reporter_line_user_id=draft.line_user_id,
        **{f"reporter_{k}": getattr(reporter, k) for k in ("name", "position", "school", "district", "phone")},
        filed_at=now,
    )
    session.add(case)
    session.flush()
    for sent in a.get("photos", []):
        photo = photos.receive(session, draft.line_user_id, sent["message_id"], now, sent.get("image_set"))
        if photo.status in photos.VISIBLE:
            photo.case_id = case.id
    session.flush()
    session.refresh(case, ["photos"])
    session.add(AuditLog(at=now, actor=draft.line_user_id, action="case_filed", case_id=case.id,
                         detail={"reference": case.reference}))
    session.add(CaseEntry(case_id=case.id, at=now, kind="filed", author="reporter", detail={}))
    alert_officers(session, case, now, settings)
    groups.notify_new_case(session, case, now, settings.group_notice_fields)
    reply = [m.text(say("case_filed", case=case, hotlines=settings.centre_hotlines),
                    [m.say_button("สถานะ"), m.say_button("แจ้งเหตุ")])]
    items = fund.eligible_items(case, settings)
    if items:  # the fund wants its request within 24 hours: say so at once
        reply.append(m.text(say("fund_may_apply", case=case, items=items, deadline=fund.deadline(case, settings),
                                late=now > fund.deadline(case, settings)),
                            [m.postback_button("ขอรับเงินกองทุน", AskFund(case.id).data), m.say_button("สถานะ")]))
    return reply


def _remember_reporter(session: Session, user_id: str, a: dict, now: datetime) -> Reporter:
    reporter = session.scalars(select(Reporter).where(Reporter.line_user_id == user_id)).first()
    if reporter is None:
        reporter = Reporter(line_user_id=user_id, created_at=now)
        session.add(reporter)
    for field in ("name", "position", "school", "district", "phone"):
        setattr(reporter, field, a[f"reporter_{field}"])
    reporter.updated_at = now
    session.flush()
    return reporter


def alert_officers(session: Session, case: Case, now: datetime, settings) -> int:
    """Queue the new-case alert (with the photos already fetched) for the officers on duty (or all)."""
    officers = duty.alert_recipients(session, case, now)
    stored = [p for p in case.photos if p.status == "stored"]
    alert = officer_alert(case, on_duty=duty.names(duty.on_duty(session, now)))
    for officer in officers:  # each officer's photo links are their own (core.access)
        images = photos.image_messages(settings, stored, now, access.officer_holder(officer))
        outbox.enqueue_push(session, officer.line_user_id, [alert, *images], now, purpose="case_alert",
                            case_id=case.id)
    for photo in stored[:4] if settings.shows_photos else []:  # the ones the alert shows (image_messages' limit)
        photo.announced = True
    return len(officers)


def cases_of(session: Session, user_id: str, limit: int = 10) -> list[Case]:
    """The cases this LINE user reported, newest first (a principal sees only their own)."""
    query = select(Case).where(Case.reporter_line_user_id == user_id).order_by(Case.id.desc()).limit(limit)
    return list(session.scalars(query))
