"""The Garuda emblem (ครุฑ) at the memo's top left, 1.5 cm high as the regulation sets it.

The project ships no emblem image (the official drawing is not ours to license): the office puts
its own file at MEMO_EMBLEM_PATH. Without one, a plain stand-in is drawn in its place, a simple
outline of spread wings that only holds the emblem's place and size.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

EMBLEM_HEIGHT = 15.0  # mm

# The stand-in, in units of the emblem's height (0..1 across, 0..1 down): wings, body and head.
_WINGS = ((0.50, 0.30), (0.62, 0.22), (0.80, 0.08), (0.98, 0.10), (0.86, 0.30), (0.96, 0.34),
          (0.80, 0.50), (0.62, 0.55), (0.60, 0.78), (0.70, 0.98), (0.50, 0.90), (0.30, 0.98),
          (0.40, 0.78), (0.38, 0.55), (0.20, 0.50), (0.04, 0.34), (0.14, 0.30), (0.02, 0.10),
          (0.20, 0.08), (0.38, 0.22))


def _usable(path: str | None) -> bool:
    """Whether path names an image Pillow can open."""
    if not path or not Path(path).is_file():
        return False
    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def draw_emblem(pdf, x: float, y: float, path: str | None = None) -> None:
    """The office's emblem image 1.5 cm high at (x, y), or the plain stand-in when there is none."""
    if _usable(path):
        pdf.image(path, x=x, y=y, h=EMBLEM_HEIGHT)
        return
    size = EMBLEM_HEIGHT
    with pdf.local_context(fill_color=(0, 0, 0), draw_color=(0, 0, 0), line_width=0.2):
        pdf.polygon([(x + px * size, y + py * size) for px, py in _WINGS], style="F")
        pdf.circle(x + 0.5 * size, y + 0.16 * size, 0.09 * size, style="F")
