"""Photos from principals made safe to keep and to show: bytes in, cleaned bytes out.

A phone photo can carry the GPS position of a child's home, so every photo is decoded and
re-encoded from pixels only: no EXIF, XMP, ICC profile, comment or PNG text chunk survives.
The result fits what LINE accepts for image messages (JPEG or PNG, original <= 10 MB,
preview <= 1 MB). Input is hostile until proven otherwise: size, format and pixel count are
checked before any pixel is decoded.
"""
from __future__ import annotations

import hashlib
import io
import re
import struct
from dataclasses import dataclass, field

from PIL import Image, ImageFile

from bot.core.texts import say

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
# A JPEG may be decoded at 1/2, 1/4 or 1/8 scale (DCT scaling) when that still leaves this many
# pixels on the long side: a 4000x3000 photo then comes out 2000x1500 instead of 2048x1536,
# ~4x faster and with a quarter of the memory. Set to MAX_SIDE for exactly 2048.
DRAFT_MIN_SIDE = 1843
PREVIEW_SIDE = 240
MAX_FULL_BYTES = 10 * 1024 * 1024  # LINE's limit for originalContentUrl
MAX_PREVIEW_BYTES = 1024 * 1024  # LINE's limit for previewImageUrl
JPEG_QUALITY = 85
PREVIEW_QUALITY = 80
# Only these decoders ever see a principal's bytes; MPO (multi-picture JPEG) comes via JPEG.
READABLE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_SHRINK_STEP = 0.8
_ORIENTATION_TAG = 0x0112
_UPRIGHT = {  # EXIF orientation -> the transpose that shows the picture upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_READABLE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_DECODE_ERRORS = (OSError, ValueError, EOFError, SyntaxError, struct.error, IndexError, TypeError)

class PhotoRejected(ValueError):
    """A photo we will not keep; `reason` is a stable code, str() a polite Thai sentence."""

    def __init__(self, reason: str, **details):
        super().__init__(say(f"photo_rejected_{reason}", **details))
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class CleanPhoto:
    """A photo stripped of metadata, sized for LINE, with a small preview."""

    full: bytes = field(repr=False)
    preview: bytes = field(repr=False)
    extension: str  # "jpg" or "png"; the preview has the same format
    content_type: str
    width: int
    height: int
    preview_width: int
    preview_height: int
    sha256: str  # of `full`; changes if Pillow's encoder changes
    source_sha256: str  # of the bytes received; the stable key for spotting duplicates


def clean_photo(data: bytes) -> CleanPhoto:
    """Turn a received photo into metadata-free JPEG/PNG bytes plus a preview, or refuse it."""
    _refuse_oversized(data)
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False: cut photos would pass")
    picture = _upright_pixels(_open(data))  # the full-size decode is freed on return
    transparent = _has_transparency(picture)
    if picture.mode == "RGBA" and not transparent:
        picture = picture.convert("RGB")
    kind = "png" if transparent else "jpg"
    full, picture = _encode_within(picture, kind, JPEG_QUALITY, MAX_FULL_BYTES)
    preview, thumb = _encode_within(_fit(picture, PREVIEW_SIDE), kind, PREVIEW_QUALITY, MAX_PREVIEW_BYTES)
    return CleanPhoto(
        full=full, preview=preview, extension=kind,
        content_type="image/png" if transparent else "image/jpeg",
        width=picture.width, height=picture.height,
        preview_width=thumb.width, preview_height=thumb.height,
        sha256=hashlib.sha256(full).hexdigest(),
        source_sha256=hashlib.sha256(data).hexdigest(),
    )


def _refuse_oversized(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise PhotoRejected("too_large", size_mb=len(data) / 2**20, limit_mb=MAX_BYTES // 2**20)


def _open(data: bytes) -> Image.Image:
    """Read the header only, with our decoders, and refuse bombs before any pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
    except Image.DecompressionBombError as error:  # over 2x Pillow's own limit: refused in open()
        raise _pixel_refusal(_bomb_pixels(error)) from None
    except _DECODE_ERRORS:
        raise _unreadable(data) from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels(image.size)
    return image


def _too_many_pixels(size: tuple[int, int]) -> PhotoRejected:
    width, height = size
    return _pixel_refusal(width * height, width=width, height=height)


def _pixel_refusal(pixels: int, **size) -> PhotoRejected:
    return PhotoRejected("too_many_pixels", pixels=pixels, megapixels=pixels / 1e6,
                         limit_mp=MAX_PIXELS // 1_000_000, **size)


def _bomb_pixels(error: Exception) -> int:
    """The pixel count in Pillow's bomb error (it names no width or height)."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    return int(found.group(1)) if found else 2 * (Image.MAX_IMAGE_PIXELS or MAX_PIXELS) + 1


def _unreadable(data: bytes) -> PhotoRejected:
    """Why the header could not be read: damaged, a format we refuse, or no image at all."""
    if data.startswith(_READABLE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return PhotoRejected("truncated")
    kind = _foreign_image_kind(data)
    if kind:
        return PhotoRejected("unsupported", kind=kind)
    return PhotoRejected("not_image")


def _foreign_image_kind(data: bytes) -> str:
    """The name of an image format we recognise but refuse ("" if none)."""
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return "HEIC" if brand in _HEIF_BRANDS else "AVIF" if brand in _AVIF_BRANDS else ""
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    if data[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n":
        return "JPEG 2000"
    return "PSD" if data[:4] == b"8BPS" else ""


def _upright_pixels(source: ImageFile.ImageFile) -> Image.Image:
    """Decode the first frame, shrink it to MAX_SIDE and turn it upright, without metadata."""
    if source.format in ("JPEG", "MPO") and max(source.size) > MAX_SIDE:
        source.draft(source.mode, _fitted_size(source.size, DRAFT_MIN_SIDE))  # picks the scale
    try:
        source.load()  # raises on a cut-off file while LOAD_TRUNCATED_IMAGES is False
    except _DECODE_ERRORS:
        raise PhotoRejected("truncated") from None
    orientation = _orientation(source)
    picture = _fit(_normalise_mode(source), MAX_SIDE)
    if orientation in _UPRIGHT:
        picture = picture.transpose(_UPRIGHT[orientation])
    picture.info = {}  # encoders copy some keys (comment, ICC, transparency) from here
    return picture


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except _DECODE_ERRORS:  # a broken EXIF block is dropped anyway; show the pixels as stored
        return 1


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGB, RGBA (when the file can be transparent) or L: the modes JPEG and PNG share."""
    if image.mode == "I" or image.mode.startswith("I;16"):  # 16-bit grey PNG: keep the top 8 bits
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if "A" in image.getbands() or "a" in image.getbands() or "transparency" in image.info:
        target = "RGBA"
    elif image.mode in ("1", "L"):
        target = "L"
    else:
        target = "RGB"  # CMYK, YCbCr, LAB, P without transparency, ...
    return image if image.mode == target else image.convert(target)


def _has_transparency(image: Image.Image) -> bool:
    return image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 255


def _fitted_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, side: int) -> Image.Image:
    """The image scaled down (never up) so its long side is at most `side` pixels."""
    size = _fitted_size(image.size, side)
    if size == image.size:
        return image
    # reducing_gap: a cheap box reduction first, then LANCZOS; visually the same, much faster
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode_within(image: Image.Image, kind: str, quality: int, limit: int) -> tuple[bytes, Image.Image]:
    """Encode, shrinking until the bytes fit LINE's limit (only noisy transparent PNGs need it)."""
    while True:
        data = _encode(image, kind, quality)
        if len(data) <= limit or max(image.size) <= PREVIEW_SIDE:
            return data, image
        # Bytes grow with the pixel count: aim just under the limit in one step, not many.
        scale = min(_SHRINK_STEP, 0.95 * (limit / len(data)) ** 0.5)
        image = _fit(image, int(max(image.size) * scale))


def _encode(image: Image.Image, kind: str, quality: int) -> bytes:
    """Pixels only: no exif, xmp, icc_profile, comment or text chunks are passed or kept."""
    buffer = io.BytesIO()
    if kind == "png":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
