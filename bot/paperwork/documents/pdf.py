"""The base for our Thai official documents: A4, memo margins, TH Sarabun metrics, Thai shaped and wrapped.

Lines are broken here, between the words PyThaiNLP finds (line_breaks), and each line is written as
it is: nothing is inserted into the text, so the PDF's text layer (text_layer) is what was typed.
"""
from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.util import Padding
from PIL import Image, ImageOps, UnidentifiedImageError

from bot.paperwork.documents.line_breaks import wrap
from bot.paperwork.documents.text_layer import ACTUAL_TEXT_END, TextLayerOutput, actual_text_begin
from bot.core.thai_dates import to_arabic_digits, to_thai_digits

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "Laksaman"  # TH Sarabun New's design and metrics (fonts-tlwg, GPL-2+ with font exception)
FONT_FILES = {"": "Laksaman.ttf", "B": "Laksaman-Bold.ttf"}
BODY_SIZE = 16  # the regulation's body size in TH Sarabun
LABEL_SIZE = 20  # memo labels (ส่วนราชการ, ที่, วันที่, เรื่อง), bold
HEADING_SIZE = 29  # "บันทึกข้อความ"
LINE = 7.0  # mm per body line
INDENT = 25.0  # first-line indent of a paragraph, 2.5 cm as in official letters
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30.0, 20.0, 20.0, 20.0
SIGN_SPACE = 2.5  # lines left blank to sign in
PHOTO_MAX_PIXELS = 2048  # photos are downscaled to this on their longer side (stored photos already are)


def prepare_photo(data: bytes) -> io.BytesIO | None:
    """JPEG bytes of the photo upright, at most PHOTO_MAX_PIXELS on its longer side; None if unreadable.

    A photo that already is such a JPEG (the photo pipeline stores them so) goes in unchanged: the
    PDF embeds JPEG data as it is, where re-encoding it losslessly would take seconds and megabytes.
    """
    try:
        image = Image.open(io.BytesIO(data))
        upright = image.getexif().get(0x0112, 1) == 1
        if image.format == "JPEG" and image.mode == "RGB" and upright and max(image.size) <= PHOTO_MAX_PIXELS:
            return io.BytesIO(data)
        image.draft("RGB", (PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))  # JPEG: decode at a reduced size
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=85)
        out.seek(0)
        return out
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def in_digits(text: str, digits: str | None) -> str:
    """text with its digits in one style: "thai" (๐-๙), "arabic" (0-9) or None (as written)."""
    if digits == "thai":
        return to_thai_digits(text)
    if digits == "arabic":
        return to_arabic_digits(text)
    return text


class OfficialPdf(FPDF):
    """An A4 document in the official memo style (3 cm left, 2 cm right/top margins).

    Every cell and multi_cell goes through here: digits in the document's style, Thai wrapped
    between words, and each line's exact text recorded for the text layer.
    """

    def __init__(self, title: str = "", reference: str = "", digits: str | None = None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.reference = reference
        self.digits = digits
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        for style, file_name in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / file_name))
        self.set_text_shaping(True)
        self.set_lang("th")
        self.set_title(title)
        self.set_creator("LINE student protection bot")
        self.set_font(FONT, size=BODY_SIZE)

    # ------------------------------------------------------------ text in, text layer out

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        """fpdf2's cell, with the document's digits."""
        return super().cell(w, h, in_digits(text, self.digits), *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        """fpdf2's multi_cell (tables use it too), with the document's digits and Thai wrapped between words."""
        text = in_digits(text, self.digits)
        padding = Padding.new(kwargs.get("padding") or 0)
        room = (w or self.w - self.r_margin - self.x) - (padding.left or self.c_margin) - (padding.right or self.c_margin)
        lines = [line.rstrip() for part in text.split("\n") for line in (wrap(part, room * 0.995, self.text_width)
                                                                         or [""])]
        return super().multi_cell(w, h, "\n".join(lines), *args, **kwargs)

    def _render_styled_text_line(self, text_line, h=None, *args, **kwargs):
        """Each line drawn inside a span that carries its exact text, for copying and extraction."""
        text = "".join(fragment.string for fragment in text_line.fragments)
        if not text:
            return super()._render_styled_text_line(text_line, h, *args, **kwargs)
        height = h if h is not None else max(fragment.font_size for fragment in text_line.fragments)
        page_break = self._perform_page_break_if_need_be(height)  # not between the span's start and end
        self._out(actual_text_begin(text))
        result = super()._render_styled_text_line(text_line, h, *args, **kwargs)
        self._out(ACTUAL_TEXT_END)
        return result or page_break

    def write_line(self, text: str, x: float, width: float, align: str = "L") -> None:
        """One line already wrapped, at x, then down one body line (its trailing spaces stay in the text)."""
        self.set_x(x)
        self.cell(width, LINE, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def wrapped(self, text: str, width: float, first_width: float | None = None) -> list[str]:
        """text (digits in the document's style) cut into lines that fit width (the first: first_width)."""
        return wrap(in_digits(text, self.digits), width, self.text_width, first_width)

    def text_width(self, text: str) -> float:
        """How wide text is drawn (shaped) in the current font, in mm: what line breaking measures."""
        return self.current_font.get_text_width(text, self.font_size_pt, self.text_shaping)[1] / self.k

    # ------------------------------------------------------------ page furniture

    def header(self) -> None:
        """From page 2 on: the page number in Thai digits at the top centre, as in letters."""
        if self.page_no() < 2:
            return
        with self.local_context(font_family=FONT, font_style="", font_size_pt=BODY_SIZE - 1):
            self.set_xy(MARGIN_LEFT, 10)
            self.cell(self.epw, 6, in_digits(f"- {self.page_no()} -", self.digits or "thai"), align="C")
        self.set_xy(MARGIN_LEFT, MARGIN_TOP)

    def footer(self) -> None:
        """The case reference, small, at the bottom right of every page."""
        if not self.reference:
            return
        with self.local_context(font_family=FONT, font_style="", font_size_pt=10, text_color=110):
            self.set_xy(MARGIN_LEFT, -14)
            self.cell(self.epw, 5, f"เรื่องเลขที่ {self.reference}", align="R")

    # ------------------------------------------------------------ text blocks

    def heading(self, text: str, size: float = HEADING_SIZE) -> None:
        """A bold centred title line."""
        self.set_font(FONT, "B", size)
        self.cell(self.epw, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", BODY_SIZE)

    def dotted_line(self, x1: float, x2: float, y: float) -> None:
        """A fine dotted rule from x1 to x2, like the fill-in lines of a printed form."""
        if x2 - x1 < 2:
            return
        with self.local_context(draw_color=90, line_width=0.25):
            self.set_dash_pattern(dash=0.4, gap=0.9)
            self.line(x1, y, x2, y)
            self.set_dash_pattern()

    def labelled(self, label: str, value: str, x: float | None = None, x_end: float | None = None) -> None:
        """Bold label then value on a dotted line from x to x_end; moves to the next line."""
        x = self.l_margin if x is None else x
        x_end = self.w - self.r_margin if x_end is None else x_end
        self.set_x(x)
        self._label_cell(label)
        self._value_cell(value, x_end)
        self.ln(LINE + 1)

    def labelled_pair(self, first: tuple[str, str], second: tuple[str, str], split: float = 0.5) -> None:
        """Two labelled values on one line, e.g. "ที่ ..." and "วันที่ ..."."""
        middle = self.l_margin + self.epw * split
        y = self.get_y()
        self.set_x(self.l_margin)
        self._label_cell(first[0])
        self._value_cell(first[1], middle - 2)
        self.set_xy(middle, y)
        self._label_cell(second[0])
        self._value_cell(second[1], self.w - self.r_margin)
        self.ln(LINE + 1)

    def _label_cell(self, label: str) -> None:
        """Print a bold memo label followed by a small gap."""
        self.set_font(FONT, "B", LABEL_SIZE)
        self.cell(self.get_string_width(label) + 2, LINE + 1, label)
        self.set_font(FONT, "", BODY_SIZE)

    def _value_cell(self, value: str, x_end: float) -> None:
        """Print value up to x_end over a dotted line; long values wrap below instead."""
        x, y, width = self.get_x(), self.get_y(), x_end - self.get_x()
        text = in_digits(value, self.digits)
        for size in (BODY_SIZE, BODY_SIZE - 1, BODY_SIZE - 2):
            self.set_font(FONT, "", size)
            if self.get_string_width(text) <= width:
                self.cell(width, LINE + 1, text)
                self.set_font(FONT, "", BODY_SIZE)
                self.dotted_line(x, x_end, y + LINE)
                self.set_xy(x_end, y)
                return
        self.set_font(FONT, "", BODY_SIZE)
        lines = self.wrapped(text, width)
        for line in lines[:-1]:
            self.write_line(line, x, width)
        self.set_x(x)
        self.cell(width, LINE + 1, lines[-1])  # the caller's ln() moves below the last line

    def paragraph(self, text: str, indent: float = INDENT, left: float = 0.0, bold: bool = False) -> None:
        """A paragraph: first line indented by indent, other lines at the left margin + left."""
        self.set_font(FONT, "B" if bold else "", BODY_SIZE)
        for part in (text or "").split("\n"):
            if part.strip():
                self._indented_block(part.strip(), indent, left)
        self.set_font(FONT, "", BODY_SIZE)

    def _indented_block(self, text: str, first_indent: float, left: float) -> None:
        """Write text with its first line starting at first_indent, the rest at left."""
        x = self.l_margin
        lines = self.wrapped(text, self.epw - left, self.epw - first_indent)
        for number, line in enumerate(lines):
            offset = first_indent if number == 0 else left
            self.write_line(line, x + offset, self.epw - offset)

    def gap(self, lines: float = 0.5) -> None:
        """Vertical space of a fraction of a body line."""
        self.ln(LINE * lines)

    def ensure_space(self, height: float) -> None:
        """Start a new page if less than height mm is left on this one."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    def signature(self, name: str, position: str, lines: tuple[str, ...] = ()) -> None:
        """A signature block in the right half: space to sign, (name), position, extra lines."""
        self.ensure_space(self.signature_height(len(lines)))
        self.gap(SIGN_SPACE)
        self.signature_at(self.l_margin + self.epw * 0.4, self.epw * 0.6, name, position, lines)

    def signature_at(self, x: float, width: float, name: str, position: str,
                     lines: tuple[str, ...] = ()) -> None:
        """(name), position and extra lines centred in the column [x, x + width] from here down."""
        block = [f"({name})" if name else "(.............................................)", position, *lines]
        for text in block:
            if text:
                self.set_x(x)
                self.multi_cell(width, LINE, text, align="C", new_x="LMARGIN", new_y="NEXT")

    @staticmethod
    def signature_height(extra_lines: int = 0) -> float:
        """Height of a signature block, to keep it on one page with the text before it."""
        return LINE * (SIGN_SPACE + 2.5 + extra_lines)

    # ------------------------------------------------------------ photos

    def photo_pages(self, photos: list[bytes], title: str, per_page: int = 2,
                    caption=lambda n: f"ภาพที่ {n}", unreadable=lambda n: f"(ภาพที่ {n} ไม่สามารถแสดงได้)") -> None:
        """Put photos on new pages, per_page to a page, scaled to fit, under a title; caption(n) below each."""
        self._captions = (caption, unreadable)
        for start in range(0, len(photos), per_page):
            self.add_page()
            self.heading(title, size=BODY_SIZE + 3)
            self.gap(0.5)
            top, caption = self.get_y(), LINE
            box_h = (self.h - self.b_margin - top) / per_page - caption - 2
            for i, data in enumerate(photos[start:start + per_page]):
                y = top + i * (box_h + caption + 2)
                self._photo_box(data, y, box_h, start + i + 1)

    def _photo_box(self, data: bytes, y: float, box_h: float, number: int) -> None:
        """One photo scaled into the box at y, with its caption; a note if it cannot be read."""
        image = prepare_photo(data)
        caption, unreadable = self._captions
        label = caption(number)
        if image is None:
            self.set_xy(self.l_margin, y + box_h / 2)
            self.cell(self.epw, LINE, unreadable(number), align="C")
        else:
            self.image(image, x=self.l_margin, y=y, w=self.epw, h=box_h, keep_aspect_ratio=True)
        self.set_xy(self.l_margin, y + box_h)
        self.cell(self.epw, LINE, label, align="C")

    def to_bytes(self) -> bytes:
        """The finished document as PDF bytes."""
        return bytes(self.output(output_producer_class=TextLayerOutput))
