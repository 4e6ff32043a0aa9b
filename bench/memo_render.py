"""How long the incident memo with 4 photos takes to render (PDF bytes out), cold and warm.

Usage: .venv/bin/python bench/memo_render.py [--runs 10] [--photos 4]
Cold = the first render in a fresh process (PyThaiNLP's dictionary is loaded, the font parsed);
warm = each render after that, as in a running service. Photos: invented 12 MP JPEGs as a phone sends
them after cleaning (2048 px on the long side).
"""
from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from bench.render_samples import sample_memo  # noqa: E402
from bot.paperwork.documents.memo import render_memo  # noqa: E402


def phone_photo(seed: int) -> bytes:
    """A 2048x1536 JPEG with detail (noise, shapes), like a cleaned phone photo."""
    image = Image.effect_noise((2048, 1536), 40 + seed).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(30):
        draw.ellipse((i * 60, i * 40, i * 60 + 300, i * 40 + 200), outline=(i * 8, 120, 200 - i * 5), width=9)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1)).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--photos", type=int, default=4)
    args = parser.parse_args()
    photos = [phone_photo(i) for i in range(args.photos)]
    data = dataclasses.replace(sample_memo(photos=0), photos=photos, secrecy="ลับ", urgency="ด่วนที่สุด")
    start = time.perf_counter()
    size = len(render_memo(data))
    cold = time.perf_counter() - start
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        render_memo(data)
        times.append(time.perf_counter() - start)
    print(f"memo with {args.photos} photos ({sum(map(len, photos)) / 2**20:.1f} MiB of JPEG): {size / 2**20:.2f} MiB PDF")
    print(f"cold (first render in the process): {cold * 1000:.0f} ms")
    print(f"warm over {args.runs} runs: p50 {statistics.median(times) * 1000:.0f} ms, "
          f"mean {statistics.mean(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
