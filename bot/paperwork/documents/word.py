"""Editable Word copies (.docx): shared helpers for the memo's page, fonts and sizes, Thai text as typed.

Word breaks Thai lines itself (with its own dictionary), so the text goes in as it is. Thai is a
"complex script" to Word: the font, size and bold must be set on the complex-script attributes
(w:cs, w:szCs, w:bCs) too, or Word shows Thai in another font and size.
"""
from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor


FONT = "TH SarabunPSK"  # the government's standard Thai font (cabinet resolution of 2010), on every office PC
BODY_SIZE = 16  # points: the regulation's body size in TH Sarabun
LABEL_SIZE = 20  # ส่วนราชการ / ที่ / วันที่ / เรื่อง, bold
HEADING_SIZE = 29  # "บันทึกข้อความ", bold
MARGINS_CM = {"left": 3.0, "right": 2.0, "top": 2.0, "bottom": 2.0}
TEXT_WIDTH_CM = 21.0 - MARGINS_CM["left"] - MARGINS_CM["right"]  # A4
INDENT_CM = 2.5  # a paragraph's first line, as in official letters
SIGNATURE_LEFT = 0.4  # the signature block starts this far across the text width
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}
BAR = "\u2588"  # a full block: the Word copy's bars are runs of it, so the chart stays editable
BAR_WIDTH = 30  # characters of the longest bar


def set_font(run_or_style, size: float | None = None, bold: bool | None = None) -> None:
    """Font, size and weight for Latin and Thai (complex-script) text alike."""
    font = run_or_style.font
    font.name = FONT
    props = run_or_style.element.get_or_add_rPr()
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        props.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        font.size = Pt(size)
        _set(props, "w:szCs", {"w:val": str(int(size * 2))})
    if bold is not None:
        font.bold = bold
        _set(props, "w:bCs", {"w:val": "1" if bold else "0"})


def _set(parent, tag: str, attrs: dict[str, str]) -> None:
    """Replace or add a child element with these attributes."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    parent.append(element)


def new_document(title: str, reference: str = "", thai_digits: bool = True):
    """An empty A4 document with the memo's margins, TH Sarabun 16 pt, Thai language, page numbers."""
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side, cm in MARGINS_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    normal = doc.styles["Normal"]
    set_font(normal, BODY_SIZE, False)
    _set(normal.element.get_or_add_rPr(), "w:lang", {"w:val": "th-TH", "w:bidi": "th-TH", "w:eastAsia": "th-TH"})
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    doc.core_properties.title = title
    doc.core_properties.language = "th-TH"
    _page_furniture(section, reference, thai_digits)
    return doc


def _page_furniture(section, reference: str, thai_digits: bool = True) -> None:
    """From page 2 on, "- n -" at the top centre (Thai digits unless told); the case reference at the bottom right."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("- "), BODY_SIZE)
    _page_field(paragraph, thai_digits)
    set_font(paragraph.add_run(" -"), BODY_SIZE)
    if reference:
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_font(paragraph.add_run(f"เรื่องเลขที่ {reference}"), 10)


def _page_field(paragraph, thai_digits: bool = True) -> None:
    """A PAGE field, in Thai digits by Word's ThaiArabic number format."""
    instruction = " PAGE \\* ThaiArabic " if thai_digits else " PAGE "
    run = paragraph.add_run()
    set_font(run, BODY_SIZE)
    shown = "๒" if thai_digits else "2"  # what Word shows until it updates the field
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if "PAGE" in text else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def paragraph(container, text: str = "", size: float = BODY_SIZE, bold: bool = False, align: str = "left",
              first_indent_cm: float = 0.0, left_indent_cm: float = 0.0):
    """One paragraph of text in one font size; "\\n" inside becomes a line break."""
    para = container.add_paragraph()
    para.alignment = ALIGN[align]
    if first_indent_cm:
        para.paragraph_format.first_line_indent = Cm(first_indent_cm)
    if left_indent_cm:
        para.paragraph_format.left_indent = Cm(left_indent_cm)
    if text:
        set_font(para.add_run(text), size, bold)
    return para


def labelled(para, label: str, value: str) -> None:
    """ "label  value" in a paragraph: the label bold at the memo's label size."""
    set_font(para.add_run(label), LABEL_SIZE, True)
    set_font(para.add_run(f"  {value}"), BODY_SIZE, False)


def table(container, headings, rows, widths, align, total=None):
    """A bordered table: grey bold heading row, rows, an optional bold total row; widths in percent."""
    grid = container.add_table(rows=0, cols=len(headings))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for kind, cells in [("head", headings), *[("row", r) for r in rows], *([("total", total)] if total else [])]:
        row = grid.add_row()
        for i, text in enumerate(cells):
            cell = row.cells[i]
            cell.width = Cm(TEXT_WIDTH_CM * widths[i] / 100)
            para = cell.paragraphs[0]
            para.alignment = ALIGN["center" if kind == "head" else align[i]]
            set_font(para.add_run(text), BODY_SIZE, kind != "row")
            if kind == "head":
                _set(cell._tc.get_or_add_tcPr(), "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": "E1E1E1"})
    return grid


def bars(container, rows, unit: str) -> None:
    """The bar chart as a borderless table: label, a bar of full blocks, the count."""
    top = max((count for _, count in rows), default=0)
    grid = container.add_table(rows=0, cols=3)
    for label, count in rows:
        cells = grid.add_row().cells
        for cell, width in zip(cells, (5.5, 8.5, 2.0)):
            cell.width = Cm(width)
        set_font(cells[0].paragraphs[0].add_run(label), BODY_SIZE - 2)
        length = round(BAR_WIDTH * count / top) if top else 0
        run = cells[1].paragraphs[0].add_run(BAR * (length or (1 if count else 0)))
        set_font(run, BODY_SIZE - 2)
        run.font.color.rgb = RGBColor(0x3C, 0x6E, 0xA0)
        cells[2].paragraphs[0].alignment = ALIGN["right"]
        set_font(cells[2].paragraphs[0].add_run(f"{count:,} {unit}".strip()), BODY_SIZE - 2)


def boxed(container):
    """A one-cell bordered table to write blocks into (a framed box); returns the cell."""
    grid = container.add_table(rows=1, cols=1)
    grid.style = "Table Grid"
    cell = grid.rows[0].cells[0]
    cell.width = Cm(TEXT_WIDTH_CM)
    return cell


def page_break(doc) -> None:
    """Start a new page."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def picture(doc, data: bytes, width_cm: float = 14.0, height_cm: float = 10.5) -> bool:
    """A photo centred, scaled into the box; False when Word could not take it (not JPEG/PNG)."""
    para = doc.add_paragraph()
    para.alignment = ALIGN["center"]
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            ratio = image.width / image.height
        width = min(width_cm, height_cm * ratio)
        para.add_run().add_picture(io.BytesIO(data), width=Cm(width))
        return True
    except Exception:  # noqa: BLE001 - any unreadable photo is noted in the document instead
        para._p.getparent().remove(para._p)
        return False


def to_bytes(doc) -> bytes:
    """The finished .docx as bytes."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
