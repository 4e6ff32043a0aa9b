"""The documents' Thai wording, from templates/documents/<document>.txt (one file per document).

A file is split into parts by lines "## part"; each part is a Jinja template rendered on its own,
so an office can reword a sentence without touching Python.
"""
from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, StrictUndefined

from bot.core import thai_dates
from bot.paperwork.documents.thai_text import baht_text, format_number
from config.settings import PROJECT_ROOT

DOCUMENT_DIR = PROJECT_ROOT / "templates" / "documents"
_PART = re.compile(r"^## (\w+)\s*$", re.MULTILINE)


@cache
def _environment() -> Environment:
    env = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["thai_date"] = thai_dates.format_date
    env.filters["number"] = format_number
    env.filters["baht_words"] = baht_text
    return env


@cache
def _parts(document: str) -> dict:
    """The document's parts, compiled: name -> template."""
    source = (DOCUMENT_DIR / f"{document}.txt").read_text(encoding="utf-8")
    pieces = _PART.split(source)[1:]
    return {name: _environment().from_string(body.strip("\n")) for name, body in zip(pieces[::2], pieces[1::2])}


def words(document: str, part: str, **values) -> str:
    """One part of a document's wording, filled in; surrounding blank lines removed."""
    return _parts(document)[part].render(**values).strip()


def paragraphs(document: str, part: str, **values) -> list[str]:
    """A part split into paragraphs at blank lines (each paragraph's lines joined with a space)."""
    text = words(document, part, **values)
    return [" ".join(line.strip() for line in block.splitlines() if line.strip())
            for block in re.split(r"\n\s*\n", text) if block.strip()]


def part_names(document: str) -> list[str]:
    """Every part of a document's file (for the test that renders them all)."""
    return list(_parts(document))
