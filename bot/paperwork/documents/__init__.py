"""Database-free renderers of the centre's documents: plain dataclasses in, PDF/CSV bytes out."""
from bot.paperwork.documents.fund import FundRequestData, render_fund_request
from bot.paperwork.documents.memo import MemoData, render_memo
from bot.paperwork.documents.summary import SummaryData, render_summary_csv, render_summary_pdf
from bot.paperwork.documents.thai_text import baht_text

__all__ = [
    "FundRequestData", "MemoData", "SummaryData", "baht_text",
    "render_fund_request", "render_memo", "render_summary_csv", "render_summary_pdf",
]
