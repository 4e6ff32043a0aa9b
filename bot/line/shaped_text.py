"""Thai text drawn on Pillow images with its marks in place, with or without Pillow's libraqm.

Pillow's basic layout does not shape: a tone mark after an upper vowel (ที่, เรื่อง) is drawn
on top of the vowel and vanishes. Pillow built with libraqm shapes properly and is used when
present; without it, HarfBuzz (uharfbuzz) shapes the text and each glyph's outline is filled
with Pillow, drawn four times larger and scaled down for smooth edges.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

SUPERSAMPLE = 4
CURVE_STEPS = 8  # straight segments per curve: plenty at menu sizes


@cache
def has_raqm() -> bool:
    """Whether this Pillow can shape text itself (built with libraqm and FriBiDi found)."""
    return features.check("raqm")


@dataclass(frozen=True)
class TextStyle:
    """A font file at a pixel size, and whether to shape with HarfBuzz instead of libraqm."""

    font: Path
    size: int
    use_harfbuzz: bool = False

    @property
    def harfbuzz(self) -> bool:
        return self.use_harfbuzz or not has_raqm()


def text_width(text: str, style: TextStyle) -> float:
    """How wide `text` is drawn, in pixels."""
    if style.harfbuzz:
        return sum(pos.x_advance for _, pos in _shaped(text, style.font)) * _scale(style)
    return _pil_font(style.font, style.size).getlength(text, language="th")


def draw_centred(image: Image.Image, centre_x: float, baseline: float, text: str, style: TextStyle,
                 fill) -> None:
    """Draw one line of `text` centred on `centre_x` with its baseline at `baseline`."""
    left = centre_x - text_width(text, style) / 2
    if not style.harfbuzz:
        ImageDraw.Draw(image).text((left, baseline), text, font=_pil_font(style.font, style.size), fill=fill,
                                   anchor="ls", language="th")
        return
    mask, (x0, y0) = _harfbuzz_mask(text, style)
    image.paste(Image.new(image.mode, mask.size, fill), (round(left + x0), round(baseline + y0)), mask)


@cache
def _pil_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@cache
def _hb_font(path: Path) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))


def _scale(style: TextStyle) -> float:
    return style.size / _hb_font(style.font).face.upem


def _shaped(text: str, path: Path) -> list[tuple[int, hb.GlyphPosition]]:
    """Glyph ids and positions (font units) as HarfBuzz lays `text` out for Thai."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.language = "th"
    hb.shape(_hb_font(path), buffer)
    return [(info.codepoint, pos) for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions)]


def _harfbuzz_mask(text: str, style: TextStyle) -> tuple[Image.Image, tuple[int, int]]:
    """An alpha mask of the shaped text and where its top left sits relative to (left, baseline)."""
    font, scale = _hb_font(style.font), _scale(style) * SUPERSAMPLE
    contours, pen_x = [], 0
    for glyph, pos in _shaped(text, style.font):
        pen = _ContourPen()
        font.draw_glyph_with_pen(glyph, pen)
        dx, dy = pen_x + pos.x_offset, pos.y_offset
        contours += [[((x + dx) * scale, -(y + dy) * scale) for x, y in c] for c in pen.contours]
        pen_x += pos.x_advance
    points = [p for c in contours for p in c] or [(0.0, 0.0)]
    x0, y0 = (_cell(min(x for x, _ in points)) - 1) * SUPERSAMPLE, (_cell(min(y for _, y in points)) - 1) * SUPERSAMPLE
    width = (_cell(max(x for x, _ in points)) + 2) * SUPERSAMPLE - x0
    height = (_cell(max(y for _, y in points)) + 2) * SUPERSAMPLE - y0
    mask = Image.new("1", (width, height), 0)
    for contour in contours:  # even-odd fill: a counter (the hole in อ) is cut out of its outline
        shape = Image.new("1", (width, height), 0)
        ImageDraw.Draw(shape).polygon([(x - x0, y - y0) for x, y in contour], fill=1)
        mask = ImageChops.logical_xor(mask, shape)
    small = mask.convert("L").resize((width // SUPERSAMPLE, height // SUPERSAMPLE), Image.Resampling.BOX)
    return small, (x0 // SUPERSAMPLE, y0 // SUPERSAMPLE)


def _cell(value: float) -> int:
    """The output pixel a supersampled coordinate falls in (so the mask lands on whole pixels)."""
    return math.floor(value / SUPERSAMPLE)


class _ContourPen:
    """Collects a glyph's outline as closed polygons, curves flattened into short lines."""

    def __init__(self):
        self.contours: list[list[tuple[float, float]]] = []

    def moveTo(self, point):  # the pen protocol HarfBuzz calls, in its spelling
        self.contours.append([point])

    def lineTo(self, point):
        self.contours[-1].append(point)

    def qCurveTo(self, control, end):
        start = self.contours[-1][-1]
        self.contours[-1] += [_quadratic(start, control, end, i / CURVE_STEPS) for i in range(1, CURVE_STEPS + 1)]

    def curveTo(self, c1, c2, end):
        start = self.contours[-1][-1]
        self.contours[-1] += [_cubic(start, c1, c2, end, i / CURVE_STEPS) for i in range(1, CURVE_STEPS + 1)]

    def closePath(self):
        pass

    endPath = closePath


def _quadratic(p0, p1, p2, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1])


def _cubic(p0, p1, p2, p3, t):
    u = 1 - t
    return tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d
                 for a, b, c, d in zip(p0, p1, p2, p3))
