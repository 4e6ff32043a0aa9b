"""Block documents (blocks.py) written as editable Word files with the helpers of word.py."""
from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, RGBColor

from bot.core.thai_dates import to_thai_digits
from bot.paperwork.documents import blocks as b
from bot.paperwork.documents.word import (
    ALIGN, BODY_SIZE, INDENT_CM, SIGNATURE_LEFT, TEXT_WIDTH_CM, bars, boxed, labelled, new_document, page_break,
    paragraph, picture, set_font, table, to_bytes,
)


def render(document: b.Document) -> bytes:
    """A block document as an editable .docx."""
    doc = new_document(document.title, document.reference, document.thai_digits)
    for block in document.blocks:
        write_block(doc, doc, block)
    return to_bytes(doc)


def write_block(doc, container, block) -> None:
    """Write one block into the document body or a table cell."""
    if isinstance(block, b.Heading):
        _heading(container, block)
    elif isinstance(block, b.Field):
        labelled(paragraph(container), block.label, block.value)
    elif isinstance(block, b.FieldPair):
        para = paragraph(container)
        para.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM / 2), WD_TAB_ALIGNMENT.LEFT)
        labelled(para, block.first.label, block.first.value)
        para.add_run("\t")
        labelled(para, block.second.label, block.second.value)
    elif isinstance(block, b.Para):
        for part in block.text.split("\n"):
            para = paragraph(container, part, block.size or BODY_SIZE, block.bold, block.align,
                             INDENT_CM if block.indent else 0.0)
            para.paragraph_format.keep_with_next = bool(block.keep) or None
            if block.red:
                for run in para.runs:
                    run.font.color.rgb = RGBColor(0xC8, 0, 0)
    elif isinstance(block, b.Gap):
        for _ in range(max(1, round(block.lines))):
            paragraph(container)
    elif isinstance(block, b.Signature):
        _signature(container, block)
    elif isinstance(block, b.Choices):
        marks = [f"{'☒' if label == block.ticked else '☐'} {label}" for label in block.labels]
        paragraph(container, "      ".join(marks), first_indent_cm=0.5)
    elif isinstance(block, b.FillLines):
        lines = [block.text] if block.text else ["." * 110] * block.count
        for line in lines:
            paragraph(container, line)
    elif isinstance(block, b.Table):
        table(container, block.headings, block.rows, block.widths, block.align, block.total)
        paragraph(container)
    elif isinstance(block, b.Bars):
        bars(container, block.rows, block.unit)
        paragraph(container)
    elif isinstance(block, b.Box):
        cell = boxed(container)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        for inner in block.blocks:
            write_block(doc, cell, inner)
        paragraph(container)
    elif isinstance(block, b.Photos):
        _photos(doc, block)
    elif isinstance(block, b.PageBreak):
        page_break(doc)


def _heading(container, block: b.Heading) -> None:
    """A bold centred title; with an emblem, the emblem 1.5 cm high at the left of the same line."""
    emblem = block.emblem_path
    para = paragraph(container, "" if emblem else block.text, block.size, True, "center")
    if not emblem:
        return
    para.alignment = ALIGN["left"]
    para.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM / 2), WD_TAB_ALIGNMENT.CENTER)
    try:
        para.add_run().add_picture(emblem, height=Cm(1.5))
    except Exception:  # noqa: BLE001 - an unreadable emblem file leaves the heading alone
        pass
    set_font(para.add_run("\t" + block.text), block.size, True)


def _signature(container, block: b.Signature) -> None:
    """Room to sign, then (name), position and further lines centred in the right part."""
    left = TEXT_WIDTH_CM * SIGNATURE_LEFT
    paragraph(container)
    paragraph(container)
    name = f"({block.name})" if block.name else "(.............................................)"
    for line in (name, block.position, *block.lines):
        if line:
            paragraph(container, line, align="center", left_indent_cm=left)


def _photos(doc, block: b.Photos) -> None:
    """Two photos a page, each captioned ภาพที่ n."""
    for i, data in enumerate(block.images):
        if i % 2 == 0:
            page_break(doc)
            paragraph(doc, block.title, BODY_SIZE + 2, True, "center")
        label = to_thai_digits(f"ภาพที่ {i + 1}")
        if not picture(doc, data):
            label = f"({label} ไม่สามารถแสดงได้)"
        paragraph(doc, label, align="center")
