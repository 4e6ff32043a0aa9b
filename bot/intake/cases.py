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
from bot.casework.case_view import officer_alert, take_minutes
from bot.core import access
from bot.core.db import insert_for
from bot.core.texts import say
from bot.dialogue.payloads import AskFund
from bot.core.thai_dates import BANGKOK, be_year
from bot.dialogue.engine import URGENT
from bot.intake.report_form import REPORTER_FIELDS, SELF_SOURCE, URGENT_REASON
from config.categories import BY_KEY, OTHER
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
    case = new_case(session, draft.line_user_id, draft.answers, now, settings)
    reply = [m.text(say("case_filed", case=case, hotlines=settings.centre_hotlines),
                    [m.say_button("สถานะ"), m.say_button("แจ้งเหตุ")])]
    return reply + fund_offer(case, now, settings)


def new_case(session: Session, user_id: str, answers: dict, now: datetime, settings, pending: bool = False) -> Case:
    """A numbered case from the answers (with `pending`: filed first, its details still to come), alerted."""
    reporter = remember_reporter(session, user_id, answers, now)
    year_be = be_year(now.astimezone(BANGKOK))
    case = Case(year_be=year_be, number=next_number(session, year_be), state="new", filed_at=now,
                reporter_id=reporter.id, reporter_line_user_id=user_id, details_pending=pending,
                urgent=bool(answers.get(URGENT)), urgent_reason=answers.get(URGENT_REASON))
    fill(case, answers, reporter)
    session.add(case)
    session.flush()
    attach_photos(session, case, answers, now)
    session.add(AuditLog(at=now, actor=user_id, action="case_filed", case_id=case.id,
                         detail={"reference": case.reference, "urgent": case.urgent}))
    session.add(CaseEntry(case_id=case.id, at=now, kind="filed", author="reporter", detail={}))
    if case.urgent:  # every officer and the supervisors are alerted at once, not only on escalation
        session.add(CaseEntry(case_id=case.id, at=now, kind="urgent", author="system", detail={}))
    alert_officers(session, case, now, settings)
    groups.notify_new_case(session, case, now, settings.group_notice_fields)
    return case


def fill(case: Case, a: dict, reporter: Reporter) -> None:
    """Copy the answers into the case; what is not answered yet (a case filed first) gets a stand-in."""
    case.category, case.category_other = a.get("category") or OTHER, a.get("category_other")
    case.subject = a.get("subject") or BY_KEY[case.category].subject
    case.occurred_at = datetime.fromisoformat(a["occurred_at"]) if a.get("occurred_at") else case.filed_at
    case.occurred_time_unknown = bool(a.get("occurred_time_unknown"))
    case.facts = a.get("facts") or a.get("subject") or ""
    case.initial_help, case.source_phone = a.get("initial_help"), a.get("source_phone")
    case.source_name = a.get("source_name") or SELF_SOURCE
    for field in REPORTER_FIELDS:  # a snapshot of the reporter as they were when filing
        setattr(case, f"reporter_{field}", a.get(f"reporter_{field}") or getattr(reporter, field) or "")


def attach_photos(session: Session, case: Case, answers: dict, now: datetime) -> None:
    """The photos sent with the report belong to its case."""
    for sent in answers.get("photos", []):
        photo = photos.receive(session, case.reporter_line_user_id, sent["message_id"], now, sent.get("image_set"))
        if photo.status in photos.VISIBLE and photo.case_id is None:
            photo.case_id = case.id
    session.flush()
    session.refresh(case, ["photos"])


def fund_offer(case: Case, now: datetime, settings) -> list[dict]:
    """The fund wants its request within 24 hours: when the case may qualify, say so at once."""
    items = fund.eligible_items(case, settings)
    if not items:
        return []
    deadline = fund.deadline(case, settings)
    return [m.text(say("fund_may_apply", case=case, items=items, deadline=deadline, late=now > deadline),
                   [m.postback_button("ขอรับเงินกองทุน", AskFund(case.id).data), m.say_button("สถานะ")])]


def remember_reporter(session: Session, user_id: str, a: dict, now: datetime) -> Reporter:
    """The reporter's details as answered, kept for their next report (a case filed first keeps what it has)."""
    reporter = session.scalars(select(Reporter).where(Reporter.line_user_id == user_id)).first()
    if reporter is None:
        reporter = Reporter(line_user_id=user_id, created_at=now, **dict.fromkeys(REPORTER_FIELDS, ""))
        session.add(reporter)
    for field in REPORTER_FIELDS:
        if a.get(f"reporter_{field}"):
            setattr(reporter, field, a[f"reporter_{field}"])
    reporter.updated_at = now
    session.flush()
    return reporter


def alert_officers(session: Session, case: Case, now: datetime, settings, purpose: str = "case_alert",
                   lead: str | None = None, images: bool = True) -> int:
    """Queue the case's alert (with the photos already fetched) for the officers on duty (or all; an urgent
    case: everyone, and supervisors are told at once)."""
    on_duty_now = duty.on_duty(session, now)
    officers = duty.alert_recipients(session, case, now, on_duty_now)
    stored = [p for p in case.photos if p.status == "stored"] if images else []
    on_duty = duty.names(on_duty_now)
    alerts: dict[str | None, dict] = {}  # by lead: the same alert for everyone (one multicast), built once
    for officer in officers:  # each officer's photo links are their own (core.access)
        first = lead or (say("urgent_supervisor_lead") if case.urgent and officer.role == "supervisor" else None)
        pictures = photos.image_messages(settings, stored, now, access.officer_holder(officer))
        if first not in alerts:
            alerts[first] = officer_alert(case, first, take_minutes(case, settings) if case.urgent else None,
                                          on_duty=on_duty)
        outbox.enqueue_push(session, officer.line_user_id, [alerts[first], *pictures], now,
                            purpose=purpose, case_id=case.id)
    for photo in stored[:4] if settings.shows_photos else []:  # the ones the alert shows (image_messages' limit)
        photo.announced = True
    return len(officers)


def cases_of(session: Session, user_id: str, limit: int = 10) -> list[Case]:
    """The cases this LINE user reported, newest first (a principal sees only their own)."""
    query = select(Case).where(Case.reporter_line_user_id == user_id).order_by(Case.id.desc()).limit(limit)
    return list(session.scalars(query))
