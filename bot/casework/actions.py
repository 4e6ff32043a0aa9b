"""Working a case: taking it, talking with the reporter, notes, states, referrals, closing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.casework import acknowledgements
from bot.line import messages as m
from bot.line import outbox, outbox_waiting
from bot.staff import duty
from bot.staff.officers import active_officers
from bot.casework.states import OPEN, STATES  # noqa: F401 - re-exported for callers
from bot.core.texts import say
from bot.dialogue import payloads as p
from models import AuditLog, Case, CaseEntry, Officer

STATE_WORDS = {  # what officers may type after "สถานะ 0001/2569"
    "รับเรื่อง": "taken", "รับเรื่องแล้ว": "taken", "กำลังช่วยเหลือ": "helping", "ช่วยเหลือ": "helping",
    "ประสานงาน": "helping", "ส่งต่อ": "referred", "ติดตามผล": "following", "ติดตาม": "following",
    "ปิดเรื่อง": "closed", "ปิด": "closed",
}
DESTINATIONS = {  # where a case can be referred
    "1300": "ศูนย์ช่วยเหลือสังคม สายด่วน 1300",
    "police": "สถานีตำรวจ",
    "hospital": "โรงพยาบาล",
    "pmj": "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด (พมจ.)",
    "other": "หน่วยงานอื่น",
}
FOLLOWUPS_SHOWN = 5  # the principal's latest messages before the case was taken, in the taker's answer
DESTINATION_LABELS = {"1300": "สายด่วน 1300", "police": "ตำรวจ", "hospital": "โรงพยาบาล", "pmj": "พมจ.",
                      "other": "หน่วยงานอื่น"}


def record(session: Session, case: Case, now: datetime, kind: str, author: str, officer: Officer | None = None,
           text: str | None = None, detail: dict | None = None, photo_id: int | None = None) -> CaseEntry:
    """Append one entry to the case's thread (and the audit log, for officers' actions)."""
    entry = CaseEntry(case_id=case.id, at=now, kind=kind, author=author, officer_id=officer.id if officer else None,
                      text=text, detail=detail or {}, photo_id=photo_id)
    session.add(entry)
    if officer is not None:
        case.last_update_at = now
        session.add(AuditLog(at=now, actor=officer.line_user_id or f"officer:{officer.id}", action=f"case_{kind}",
                             case_id=case.id, detail=detail or {}))
    return entry


def tell_reporter(session: Session, case: Case, body: str, now: datetime, purpose: str,
                  officer: Officer | None = None) -> None:
    """Push a message to the principal who reported the case."""
    outbox.enqueue_push(session, case.reporter_line_user_id, [m.text(body)], now, purpose=purpose, case_id=case.id,
                        failure_notice_to=officer.line_user_id if officer else None)


def tell_officers(session: Session, case: Case, messages: list[dict], now: datetime, purpose: str,
                  exclude: Officer | None = None, role: str | None = None) -> int:
    """Push to the officers an ordinary alert goes to (or every one of `role`), except the one who acted."""
    officers = active_officers(session, role) if role else duty.alert_recipients(session, case, now)
    targets = [o for o in officers if exclude is None or o.id != exclude.id]
    for officer in targets:
        outbox.enqueue_push(session, officer.line_user_id, messages, now, purpose=purpose, case_id=case.id)
    return len(targets)


def take(session: Session, case: Case, officer: Officer, now: datetime) -> list[dict]:
    """The first officer to take a case owns it; the others and the principal are told."""
    if case.owner_officer_id == officer.id:
        return [m.text(say("case_already_yours", case=case))]
    if case.owner_officer_id is not None:
        return [m.text(say("case_owned_by_other", case=case, owner=case.owner))]
    case.owner_officer_id, case.taken_at = officer.id, now
    if case.state in ("new", "closed"):
        case.state = "taken"
    record(session, case, now, "taken", "officer", officer)
    # What the principal added meanwhile is in this answer; nobody else needs it pushed now.
    outbox_waiting.withdraw_for_case(session, case.id, "followup_untaken", "the case was taken; its answer lists it")
    tell_officers(session, case, [m.text(say("case_taken_notice", case=case, officer=officer))], now,
                  "taken_by_other", exclude=officer)
    tell_reporter(session, case, say("reporter_case_taken", case=case, officer=officer), now, "case_taken")
    return [m.text(say("case_taken_by_you", case=case, followups=_followups(session, case)), case_buttons(case))]


def _followups(session: Session, case: Case) -> list[CaseEntry]:
    """What the principal added to a case before anyone took it (the latest few)."""
    query = (select(CaseEntry).where(CaseEntry.case_id == case.id,
                                     CaseEntry.kind.in_(("from_reporter", "photo_from_reporter")))
             .order_by(CaseEntry.id.desc()).limit(FOLLOWUPS_SHOWN))
    return list(reversed(session.scalars(query).all()))


def hand_over(session: Session, case: Case, officer: Officer, to: Officer, now: datetime) -> list[dict]:
    """Give the case to another officer, explicitly."""
    if not to.active or to.line_user_id is None:
        return [m.text(say("handover_inactive", officer=to))]
    previous = case.owner
    case.owner_officer_id = to.id
    case.taken_at = case.taken_at or now
    if case.state == "new":
        case.state = "taken"
    record(session, case, now, "handover", "officer", officer, detail={"from": previous.id if previous else None,
                                                                    "to": to.id})
    outbox.enqueue_push(session, to.line_user_id, [m.text(say("handover_to_you", case=case, by=officer),
                                                          case_buttons(case))], now, "handover", case.id)
    tell_reporter(session, case, say("reporter_case_taken", case=case, officer=to), now, "handover")
    return [m.text(say("handover_done", case=case, to=to))]


def relay_to_reporter(session: Session, case: Case, officer: Officer, text: str, now: datetime) -> list[dict]:
    """Send an officer's words to the principal as a push that names the case and the centre."""
    record(session, case, now, "to_reporter", "officer", officer, text=text)
    tell_reporter(session, case, say("reporter_message_from_centre", case=case, text=text), now,
                  "relay_to_reporter", officer=officer)
    return [m.text(say("relay_sent", case=case), case_buttons(case))]


def relay_photo_to_reporter(session: Session, case: Case, officer: Officer, message_id: str,
                            now: datetime) -> list[dict]:
    """An officer's photo goes to the principal once it is fetched and cleaned (needs an https base URL)."""
    from bot.photos import pipeline as photos

    photo = photos.receive(session, officer.line_user_id, message_id, now, case_id=case.id, direction="to_reporter")
    record(session, case, now, "photo_to_reporter", "officer", officer, photo_id=photo.id)
    return [m.text(say("relay_photo_queued", case=case), case_buttons(case))]


def note(session: Session, case: Case, officer: Officer, text: str, now: datetime) -> list[dict]:
    """An internal note: in the thread for officers, never shown to the principal."""
    record(session, case, now, "note", "officer", officer, text=text)
    return [m.text(say("note_saved", case=case))]


def change_state(session: Session, case: Case, officer: Officer, state: str, now: datetime,
                 detail: dict | None = None, summary: str | None = None) -> list[dict]:
    """Move the case along the centre's process and tell the principal in plain Thai."""
    previous = case.state
    case.state = state
    if state == "closed":
        case.closed_at, case.closing_summary = now, summary
    if case.owner_officer_id is None and state != "new":
        case.owner_officer_id, case.taken_at = officer.id, case.taken_at or now
    record(session, case, now, "state", "officer", officer, text=summary,
           detail={"from": previous, "to": state, **(detail or {})})
    tell_reporter(session, case, say("reporter_state_changed", case=case, state=state, detail=detail or {},
                                     summary=summary, destinations=DESTINATIONS), now, "state_changed")
    return [m.text(say("state_changed", case=case, state_name=STATES[state]), case_buttons(case))]


def refer(session: Session, case: Case, officer: Officer, destination: str, contact: str, now: datetime) -> list[dict]:
    """Record that the case was referred to another agency (one of DESTINATIONS), with whom to contact."""
    detail = {"destination": destination, "contact": contact or "", "referred_at": now.isoformat()}
    return change_state(session, case, officer, "referred", now, detail=detail)


def reopen(session: Session, case: Case, officer: Officer, now: datetime) -> list[dict]:
    """An officer reopens a closed case; it goes back to following up."""
    if case.state != "closed":
        return [m.text(say("reopen_not_closed", case=case, state_name=STATES[case.state]))]
    case.closed_at = None
    return change_state(session, case, officer, "following", now, detail={"reopened": True})


def from_reporter(session: Session, case: Case, now: datetime, text: str | None = None,
                  photo_id: int | None = None, danger: bool = False) -> list[dict]:
    """The principal adds to their case: it goes to the owner, or to the officers on duty while unowned.

    While nobody owns the case, the officers have its alert already: what follows waits for whoever
    takes it (see `take`) unless it names a danger (`danger`: urgent words in it); a bare thank-you
    to the owner rides their next message (`budget.RIDE_ONLY`).
    """
    entry = record(session, case, now, "photo_from_reporter" if photo_id else "from_reporter", "reporter",
                   text=text, photo_id=photo_id)
    buttons = [m.postback_button("ตอบกลับ", p.Reply(case.id).data), m.postback_button("รายละเอียด", p.Detail(case.id).data)]
    if case.state == "closed":  # the message reaches the last owner, who may reopen the case
        buttons.insert(0, m.postback_button("เปิดเรื่องอีกครั้ง", p.Reopen(case.id).data))
    elif case.owner_officer_id is None:
        buttons.insert(0, m.postback_button("รับเรื่อง", p.Take(case.id).data, f"รับเรื่อง {case.reference}"))
    notice = m.text(say("officer_reporter_wrote", case=case, text=text, photo=bool(photo_id)), buttons)
    owner = case.owner if case.owner and case.owner.active and case.owner.line_user_id else None
    if owner is not None:
        thanks = case.state != "closed" and not photo_id and acknowledgements.only_thanks(text or "")
        outbox.enqueue_push(session, owner.line_user_id, [notice], now,
                            "reporter_thanked" if thanks else "reporter_wrote", case.id)
    else:  # the alert went already: the taker reads this in their answer, the escalation carries it
        tell_officers(session, case, [notice], now, "reporter_wrote" if danger else "followup_untaken")
    session.flush()
    return [m.text(say("reporter_message_added", case=case, photo=bool(photo_id)))] if entry else []


def case_buttons(case: Case) -> list[dict]:
    """Quick replies for what an officer usually does next with a case."""
    ref = case.reference
    return [m.postback_button("ตอบกลับ", p.Reply(case.id).data),
            m.postback_button("เปลี่ยนสถานะ", p.States(case.id).data),
            m.postback_button("รายละเอียด", p.Detail(case.id).data),
            m.say_button("บันทึก", f"บันทึก {ref} "),
            m.say_button("เรื่องค้าง")]
