"""The database tables; importing this package registers every model on `Base.metadata`."""
from models.base import Base
from models.console import ConsoleSession, ConsoleSignIn
from models.case import AuditLog, Case, CaseCounter, CaseEntry, FundRequest, Photo, ReportRun
from models.messaging import (ChatState, Draft, ExpiredDraftNotice, GroupInvite, LineGroup, Outbox,
                              PushBudget, WebhookEvent)
from models.people import DutySlot, Officer, Reporter

__all__ = [
    "AuditLog", "Base", "Case", "CaseCounter", "CaseEntry", "ChatState", "ConsoleSession", "ConsoleSignIn", "Draft",
    "DutySlot", "ExpiredDraftNotice",
    "FundRequest", "GroupInvite", "LineGroup", "Officer", "Outbox", "Photo", "PushBudget", "ReportRun", "Reporter",
    "WebhookEvent",
]
