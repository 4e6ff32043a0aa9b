"""Urgent reports (ด่วนที่สุด): the emergency numbers at once, and the case filed first, its details after.

The fast track is data in the one engine (bot/dialogue/engine.py FastTrack) over the form's own steps
(report_form.URGENT_STEPS); this module says what its parts do: the alarm with the call buttons, the danger
read in the answers, filing after three answers, adding the later answers to the same case, and telling the
officers when its details are complete.
"""
from __future__ import annotations

from sqlalchemy import select

from bot.casework import actions as casework
from bot.casework import references
from bot.casework.case_view import officer_alert
from bot.core.texts import say
from bot.core.urgency import danger_words
from bot.dialogue.engine import FAST, FastTrack
from bot.intake import cases
from bot.intake.report_form import URGENT_REASON, URGENT_STEPS, urgent_taken
from bot.line import messages as m
from bot.casework.states import OPEN
from bot.dialogue.payloads import UrgentCase
from bot.line import outbox
from bot.staff.officers import active_officers
from config.categories import BY_KEY
from config.urgent import load as urgent_words
from models import AuditLog, Case, Reporter

CASE = "_case"  # the case an urgent report was filed as, before its details were complete
ASKED = "ผู้รายงานแจ้งเหตุด่วน"  # the reason when the principal said so
TYPED_FIELDS = ("category_other", "subject", "facts", "initial_help")  # where danger is looked for
WHAT_HAPPENED = ("subject", "facts", "initial_help")  # an unfiled urgent report's words, kept when it joins a case


def danger_reason(answers: dict, settings) -> str | None:
    """Why the answers show danger to life or ongoing harm: an urgent category, or an urgent word not negated."""
    category = BY_KEY.get(answers.get("category") or "")
    if category is not None and category.urgent:
        return category.name
    words = urgent_words(settings.urgent_keywords_path)
    for field in TYPED_FIELDS:
        found = danger_words(answers.get(field) or "", words)
        if found:
            return found[0]
    return None


def _danger(chat) -> bool:
    reason = danger_reason(chat.answers, chat.settings)
    if reason:
        chat.answers[URGENT_REASON] = reason
    return reason is not None


OPEN_CASES_OFFERED = 2  # "it is about my open case" buttons on the emergency numbers, the latest first
OPEN_CASE_WORD = "เรื่องเดิม"  # their label, "เรื่องเดิม 0001/2569", which may be typed too


def emergency_message(settings, offer_fast: bool, open_cases: list[Case] = ()) -> dict:
    """The emergency numbers as call buttons (and, before the report is sent, one that sends it at once;
    and one per open case of the principal's, for an emergency about that case)."""
    numbers = settings.emergency_numbers
    buttons = [{"type": "button", "style": "primary", "color": "#B71C1C", "height": "sm",
                "action": m.call_button(f"{number} {name}", number)} for number, name in numbers]
    if offer_fast:
        buttons.append({"type": "button", "style": "secondary", "height": "sm",
                        "action": m.say_button("ส่งเรื่องถึงศูนย์ทันที", "ด่วน")})
    for case in open_cases[:OPEN_CASES_OFFERED]:
        label = f"{OPEN_CASE_WORD} {case.reference}"
        buttons.append({"type": "button", "style": "secondary", "height": "sm", "action": m.postback_button(
            label if len(label) <= 20 else OPEN_CASE_WORD, UrgentCase(case.id).data, label)})
    bubble = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": "#B71C1C", "contents": [
            {"type": "text", "text": say("emergency_header"), "weight": "bold", "color": "#FFFFFF", "wrap": True}]},
        "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "text", "text": say("emergency_body", offer=offer_fast), "wrap": True, "size": "sm"}]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons},
    }
    return {"type": "flex", "altText": say("emergency_alt", emergency=numbers)[:1500], "contents": bubble}


def _alarm(chat) -> list[dict]:
    chat.answers.setdefault(URGENT_REASON, ASKED)
    fast_not_filed = chat.answers.get(FAST) is not None and not chat.answers.get(CASE)
    mine = _open_cases(chat.session, chat.user_id) if fast_not_filed else []
    return [emergency_message(chat.settings, offer_fast=chat.answers.get(FAST) is None, open_cases=mine)]


def _open_cases(session, user_id: str) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.reporter_line_user_id == user_id, Case.state.in_(OPEN))
                                .order_by(Case.id.desc()).limit(OPEN_CASES_OFFERED)))


def _file_early(chat) -> list[dict]:
    """The case is filed with what happened, the school and a phone; officers are alerted at once."""
    case = cases.new_case(chat.session, chat.user_id, chat.answers, chat.now, chat.settings, pending=True)
    chat.answers[CASE] = case.id
    return [m.text(say("urgent_filed", case=case))]


def filed_case(chat) -> Case | None:
    """The case this urgent report was already filed as, if any."""
    case_id = chat.answers.get(CASE)
    return chat.session.get(Case, case_id) if case_id else None


def add_details(chat) -> None:
    """The answers given since filing go into the same case (officers see them in รายละเอียด at once)."""
    case = filed_case(chat)
    if case is not None:
        cases.fill(case, chat.answers, chat.session.get(Reporter, case.reporter_id))
        cases.attach_photos(chat.session, case, chat.answers, chat.now)


def complete(chat, case: Case) -> list[dict]:
    """The rest of the form is confirmed: the case has its details, and its officers are told."""
    session, now, settings = chat.session, chat.now, chat.settings
    cases.remember_reporter(session, chat.user_id, chat.answers, now)
    add_details(chat)
    case.details_pending = False
    casework.record(session, case, now, "details", "reporter")
    lead = say("urgent_details_lead")
    owner = case.owner
    if owner is not None and owner.active and owner.line_user_id:
        outbox.enqueue_push(session, owner.line_user_id, [officer_alert(case, lead)], now, "case_details", case.id)
    else:
        cases.alert_officers(session, case, now, settings, purpose="case_details", lead=lead, images=False)
    reply = [m.text(say("urgent_completed", case=case), [m.say_button("สถานะ"), m.say_button("แจ้งเหตุ")])]
    return reply + cases.fund_offer(case, now, settings)


def stopped(chat, case: Case) -> list[dict]:
    """"ยกเลิก" after filing: the case stays as it is; the rest of the form is not asked."""
    add_details(chat)
    details_stopped(chat.session, case, chat.now, "cancelled")
    return [m.text(say("urgent_details_stopped", case=case), [m.say_button("สถานะ"), m.say_button("แจ้งเหตุ")])]


def details_stopped(session, case: Case | None, now, why: str) -> None:
    """The principal stopped giving the details of an urgent case ("cancelled", or the form "expired"):
    it no longer says they are coming, the thread says so, and the owner is told to phone instead."""
    if case is None or not case.details_pending:
        return
    case.details_pending = False
    casework.record(session, case, now, "details_stopped", "system", detail={"why": why})
    owner = case.owner
    if owner is not None and owner.active and owner.line_user_id:
        outbox.enqueue_push(session, owner.line_user_id, [m.text(say("officer_details_stopped", case=case, why=why))],
                            now, "details_stopped", case.id)


def stale_draft(session, draft, now) -> None:
    """A report draft expires: if it was an urgent case's details, that case stops waiting for them."""
    case_id = (draft.answers or {}).get(CASE)
    if case_id:
        details_stopped(session, session.get(Case, case_id), now, "expired")


def raise_case(session, case: Case, reason: str, now, settings) -> list[dict]:
    """A principal's message names a danger on an open ordinary case: it becomes urgent (ด่วนที่สุด) at once.

    Nobody took it yet: everyone is alerted now, as for an urgent report. Someone owns it: the owner
    is told (and gets the message itself at once) and so are the supervisors. The principal
    gets the emergency numbers as call buttons. Returns the messages for the principal.
    """
    if case.urgent or case.state == "closed":
        return []
    case.urgent, case.urgent_reason = True, reason[:100]
    casework.record(session, case, now, "urgent", "system", detail={"raised": reason[:100], "asked": reason == ASKED})
    session.add(AuditLog(at=now, actor=case.reporter_line_user_id, action="case_urgent", case_id=case.id,
                         detail={"reason": reason[:100]}))
    session.flush()
    lead = say("urgent_raised_lead", reason=reason, asked=reason == ASKED)
    if case.owner_officer_id is None:
        cases.alert_officers(session, case, now, settings, purpose="case_urgent", lead=lead, images=False)
    else:
        owner = [case.owner] if case.owner.active and case.owner.line_user_id else []
        for officer in owner + [o for o in active_officers(session, "supervisor") if o.id != case.owner_officer_id]:
            outbox.enqueue_push(session, officer.line_user_id, [officer_alert(case, lead)], now, "case_urgent",
                                case.id)
    return [emergency_message(settings, offer_fast=False)]


def typed_open_case(draft, answer) -> str | None:
    """The reference in "เรื่องเดิม 0001/2569" typed while an urgent report is on its way (not filed yet), else None."""
    head, _, rest = answer.words.partition(" ")
    answers = draft.answers if draft is not None else {}
    if head != OPEN_CASE_WORD or not references.looks_like(rest) or not answers.get(FAST) or answers.get(CASE):
        return None
    return rest


def about_open_case(turn, case_id: int, draft_store=None) -> list[dict]:
    """The principal tapped "เรื่องเดิม 0001/2569" on the emergency numbers: that case is urgent now.

    The urgent report just begun (not filed yet) is dropped; what they typed in it about what
    happened is added to the case, at once to whoever has it.
    """
    case = turn.session.get(Case, case_id)
    if case is None or case.reporter_line_user_id != turn.user_id:
        return [m.text(say("button_expired"))]
    typed = ""
    if draft_store is not None and not draft_store.draft.answers.get(CASE):
        answers = draft_store.draft.answers
        typed = "\n".join(str(answers[f]).strip() for f in WHAT_HAPPENED if answers.get(f))
        draft_store.drop()
    if case.state == "closed":
        return [m.text(say("urgent_case_closed", case=case))]
    raised = raise_case(turn.session, case, ASKED, turn.now, turn.settings)
    if typed:
        casework.from_reporter(turn.session, case, turn.now, text=typed, danger=True)
    return [m.text(say("urgent_case_raised", case=case, already=not raised))]


FAST_TRACK = FastTrack(taken=urgent_taken, steps=URGENT_STEPS, early=_file_early, update=add_details,
                       alarm=_alarm, danger=_danger)
