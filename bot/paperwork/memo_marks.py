"""The memo's secrecy and urgency marks, its number from the office's register and its issue date, kept on the case."""
from __future__ import annotations

from datetime import date

from bot.core.texts import say
from bot.core.thai_dates import BANGKOK
from bot.line import messages as m
from bot.paperwork.documents.memo import SECRECY_MARKS, URGENCY_MARKS
from models import AuditLog, Case

NO_MARK_WORDS = ("ไม่มี", "ไม่ลับ", "ปกติ", "ไม่ด่วน", "-")
SECRET_CATEGORIES = ("sexual_abuse",)  # reports of sexual abuse travel as ลับ unless an officer says otherwise
DOC_NUMBER_LIMIT = 100


def secrecy_of(case: Case) -> str:
    """The case's secrecy mark: the officer's choice, else ลับ for sexual abuse, else none."""
    if case.secrecy is not None:
        return case.secrecy
    return SECRECY_MARKS[0] if case.category in SECRET_CATEGORIES else ""


def urgency_of(case: Case) -> str:
    """The case's urgency mark: the officer's choice, else ด่วนที่สุด for an urgent case, else none."""
    if case.urgency is not None:
        return case.urgency
    return URGENCY_MARKS[-1] if getattr(case, "urgent", False) else ""  # `urgent` may not exist yet


def issue_date(case: Case, now) -> date:
    """The memo's date: the day it was first issued, recorded then so every reprint carries the same date."""
    if case.memo_issued_on is None:
        case.memo_issued_on = now.astimezone(BANGKOK).date()
    return case.memo_issued_on


def _set_mark(turn, officer, case: Case, typed: str, kind: str, marks: tuple[str, ...]) -> list[dict]:
    """Record an officer's chosen mark (or none) on the case, or explain the choices."""
    typed = typed.strip()
    current = secrecy_of(case) if kind == "secrecy" else urgency_of(case)
    if typed not in marks and typed not in NO_MARK_WORDS:
        return [m.text(say("memo_mark_choices", case=case, kind=kind, current=current, marks=marks,
                           typed=typed))]
    value = typed if typed in marks else ""
    setattr(case, kind, value)
    turn.session.add(AuditLog(at=turn.now, actor=officer.line_user_id, action=f"memo_{kind}_set", case_id=case.id,
                              detail={"mark": value}))
    return [m.text(say("memo_mark_set", case=case, kind=kind, mark=value))]


def set_secrecy(turn, officer, case: Case, typed: str) -> list[dict]:
    """ "ชั้นความลับ 0001/2569 ลับมาก" (or ไม่มี)."""
    return _set_mark(turn, officer, case, typed, "secrecy", SECRECY_MARKS)


def set_urgency(turn, officer, case: Case, typed: str) -> list[dict]:
    """ "ความเร่งด่วน 0001/2569 ด่วนมาก" (or ไม่มี)."""
    return _set_mark(turn, officer, case, typed, "urgency", URGENCY_MARKS)


def set_doc_number(turn, officer, case: Case, typed: str) -> list[dict]:
    """ "เลขที่หนังสือ 0001/2569 ศธ 04123/456": the memo's ที่ from the office's register."""
    typed = " ".join(typed.split())
    if not typed or len(typed) > DOC_NUMBER_LIMIT:
        return [m.text(say("doc_number_expected", case=case, current=case.doc_number or "",
                           limit=DOC_NUMBER_LIMIT))]
    case.doc_number = "" if typed in NO_MARK_WORDS else typed
    turn.session.add(AuditLog(at=turn.now, actor=officer.line_user_id, action="memo_number_set", case_id=case.id))
    return [m.text(say("doc_number_set", case=case, number=case.doc_number))]
