"""A document as a list of plain blocks, so the PDF and the Word file are laid out from the same text."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A bold centred title line; size in points of TH Sarabun (the Word file's sizes)."""

    text: str
    size: float = 29
    emblem_path: str | None = None  # the Garuda emblem at the left of the heading (the memo's)


@dataclass(frozen=True)
class Field:
    """A memo line such as "เรื่อง  ขออนุมัติ…": bold label, then the value."""

    label: str
    value: str


@dataclass(frozen=True)
class FieldPair:
    """Two memo fields on one line, e.g. "ที่ …" and "วันที่ …"."""

    first: Field
    second: Field


@dataclass(frozen=True)
class Para:
    """A paragraph: first line indented 2.5 cm unless indent is False."""

    text: str
    indent: bool = True
    bold: bool = False
    size: float | None = None
    align: str = "justify"  # justify, left, center, right
    keep: float = 0  # lines that must follow on the same page (a section title with its table)
    red: bool = False  # the urgency and secrecy marks are stamped in red


@dataclass(frozen=True)
class Gap:
    """Vertical space, in body lines."""

    lines: float = 0.5


@dataclass(frozen=True)
class Signature:
    """A signature block in the right half: space to sign, (name), position, further lines."""

    name: str
    position: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choices:
    """Tick boxes on one line, e.g. ☐ อนุมัติ ☐ ไม่อนุมัติ; ticked: the label that is crossed, or None."""

    labels: tuple[str, ...]
    ticked: str | None = None


@dataclass(frozen=True)
class FillLines:
    """Dotted lines to write on by hand (or the text already written there)."""

    count: int = 2
    text: str = ""


@dataclass(frozen=True)
class Table:
    """A bordered table with a grey heading row; widths in percent of the text width."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    align: tuple[str, ...]  # left, center, right per column
    total: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart of (label, count), drawn with lines and rectangles."""

    rows: tuple[tuple[str, int], ...]
    unit: str = ""


@dataclass(frozen=True)
class Box:
    """Blocks inside a thin frame, kept on one page (the fund's proposal and decision boxes)."""

    blocks: tuple = ()


@dataclass(frozen=True)
class Photos:
    """Photos on following pages, two to a page, under a title."""

    images: tuple[bytes, ...]
    title: str


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass
class Document:
    """What a renderer needs: the blocks, the file's title and the case reference for the footer."""

    title: str
    blocks: list = field(default_factory=list)
    reference: str = ""
    thai_digits: bool = True  # page numbers in Thai digits (the memo's DOCUMENT_DIGITS may say arabic)


def texts(document: Document) -> list[str]:
    """Every line of text in reading order (what tests compare between the PDF and the Word file)."""
    out: list[str] = []
    for block in document.blocks:
        out += _texts(block)
    return [t for t in out if t]


def _texts(block) -> list[str]:
    if isinstance(block, Heading) and block.emblem_path:
        return ["\t" + block.text]  # the Word file tabs the heading to the centre, past the emblem
    if isinstance(block, (Heading, Para)):
        return block.text.split("\n")
    if isinstance(block, Field):
        return [f"{block.label}  {block.value}"]
    if isinstance(block, FieldPair):
        return ["\t".join([*_texts(block.first), *_texts(block.second)])]  # one line, a tab between
    if isinstance(block, Signature):
        return [f"({block.name})" if block.name else "", block.position, *block.lines]
    if isinstance(block, FillLines):
        return [block.text]
    if isinstance(block, Box):
        return [t for inner in block.blocks for t in _texts(inner)]
    return []
