"""No case sits unanswered: re-alerts and escalation to supervisors, reminders to quiet owners.

Jobs claim each step with a conditional UPDATE, so a restart or a second scheduler never repeats one."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from bot.casework import actions as casework
from bot.line import outbox
from bot.staff.officers import active_officers
from bot.line import messages as m
from bot.casework.case_view import officer_alert
from bot.core.texts import say
from models import Case

if TYPE_CHECKING:  # the service's parts are passed in; importing them would point up
    from bot.services import Services


def escalate_unanswered(services: Services) -> int:
    """Re-alert every officer, then supervisors too, for cases nobody took in time (twice at most);
    an urgent case's first deadline is the shorter URGENT_TAKE_DEADLINE_MINUTES."""
    now, settings = services.now(), services.settings
    steps = ((1, True, settings.urgent_take_deadline_minutes), (1, False, settings.take_deadline_minutes),
             (2, None, settings.second_escalation_minutes))
    done = 0
    with services.db.session() as session:
        for level, urgent, minutes in steps:
            due = select(Case.id).where(Case.state == "new", Case.owner_officer_id.is_(None),
                                        Case.escalation_level < level,
                                        Case.filed_at <= now - timedelta(minutes=minutes))
            if urgent is not None:
                due = due.where(Case.urgent.is_(urgent))
            for case_id in list(session.scalars(due)):
                done += _escalate(session, case_id, level, minutes, now)
        session.commit()
    return done


def _escalate(session, case_id: int, level: int, minutes: int, now: datetime) -> int:
    claimed = session.execute(update(Case).where(Case.id == case_id, Case.escalation_level < level)
                              .values(escalation_level=level)).rowcount
    if not claimed:
        return 0
    case = session.get(Case, case_id)
    session.refresh(case)
    for officer in escalation_recipients(session, level):
        template = "escalation_supervisors" if officer.role == "supervisor" else "escalation_officers"
        messages = [m.text(say(template, case=case, minutes=minutes)), officer_alert(case)]
        outbox.enqueue_push(session, officer.line_user_id, messages, now, f"escalation_{level}", case.id)
    casework.record(session, case, now, "escalation", "system", detail={"level": level, "minutes": minutes})
    return 1


def escalation_recipients(session, level: int) -> list:
    """Escalation widens beyond those on duty: every officer first, then the supervisors too."""
    return [o for o in active_officers(session) if level >= 2 or o.role != "supervisor"]


def tell_waiting_principals(services: Services) -> int:
    """Tell the principal of a case nobody took within the deadline that it is still waiting, with the hotlines."""
    now, settings = services.now(), services.settings
    late = or_(Case.filed_at <= now - timedelta(minutes=settings.take_deadline_minutes),
               (Case.urgent.is_(True)) & (Case.filed_at <= now - timedelta(minutes=settings.urgent_take_deadline_minutes)))
    waiting = (Case.state == "new", Case.owner_officer_id.is_(None), Case.waiting_told_at.is_(None), late)
    done = 0
    with services.db.session() as session:
        for case_id in list(session.scalars(select(Case.id).where(*waiting))):
            if session.execute(update(Case).where(Case.id == case_id, *waiting).values(waiting_told_at=now)).rowcount:
                case = session.get(Case, case_id)
                body = say("reporter_still_waiting", case=case, hotlines=settings.centre_hotlines,
                           centre=settings.centre_name)
                outbox.enqueue_push(session, case.reporter_line_user_id, [m.text(body)], now, "still_waiting", case.id)
                done += 1
        session.commit()
    return done


def remind_quiet_owners(services: Services) -> int:
    """Remind the owner of a taken case with no update for the reminder period."""
    now, days = services.now(), services.settings.reminder_days
    cutoff = now - timedelta(days=days)
    quiet = (Case.state.in_(casework.OPEN), Case.state != "new", Case.owner_officer_id.is_not(None),
             or_(Case.last_update_at.is_(None), Case.last_update_at <= cutoff),
             or_(Case.reminded_at.is_(None), Case.reminded_at <= cutoff))
    done = 0
    with services.db.session() as session:
        for case_id in list(session.scalars(select(Case.id).where(*quiet))):
            if session.execute(update(Case).where(Case.id == case_id, *quiet).values(reminded_at=now)).rowcount:
                done += _remind(session, session.get(Case, case_id), days, now)
        session.commit()
    return done


def _remind(session, case: Case, days: int, now: datetime) -> int:
    owner = case.owner
    if owner is None or not owner.active or owner.line_user_id is None:
        return 0
    outbox.enqueue_push(session, owner.line_user_id, [m.text(say("reminder_owner", case=case, days=days),
                                                             casework.case_buttons(case))], now, "reminder", case.id)
    casework.record(session, case, now, "reminder", "system", detail={"days": days})
    return 1
