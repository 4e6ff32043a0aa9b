"""A PDF text layer that reads back as the Thai that was written (copying, searching, pdftotext, pypdf).

Shaping Thai turns characters into glyphs that do not match one to one: HarfBuzz splits สระอำ
into a nikhahit glyph and a sara aa glyph, and moves marks. fpdf2 gives a cluster's characters
to its first glyph and leaves the other glyphs without an entry in the font's ToUnicode map, so
readers invent a character for them ("อำ\\x06นวย"). Two standard PDF means fix that:
- those glyphs are mapped to nothing (an empty ToUnicode entry), for readers that go glyph by glyph;
- every line is wrapped in a marked-content span carrying its exact text (/ActualText), for
  readers that place characters by position and would otherwise see gaps between moved marks.
"""
from __future__ import annotations

from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer


def actual_text_begin(text: str) -> str:
    """The content-stream operator opening a span whose text is `text` (UTF-16BE with BOM)."""
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


ACTUAL_TEXT_END = "EMC"


def _glyphs_without_text(font: TTFFont) -> list[int]:
    """Codes of the glyphs a shaped cluster drew beyond its first one (they carry no text)."""
    return sorted(code for glyph, code in font.subset.items()
                  if glyph is not None and isinstance(glyph.unicode, tuple) and not glyph.unicode)


def _empty_entries(codes: list[int]) -> bytes:
    """ToUnicode bfchar blocks (at most 100 entries each) mapping each code to the empty string."""
    blocks = []
    for start in range(0, len(codes), 100):
        chunk = codes[start:start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "".join(f"<{c:04X}> <>\n" for c in chunk) + "endbfchar\n")
    return "".join(blocks).encode("ascii")


class TextLayerOutput(OutputProducer):
    """fpdf2's PDF writer, with an entry in each font's ToUnicode map for glyphs that carry no text."""

    def _add_fonts(self, *args, **kwargs):
        font_objects = super()._add_fonts(*args, **kwargs)
        for font in self.fpdf.fonts.values():
            pdf_font = font_objects.get(font.i)
            stream = getattr(pdf_font, "to_unicode", None)
            if not isinstance(font, TTFFont) or stream is None or not hasattr(stream, "_contents"):
                continue
            codes = _glyphs_without_text(font)
            if codes:  # the ToUnicode stream is written uncompressed by fpdf2
                stream._contents = stream._contents.replace(b"endcmap", _empty_entries(codes) + b"endcmap", 1)
                stream.length = len(stream._contents)
        return font_objects
