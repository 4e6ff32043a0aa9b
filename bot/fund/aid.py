"""The student aid fund: who may ask, how much (always from the schedule), and each step of approval."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.casework import actions as casework
from bot.line import outbox
from bot.line import messages as m
from bot.dialogue.answers import normalise
from bot.core.texts import say
from bot.dialogue.payloads import AskFund, FundView
from config.fund import FundItem, items_for_category, load_schedule
from models import Case, FundRequest

STATUS = {"requested": "รอเสนอคณะกรรมการ", "proposed": "เสนอคณะกรรมการแล้ว รอผลพิจารณา",
          "approved": "อนุมัติแล้ว รอจ่ายเงิน", "refused": "ไม่อนุมัติ", "paid": "จ่ายเงินแล้ว"}
PENDING = ("requested", "proposed", "approved")
METHODS = {"cash": "เงินสด", "transfer": "โอนเข้าบัญชีธนาคาร"}


class FundError(ValueError):
    """A request or step that cannot be done; str() is what to tell the person."""


@lru_cache(maxsize=8)
def schedule(path: str = "") -> tuple[FundItem, ...]:
    """The office's payout schedule (config/fund_schedule.json unless FUND_SCHEDULE_PATH says otherwise)."""
    return tuple(load_schedule(path or None))


def eligible_items(case: Case, settings) -> list[FundItem]:
    """Schedule items that may apply to the case's kind of incident (empty: the fund does not apply)."""
    return items_for_category(case.category, list(schedule(settings.fund_schedule_path)))


def deadline(case: Case, settings) -> datetime:
    """The fund wants the request within FUND_REQUEST_HOURS of the incident (of the day's end, its time unknown)."""
    day_left = timedelta(days=1) if case.occurred_time_unknown else timedelta(0)  # it may have been late that day
    return case.occurred_at + day_left + timedelta(hours=settings.fund_request_hours)


def student_key(label: str) -> str:
    return normalise(label)[:100]


def create(session: Session, case: Case, answers: dict, user_id: str, now: datetime, settings) -> FundRequest:
    """File a request; refuses a second one for the same student and case, and any amount not in the schedule."""
    item = next((i for i in eligible_items(case, settings) if i.key == answers["item"]), None)
    if item is None:
        raise FundError(say("fund_item_not_applicable"))
    key = student_key(answers["student"])
    if session.scalars(select(FundRequest).where(FundRequest.case_id == case.id,
                                                 FundRequest.student_key == key)).first():
        raise FundError(say("fund_duplicate", case=case, student=answers["student"]))
    request = FundRequest(case_id=case.id, student_label=answers["student"], student_key=key,
                          student_grade=answers["grade"], item_key=item.key, item_label=item.label,
                          amount_baht=item.amount_baht, payment_method=answers["method"], status="requested",
                          late=now > deadline(case, settings), requested_by=user_id, requested_at=now)
    session.add(request)
    session.flush()
    casework.record(session, case, now, "fund", "reporter", detail={"request": request.id, "status": "requested"})
    notice = m.text(say("fund_officer_new", case=case, request=request, methods=METHODS),
                    [m.postback_button("ดูคำขอ", FundView(case.id, request.id).data)])
    casework.tell_officers(session, case, [notice], now, "fund_requested")
    return request


STEPS = {  # status now -> (allowed from, what the principal is told)
    "proposed": (("requested",), "fund_reporter_proposed"),
    "approved": (("proposed", "requested"), "fund_reporter_approved"),
    "refused": (("proposed", "requested"), "fund_reporter_refused"),
    "paid": (("approved",), "fund_reporter_paid"),
}


def advance(session: Session, request: FundRequest, status: str, officer, now: datetime,
            note: str | None = None, paid_on: date | None = None) -> FundRequest:
    """Move a request one step (propose, record the director's decision, record payment) and tell the principal."""
    allowed, template = STEPS[status]
    if request.status not in allowed:
        raise FundError(say("fund_wrong_step", request=request, status_names=STATUS))
    request.status = status
    if status == "proposed":
        request.proposed_at = now
    elif status in ("approved", "refused"):
        request.decided_at, request.decision_note = now, note
    else:
        request.paid_on = paid_on
    case = request.case
    casework.record(session, case, now, "fund", "officer", officer, text=note,
                    detail={"request": request.id, "status": status})
    casework.tell_reporter(session, case, say(template, case=case, request=request, note=note, methods=METHODS),
                           now, f"fund_{status}")
    return request


def pending(session: Session) -> list[FundRequest]:
    """Requests still in progress, oldest first (what "กองทุน" lists for officers)."""
    query = select(FundRequest).where(FundRequest.status.in_(PENDING)).order_by(FundRequest.requested_at)
    return list(session.scalars(query))


def remind_before_deadline(services) -> int:
    """Tell principals of eligible cases without a request that the 24-hour window is about to close."""
    now, settings = services.now(), services.settings
    window = timedelta(hours=settings.fund_request_hours)
    before = timedelta(hours=settings.fund_reminder_hours_before)
    done = 0
    with services.db.session() as session:
        # Wide enough for an incident whose time is not known (its window runs from the day's end).
        candidates = session.scalars(select(Case).where(
            Case.fund_reminded_at.is_(None), Case.occurred_at <= now - window + before,
            Case.occurred_at > now - window - timedelta(days=1)))
        for case in list(candidates):
            closes = deadline(case, settings)
            if not closes - before <= now < closes or not eligible_items(case, settings) or session.scalars(
                    select(FundRequest.id).where(FundRequest.case_id == case.id)).first():
                continue
            if session.execute(update(Case).where(Case.id == case.id, Case.fund_reminded_at.is_(None))
                               .values(fund_reminded_at=now)).rowcount:
                outbox.enqueue_push(session, case.reporter_line_user_id, [m.text(
                    say("fund_reminder", case=case, deadline=deadline(case, settings)),
                    [m.postback_button("ขอรับเงินกองทุน", AskFund(case.id).data)])], now, "fund_reminder", case.id)
                done += 1
        session.commit()
    return done
