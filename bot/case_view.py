"""How a report or a case reads in LINE: the summary before confirming and the officers' alert."""
from __future__ import annotations

from datetime import datetime

from bot import messages as m
from bot.texts import say
from config.categories import display_name

EXCERPT = 300


def draft_summary(answers: dict) -> str:
    """Everything the principal entered, to check before confirming."""
    return say("summary", a=answers, category=display_name(answers["category"], answers.get("category_other")),
               occurred_at=datetime.fromisoformat(answers["occurred_at"]),
               photo_count=len(answers.get("photos", [])))


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a long text, cut at a space where possible."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def officer_alert(case) -> dict:
    """The push every hotline officer gets when a case is filed (a Flex bubble)."""
    body = say("officer_alert", case=case, category=display_name(case.category, case.category_other),
               facts=excerpt(case.facts), photo_count=len(case.photos))
    rows = [{"type": "text", "text": line or " ", "wrap": True, "size": "sm"} for line in body.split("\n")]
    bubble = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": "#B71C1C", "contents": [
            {"type": "text", "text": f"แจ้งเหตุใหม่ เลขที่ {case.reference}", "weight": "bold", "color": "#FFFFFF"}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": rows},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": alert_buttons(case)},
    }
    alt = say("officer_alert_alt", case=case, category=display_name(case.category, case.category_other))
    return {"type": "flex", "altText": alt[:1500], "contents": bubble}


def alert_buttons(case) -> list[dict]:
    """Buttons under an alert; case-thread actions join them as they are built."""
    return [{"type": "button", "style": "primary", "height": "sm",
             "action": m.call_button("โทรหาผู้รายงาน", case.reporter_phone)}]
