"""How a report or a case reads in LINE: the summary before confirming and the officers' alert."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.line import messages as m
from bot.core.texts import say
from bot.dialogue import payloads
from bot.casework.actions import DESTINATIONS
from bot.casework.states import STATES
from bot.staff import duty
from config.categories import display_name
from models import Case, CaseEntry

EXCERPT = 300


def draft_summary(answers: dict) -> str:
    """Everything the principal entered, to check before confirming."""
    return say("summary", a=answers, category=display_name(answers["category"], answers.get("category_other")),
               occurred_at=datetime.fromisoformat(answers["occurred_at"]),
               time_unknown=answers.get("occurred_time_unknown", False),
               photo_count=len(answers.get("photos", [])))


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a long text, cut at a space where possible."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def officer_alert(case, lead: str | None = None, minutes: int | None = None, on_duty: str = "") -> dict:
    """The push hotline officers get when a case is filed (a Flex bubble); `lead` in bold above it; names
    who is on duty. An urgent case says so in its header, colour and first line (with `minutes` to take it)."""
    body = say("officer_alert", case=case, category=display_name(case.category, case.category_other),
               facts=excerpt(case.facts), photo_count=sum(p.status in ("pending", "stored") for p in case.photos),
               minutes=minutes, on_duty=on_duty)
    rows = [{"type": "text", "text": line or " ", "wrap": True, "size": "sm"} for line in body.split("\n")]
    if lead:
        rows.insert(0, {"type": "text", "text": lead, "wrap": True, "size": "sm", "weight": "bold"})
    bubble = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": "#7F0000" if case.urgent else "#B71C1C",
                   "contents": [
            {"type": "text", "text": say("officer_alert_header", case=case), "weight": "bold", "color": "#FFFFFF"}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": rows},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": alert_buttons(case)},
    }
    alt = say("officer_alert_alt", case=case, category=display_name(case.category, case.category_other))
    return {"type": "flex", "altText": alt[:1500], "contents": bubble}


def alert_buttons(case) -> list[dict]:
    """Buttons under an alert: take the case, answer the reporter, read everything, or phone."""
    actions = [("primary", m.postback_button("รับเรื่อง", payloads.Take(case.id).data, f"รับเรื่อง {case.reference}")),
               ("secondary", m.postback_button("ตอบกลับ", payloads.Reply(case.id).data)),
               ("secondary", m.postback_button("รายละเอียด", payloads.Detail(case.id).data)),
               ("link", m.call_button("โทรหาผู้รายงาน", case.reporter_phone))]
    return [{"type": "button", "style": style, "height": "sm", "action": action} for style, action in actions]


ENTRIES_PER_PAGE = 8


def case_details(session, case, page: int = 1) -> tuple[str, bool]:
    """The whole case (on page 1) and one page of its thread, oldest first; and whether more follow."""
    total = session.scalar(select(func.count()).select_from(CaseEntry).where(CaseEntry.case_id == case.id))
    pages = max(1, -(-total // ENTRIES_PER_PAGE))
    page = min(max(page, 1), pages)
    entries = list(session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id).order_by(CaseEntry.id)
                                   .offset((page - 1) * ENTRIES_PER_PAGE).limit(ENTRIES_PER_PAGE)))
    header = say("case_details", case=case, category=display_name(case.category, case.category_other),
                 state_name=STATES[case.state]) if page == 1 else say("case_details_continued", case=case)
    thread = say("case_thread", entries=[_entry_line(e) for e in entries], page=page, pages=pages)
    return f"{header}\n\n{thread}", page < pages


def _entry_line(entry) -> str:
    who = say("entry_who", author=entry.author, officer=entry.officer)
    line = say(f"entry_{entry.kind}", entry=entry, who=who, states=STATES, text=excerpt(entry.text or "", 400),
               destinations=DESTINATIONS)
    return " ".join(line.split())


def take_minutes(case, settings) -> int:
    """How soon the case must be taken: an urgent case much sooner."""
    return settings.urgent_take_deadline_minutes if case.urgent else settings.take_deadline_minutes


def is_overdue(case, now, settings) -> bool:
    """Not taken within the deadline, or no update from its owner for the reminder period."""
    if case.state == "new":
        return now - case.filed_at > timedelta(minutes=take_minutes(case, settings))
    if case.state == "closed":
        return False
    return now - (case.last_update_at or case.taken_at or case.filed_at) > timedelta(days=settings.reminder_days)


def open_cases(session, now, settings) -> str:
    """Every open case, urgent ones first, then oldest first, with its age, owner and marks (เรื่องค้าง)."""
    rows = list(session.scalars(select(Case).where(Case.state != "closed")
                                .order_by(Case.urgent.desc(), Case.filed_at, Case.id).limit(40)))
    lines = [say("open_case_line", case=c, age=age_text(now - c.filed_at), state_name=STATES[c.state],
                 overdue=is_overdue(c, now, settings)) for c in rows]
    return say("open_cases", lines=lines, on_duty=duty.names(duty.on_duty(session, now)))


def age_text(delta: timedelta) -> str:
    """How long ago, as officers say it ("25 นาที", "5 ชม.", "3 วัน"; templates/line/age.txt)."""
    return say("age", minutes=int(delta.total_seconds() // 60))
