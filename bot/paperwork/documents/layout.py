"""Block documents (blocks.py) drawn as PDF on the official page (pdf.OfficialPdf)."""
from __future__ import annotations

from fpdf.fonts import FontFace

from bot.paperwork.documents import blocks as b
from bot.paperwork.documents.pdf import BODY_SIZE, FONT, LINE, OfficialPdf
from bot.paperwork.documents.thai_text import format_number


WORD_BODY = 16  # block sizes are TH Sarabun points; the PDF font may be drawn at another body size
BAR_COLOUR = (60, 110, 160)


def _size(points: float) -> float:
    return points * BODY_SIZE / WORD_BODY


def render(document: b.Document) -> bytes:
    """The block document as PDF bytes."""
    pdf = OfficialPdf(title=document.title, reference=document.reference)
    pdf.add_page()
    for block in document.blocks:
        draw(pdf, block)
    return pdf.to_bytes()


def draw(pdf: OfficialPdf, block, left: float = 0.0) -> None:
    """Draw one block at the current position."""
    if isinstance(block, b.Heading):
        _heading(pdf, block)
    elif isinstance(block, b.Field):
        pdf.labelled(block.label, block.value)
    elif isinstance(block, b.FieldPair):
        pdf.labelled_pair((block.first.label, block.first.value), (block.second.label, block.second.value))
    elif isinstance(block, b.Para):
        _para(pdf, block, left)
    elif isinstance(block, b.Gap):
        pdf.gap(block.lines)
    elif isinstance(block, b.Signature):
        pdf.signature(block.name, block.position, block.lines)
    elif isinstance(block, b.Choices):
        _choices(pdf, block, left)
    elif isinstance(block, b.FillLines):
        _fill_lines(pdf, block, left)
    elif isinstance(block, b.Table):
        _table(pdf, block)
    elif isinstance(block, b.Bars):
        bars(pdf, block.rows, block.unit)
    elif isinstance(block, b.Box):
        _box(pdf, block)
    elif isinstance(block, b.Photos):
        if block.images:
            pdf.photo_pages(list(block.images), block.title)
    elif isinstance(block, b.PageBreak):
        pdf.add_page()


def _heading(pdf: OfficialPdf, block: b.Heading) -> None:
    """A bold centred title, wrapped between words when it is longer than a line."""
    size = _size(block.size)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(pdf.epw, size * 0.5, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", BODY_SIZE)


def _para(pdf: OfficialPdf, block: b.Para, left: float) -> None:
    """A paragraph; centred or right-aligned ones as whole lines."""
    if block.keep:
        pdf.ensure_space(LINE * (block.keep + 1))
    if block.align in ("center", "right"):
        pdf.set_font(FONT, "B" if block.bold else "", _size(block.size or WORD_BODY))
        for part in block.text.split("\n"):
            pdf.set_x(pdf.l_margin + left)
            pdf.multi_cell(pdf.epw - left, LINE, part, align=block.align[0].upper(),
                           new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", BODY_SIZE)
        return
    pdf.paragraph(block.text, indent=(25.0 if block.indent else 0.0) + left, left=left, bold=block.bold)


def _choices(pdf: OfficialPdf, block: b.Choices, left: float) -> None:
    """Small squares, the ticked one crossed, each followed by its label."""
    x, y, size = pdf.l_margin + left + 5, pdf.get_y(), 3.6
    for label in block.labels:
        pdf.rect(x, y + 1.6, size, size)
        if label == block.ticked:
            pdf.line(x + 0.6, y + 2.2, x + size - 0.6, y + 1.6 + size - 0.6)
            pdf.line(x + size - 0.6, y + 2.2, x + 0.6, y + 1.6 + size - 0.6)
        pdf.set_xy(x + size + 1.5, y)
        width = pdf.get_string_width(label) + 4
        pdf.cell(width, LINE, label)
        x += size + 1.5 + width + 8
    pdf.ln(LINE)


def _fill_lines(pdf: OfficialPdf, block: b.FillLines, left: float) -> None:
    """The text written there, or dotted lines to write on."""
    if block.text:
        pdf.paragraph(block.text, indent=left, left=left)
        return
    for _ in range(block.count):
        pdf.dotted_line(pdf.l_margin + left + 2, pdf.w - pdf.r_margin - 2, pdf.get_y() + LINE - 1)
        pdf.ln(LINE)


def _table(pdf: OfficialPdf, block: b.Table) -> None:
    """A bordered table with a grey bold heading row and an optional bold total row."""
    style = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    align = tuple(a.upper() for a in block.align)
    with pdf.table(col_widths=block.widths, text_align=align, line_height=LINE, headings_style=style,
                   padding=(0.5, 1.5)) as table:
        for row in [block.headings, *block.rows]:
            table.row([cell for cell in row])
        if block.total:
            table.row([cell for cell in block.total], style=FontFace(emphasis="BOLD"))
    pdf.gap(0.7)


def bars(pdf: OfficialPdf, rows, unit: str) -> None:
    """A horizontal bar chart: label on the left, a bar scaled to the largest count, the count after it."""
    pdf.ensure_space(LINE * (len(rows) + 1))
    pdf.set_font(FONT, "", BODY_SIZE - 2)
    label_w = min(max((pdf.get_string_width(label) for label, _ in rows), default=0) + 3, pdf.epw * 0.42)
    count_w = 22.0
    bar_x, bar_w = pdf.l_margin + label_w, pdf.epw - label_w - count_w
    top = max((count for _, count in rows), default=0)
    y0 = pdf.get_y()
    for label, count in rows:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, LINE, label, align="R")
        length = bar_w * count / top if top else 0.0
        if length:
            with pdf.local_context(fill_color=BAR_COLOUR):
                pdf.rect(bar_x, y + 1.2, max(length, 0.6), LINE - 2.4, style="F")
        pdf.set_xy(bar_x + length + 1.5, y)
        pdf.cell(count_w, LINE, f"{format_number(count)} {unit}".strip())
        pdf.ln(LINE)
    with pdf.local_context(draw_color=90, line_width=0.3):
        pdf.line(bar_x, y0, bar_x, pdf.get_y())  # the axis the bars grow from
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.gap(0.7)


def _box(pdf: OfficialPdf, block: b.Box) -> None:
    """Blocks in a frame; the frame starts on a new page when the box would not fit."""
    pdf.ensure_space(_height(block))
    top, right = pdf.get_y(), pdf.r_margin
    pdf.set_right_margin(right + 3)  # text keeps clear of the frame on both sides
    pdf.gap(0.3)
    for inner in block.blocks:
        if isinstance(inner, b.Signature):
            pdf.gap(1.5)
            pdf.signature_at(pdf.l_margin + pdf.epw * 0.4, pdf.epw * 0.6, inner.name, inner.position, inner.lines)
        else:
            draw(pdf, inner, left=3.0)
    pdf.set_right_margin(right)
    bottom = pdf.get_y() + 1
    pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top)
    pdf.set_y(bottom + 2)


def _height(block: b.Box) -> float:
    """A generous estimate of a box's height, to keep it on one page."""
    lines = 1.0
    for inner in block.blocks:
        if isinstance(inner, b.Signature):
            lines += 4 + len(inner.lines)
        elif isinstance(inner, b.Para):
            lines += 1 + len(inner.text) // 70 + inner.text.count("\n")
        elif isinstance(inner, b.FillLines):
            lines += inner.count if not inner.text else 1 + len(inner.text) // 70
        else:
            lines += 1.2
    return lines * LINE
