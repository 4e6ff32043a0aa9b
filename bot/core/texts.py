"""Every sentence the bot says lives in templates/line/; this renders one by name."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from config.settings import PROJECT_ROOT

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "line"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, autoescape=False)
    from bot.core import thai_dates

    env.filters["thai_datetime"] = thai_dates.format_datetime
    env.filters["thai_date"] = thai_dates.format_date
    env.filters["occurred"] = lambda at, unknown=False, style="full": say("occurred_when", at=at, unknown=unknown,
                                                                          style=style)
    env.filters["number"] = lambda n: f"{n:,}"
    env.globals["centre_name"] = "ศูนย์เฉพาะกิจคุ้มครองและช่วยเหลือนักเรียน"  # until configure() is called
    return env


def configure(centre_name: str) -> None:
    """The centre's configured name, which every message may use as {{ centre_name }}."""
    _environment().globals["centre_name"] = centre_name


def say(name: str, **values) -> str:
    """The Thai text of message `name` (templates/line/<name>.txt) filled with `values`."""
    return _environment().get_template(f"{name}.txt").render(**values).strip()


def template_names() -> list[str]:
    """Every message template, for the test that renders them all."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.txt"))


DOCUMENT_DIR = PROJECT_ROOT / "templates" / "documents"


@lru_cache(maxsize=1)
def _document_environment() -> Environment:
    return Environment(loader=FileSystemLoader(DOCUMENT_DIR), undefined=StrictUndefined, autoescape=False)


def document_wording(name: str):
    """The wording of document `name` (templates/documents/<name>.txt): its macros, called as functions."""
    return _document_environment().get_template(f"{name}.txt").module


def document_text(name: str, piece: str, *args, **values) -> str:
    """One piece of a document's wording, e.g. document_text("memo", "closing")."""
    return str(getattr(document_wording(name), piece)(*args, **values)).strip()
