"""Photo pipeline: time and memory of bot.photos.images.clean_photo on a 12-megapixel phone photo.

Builds a realistic phone JPEG in memory (4000x3000 by default: gradients, shapes and sensor
noise so it does not compress trivially; quality 92; EXIF with camera, orientation 6 and GPS)
in a child process, so this process's peak RSS is not inflated by building it. Then runs
clean_photo once to warm up and `--runs` times timed, and once more under tracemalloc.

Memory is reported two ways: tracemalloc's peak sees only Python allocations (the bytes in and
out); Pillow's pixel buffers come from C malloc and show in the process's peak RSS, reported as
the growth of ru_maxrss from before the first run.

    .venv/bin/python bench/photo_pipeline.py [--runs 20] [--size 4000x3000] [--exact-2048]

Results and the machine they were measured on: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import PIL
from PIL import Image, ImageDraw

from bot.photos import images
from bot.photos.images import clean_photo


def phone_photo(width: int, height: int) -> bytes:
    """A JPEG like a phone's: smooth light, edges, sensor noise, EXIF with GPS and orientation."""
    light = Image.linear_gradient("L").resize((width, height))
    glow = Image.radial_gradient("L").resize((width, height))
    scene = Image.merge("RGB", (light, glow, light.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(scene)
    for i in range(40):
        x, y = (i * 997) % width, (i * 613) % height
        draw.ellipse((x, y, x + width // 8, y + height // 6), fill=((i * 50) % 256, (i * 90) % 256, 120))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), sigma) for sigma in (30, 24, 36)])
    photo = Image.blend(scene, noise, 0.35)  # ~4 MB at 12 MP, like a phone's JPEG
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=_phone_exif())
    return buffer.getvalue()


def _phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "Phone 12", 6
    exif[0x0132] = "2026:11:22 14:30:00"
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 30.5), 3: "E", 4: (100.0, 31.0, 2.25), 5: 0, 6: 12.5}
    return exif


def build_in_child(width: int, height: int) -> bytes:
    """Build the photo in a fresh process so its big intermediate images never touch our RSS."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(phone_photo, width, height).result()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def current_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    """nproc, memory, CPU model, Python and Pillow versions and the date, in one line."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    return (f"nproc {len(os.sched_getaffinity(0))}, {mem_kib / 2**20:.1f} GiB RAM, {cpu}, "
            f"Python {platform.python_version()}, Pillow {PIL.__version__}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def main() -> None:
    """Print per-photo latency and peak memory of clean_photo."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size", default="4000x3000", help="WIDTHxHEIGHT of the generated photo")
    parser.add_argument("--exact-2048", action="store_true",
                        help="no reduced JPEG decode unless 2048 px survive it (DRAFT_MIN_SIDE = MAX_SIDE)")
    args = parser.parse_args()
    if args.exact_2048:
        images.DRAFT_MIN_SIDE = images.MAX_SIDE
    width, height = (int(n) for n in args.size.lower().split("x"))

    data = build_in_child(width, height)
    print(f"machine: {machine()}")
    print(f"input: {width}x{height} JPEG, {len(data) / 2**20:.2f} MiB, EXIF with GPS, orientation 6")
    rss_before = peak_rss_mib()
    photo = clean_photo(data)  # warm-up: plugin imports, first allocations
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        clean_photo(data)
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    clean_photo(data)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    print(f"output: full {photo.width}x{photo.height} {photo.extension} {len(photo.full) / 1024:.0f} KiB, "
          f"preview {photo.preview_width}x{photo.preview_height} {len(photo.preview) / 1024:.1f} KiB")
    print(f"runs: {args.runs}  ms per photo: p50 {statistics.median(timings):.0f}  "
          f"mean {statistics.fmean(timings):.0f}  max {max(timings):.0f}")
    print(f"tracemalloc peak (Python objects): {traced_peak / 2**20:.1f} MiB")
    print(f"peak RSS growth (ru_maxrss): {peak_rss_mib() - rss_before:.1f} MiB "
          f"(peak {peak_rss_mib():.0f} MiB; RSS now {current_rss_mib():.0f} MiB)")


if __name__ == "__main__":
    main()
