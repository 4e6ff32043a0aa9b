"""Photos are stored upright, small enough for LINE and without anything that locates a child."""
from __future__ import annotations

import io
import random
import re
import struct
import zlib

import pytest
from PIL import Image, ImageFile, ImageOps
from PIL.PngImagePlugin import PngInfo

from bot.photos import images
from bot.photos.images import MAX_BYTES, CleanPhoto, PhotoRejected, clean_photo

RED, BLUE, GREEN, YELLOW = (230, 20, 20), (20, 20, 230), (20, 200, 20), (240, 230, 20)
THAI = re.compile(r"[\u0E00-\u0E7F]")


def quadrants(width: int = 400, height: int = 200) -> Image.Image:
    """An upright picture whose four corners tell every rotation and mirror apart."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height // 2))
    image.paste(GREEN, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    return image


def corner_colours(image: Image.Image) -> list[tuple[int, ...]]:
    rgb = image.convert("RGB")
    w, h = rgb.size
    return [rgb.getpixel((x, y)) for x, y in ((w // 4, h // 4), (3 * w // 4, h // 4),
                                              (w // 4, 3 * h // 4), (3 * w // 4, 3 * h // 4))]


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def phone_exif(orientation: int) -> Image.Exif:
    """EXIF as a phone writes it: camera, orientation and the GPS position of the scene."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 30.5), 3: "E", 4: (100.0, 31.0, 2.25)}
    return exif


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(data)
    return caught.value


def test_phone_photo_comes_out_upright_and_without_any_metadata():
    stored = quadrants().transpose(Image.Transpose.ROTATE_90)  # the sensor's view, 200x400
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = encode(stored, "JPEG", exif=phone_exif(6), xmp=xmp, comment=b"school yard",
                  icc_profile=b"\0" * 128)
    original = reopen(data)
    assert original.getexif().get_ifd(0x8825)[1] == "N" and "xmp" in original.info  # fixture sanity

    photo = clean_photo(data)

    assert (photo.width, photo.height, photo.extension, photo.content_type) == (400, 200, "jpg", "image/jpeg")
    full = reopen(photo.full)
    assert full.format == "JPEG" and full.size == (400, 200)
    assert all(close(got, want) for got, want in zip(corner_colours(full), [RED, BLUE, GREEN, YELLOW]))
    for key in ("exif", "xmp", "comment", "icc_profile"):
        assert key not in full.info
    assert len(full.getexif()) == 0
    for marker in (b"Exif\0\0", b"adobe:ns:meta", b"school yard", b"PhoneMaker"):
        assert marker not in photo.full and marker not in photo.preview
    assert len(reopen(photo.preview).getexif()) == 0


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillows_own_transpose(orientation):
    data = encode(quadrants(), "JPEG", exif=phone_exif(orientation))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))

    full = reopen(clean_photo(data).full)

    assert full.size == expected.size
    assert all(close(a, b) for a, b in zip(corner_colours(full), corner_colours(expected)))


def test_transparent_png_stays_png_with_its_alpha_and_loses_its_text_chunks():
    image = Image.new("RGBA", (300, 200), (*RED, 255))
    image.paste((0, 0, 0, 0), (150, 0, 300, 200))
    info = PngInfo()
    info.add_text("Comment", "taken at the pupil's home")
    data = encode(image, "PNG", pnginfo=info, exif=phone_exif(1))

    photo = clean_photo(data)

    assert (photo.extension, photo.content_type) == ("png", "image/png")
    full = reopen(photo.full)
    assert full.format == "PNG" and full.mode == "RGBA"
    assert full.getpixel((50, 100))[3] == 255 and full.getpixel((250, 100))[3] == 0
    assert "Comment" not in full.info and "exif" not in full.info and len(full.getexif()) == 0
    assert b"pupil" not in photo.full
    preview = reopen(photo.preview)
    assert preview.format == "PNG" and preview.mode == "RGBA"


def test_palette_transparency_counts_as_transparency():
    image = Image.new("P", (64, 64), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (32, 0, 64, 64))
    photo = clean_photo(encode(image, "PNG", transparency=1))
    full = reopen(photo.full)
    assert photo.extension == "png" and full.mode == "RGBA" and full.getpixel((48, 10))[3] == 0


def test_opaque_png_becomes_jpeg():
    photo = clean_photo(encode(Image.new("RGBA", (120, 80), (*GREEN, 255)), "PNG"))
    assert photo.extension == "jpg" and reopen(photo.full).format == "JPEG"


def test_big_photo_is_downscaled_with_a_small_preview():
    image = Image.new("RGB", (5000, 4000), BLUE)
    image.paste(RED, (0, 0, 2500, 4000))
    photo = clean_photo(encode(image, "JPEG", quality=90))

    assert (photo.width, photo.height) == (2048, 1638)
    assert reopen(photo.full).size == (2048, 1638)
    assert max(photo.preview_width, photo.preview_height) == 240
    assert reopen(photo.preview).size == (photo.preview_width, photo.preview_height) == (240, 192)
    assert len(photo.preview) <= 1024 * 1024 and len(photo.full) <= 10 * 1024 * 1024
    assert close(reopen(photo.full).getpixel((500, 800)), RED)


def test_12_megapixel_jpeg_is_decoded_at_half_scale_unless_exact_2048_is_asked(monkeypatch):
    data = encode(quadrants(4000, 3000), "JPEG")
    photo = clean_photo(data)
    assert (photo.width, photo.height) == (2000, 1500)  # DCT-scaled decode, no resampling
    assert all(close(a, b) for a, b in zip(corner_colours(reopen(photo.full)), [RED, BLUE, GREEN, YELLOW]))
    monkeypatch.setattr(images, "DRAFT_MIN_SIDE", images.MAX_SIDE)
    assert (clean_photo(data).width, clean_photo(data).height) == (2048, 1536)


def test_noisy_transparent_png_is_shrunk_until_line_accepts_it():
    side = 2048
    noise = Image.frombytes("RGBA", (side, side), random.Random(7).randbytes(side * side * 4))
    data = encode(noise, "PNG", compress_level=1)
    assert 10 * 1024 * 1024 < len(data) <= MAX_BYTES  # incompressible: over LINE's 10 MB at full size

    photo = clean_photo(data)

    assert photo.extension == "png" and len(photo.full) <= 10 * 1024 * 1024
    assert max(photo.width, photo.height) < side and reopen(photo.full).size == (photo.width, photo.height)


def test_small_photo_is_not_enlarged():
    photo = clean_photo(encode(quadrants(120, 90), "JPEG"))
    assert (photo.width, photo.height, photo.preview_width, photo.preview_height) == (120, 90, 120, 90)


def test_cmyk_jpeg_becomes_rgb():
    photo = clean_photo(encode(Image.new("CMYK", (200, 100), (0, 255, 255, 0)), "JPEG"))
    full = reopen(photo.full)
    assert full.mode == "RGB" and close(full.getpixel((100, 50)), (255, 0, 0), 50)


def test_animated_gif_keeps_its_first_frame():
    frames = [Image.new("RGB", (90, 60), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    photo = clean_photo(data)
    full = reopen(photo.full)
    assert photo.extension == "jpg" and full.size == (90, 60) and close(full.getpixel((45, 30)), RED)


def test_webp_and_greyscale_including_16_bit_are_accepted():
    assert clean_photo(encode(quadrants(), "WEBP")).extension == "jpg"
    grey = clean_photo(encode(Image.new("L", (50, 50), 128), "PNG"))
    assert reopen(grey.full).mode == "L"
    deep_grey = reopen(clean_photo(encode(Image.new("I;16", (50, 50), 40_000), "PNG")).full)
    assert deep_grey.mode == "L" and abs(deep_grey.getpixel((25, 25)) - 40_000 // 256) <= 2


def test_same_photo_gives_same_keys():
    data = encode(quadrants(), "JPEG", exif=phone_exif(6))
    first, second = clean_photo(data), clean_photo(data)
    assert first.source_sha256 == second.source_sha256 and len(first.source_sha256) == 64
    assert first.sha256 == second.sha256 != first.source_sha256
    assert first.source_sha256 != clean_photo(encode(quadrants(), "JPEG")).source_sha256


def test_photo_bytes_stay_out_of_repr():
    photo = clean_photo(encode(quadrants(), "JPEG"))
    assert isinstance(photo, CleanPhoto) and "full=" not in repr(photo) and len(repr(photo)) < 600


def test_oversized_upload_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("decoded an oversized upload"))
    error = refusal(b"\xff\xd8\xff" + bytes(int(25.3 * 2**20)))
    assert error.reason == "too_large" and "25.3 MB" in str(error) and "20 MB" in str(error)
    assert refusal(bytes(MAX_BYTES + 1)).reason == "too_large"


def single_colour_png(width: int, height: int) -> bytes:
    return encode(Image.new("1", (width, height), 0), "PNG")


def test_decompression_bomb_is_refused_without_decoding_its_pixels(monkeypatch):
    data = single_colour_png(9000, 9000)  # 81 megapixels in a few kilobytes
    assert len(data) < 100_000
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded a bomb"))
    error = refusal(data)
    assert error.reason == "too_many_pixels" and "81.0" in str(error) and "40" in str(error)


def with_declared_size(png: bytes, width: int, height: int) -> bytes:
    """The same PNG claiming another size in its header (a valid CRC, so only the size is wrong)."""
    header = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


def test_bomb_beyond_pillows_own_limit_is_refused_the_same_way():
    error = refusal(with_declared_size(single_colour_png(10, 10), 20_000, 20_000))
    assert error.reason == "too_many_pixels" and "400.0" in str(error)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_cut_off_photo_is_refused_as_truncated(fmt):
    data = encode(Image.effect_noise((600, 400), 60).convert("RGB"), fmt)
    assert refusal(data[: len(data) // 2]).reason == "truncated"
    assert refusal(data[:40]).reason == "truncated"


def test_truncated_images_are_not_padded_even_if_someone_allows_it(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError):
        clean_photo(encode(quadrants(), "JPEG"))


def test_text_posing_as_a_photo_is_refused():
    assert refusal("สวัสดีครับ this is not a photo\n".encode() * 50).reason == "not_image"
    assert refusal(b"").reason == "not_image"


def fake_heic() -> bytes:
    return struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0" + b"mif1heic" + bytes(64)


@pytest.mark.parametrize("make, kind", [
    (fake_heic, "HEIC"),
    (lambda: encode(quadrants(), "TIFF"), "TIFF"),
    (lambda: encode(quadrants(), "BMP"), "BMP"),
    (lambda: encode(quadrants(), "AVIF"), "AVIF"),
])
def test_other_image_formats_are_refused_with_a_request_for_jpeg(make, kind):
    error = refusal(make())
    assert error.reason == "unsupported" and kind in str(error) and "JPEG" in str(error)


@pytest.mark.parametrize("data, reason", [
    (bytes(MAX_BYTES + 1), "too_large"),
    (b"plain text", "not_image"),
    (b"\x89PNG\r\n\x1a\n" + bytes(10), "truncated"),
    (fake_heic(), "unsupported"),
])
def test_every_refusal_explains_itself_in_thai(data, reason):
    error = refusal(data)
    assert isinstance(error, ValueError) and error.reason == reason
    assert str(error).strip() and THAI.search(str(error)) and "{" not in str(error)
