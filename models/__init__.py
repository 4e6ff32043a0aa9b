"""The database tables; importing this package registers every model on `Base.metadata`."""
from models.base import Base
from models.case import AuditLog, Case, CaseCounter, Photo
from models.messaging import Draft, ExpiredDraftNotice, Outbox, ProcessedEvent
from models.people import Officer, Reporter

__all__ = [
    "AuditLog", "Base", "Case", "CaseCounter", "Draft", "ExpiredDraftNotice",
    "Officer", "Outbox", "Photo", "ProcessedEvent", "Reporter",
]
