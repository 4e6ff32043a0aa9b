"""A media link opens only its own file, only until it expires, and survives restarts."""
from __future__ import annotations

import stat
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.core.signed_urls import load_or_create_secret, sign, signed_url, verify

SECRET = b"k" * 32
PATH = "/media/photos/0001-2569/1.jpg"
NOW = 1_795_000_000


def link_parts(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return parts.path, query["exp"][0], query["sig"][0]


def test_fresh_link_verifies_until_it_expires():
    url = signed_url("https://bot.example.org", SECRET, PATH, now=NOW, ttl_seconds=3600)
    assert url.startswith(f"https://bot.example.org{PATH}?exp={NOW + 3600}&sig=")
    path, exp, sig = link_parts(url)
    assert "=" not in sig and "+" not in sig and "/" not in sig  # urlsafe, unpadded
    assert verify(SECRET, path, exp, sig, now=NOW)
    assert verify(SECRET, path, exp, sig, now=NOW + 3599)
    assert not verify(SECRET, path, exp, sig, now=NOW + 3600)
    assert not verify(SECRET, path, exp, sig, now=NOW + 86_400)


def test_trailing_slash_on_base_url_is_not_doubled():
    assert signed_url("https://bot.example.org/", SECRET, PATH, NOW, 60).startswith("https://bot.example.org/media/")


def test_tampered_signature_fails():
    _, exp, sig = link_parts(signed_url("https://x", SECRET, PATH, NOW, 60))
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert not verify(SECRET, PATH, exp, flipped, NOW)
    assert not verify(SECRET, PATH, exp, sig[:-1], NOW)
    assert not verify(SECRET, PATH, exp, sig + "A", NOW)


def test_tampered_expiry_fails():
    _, exp, sig = link_parts(signed_url("https://x", SECRET, PATH, NOW, 60))
    later = str(int(exp) + 86_400)
    assert not verify(SECRET, PATH, later, sig, NOW)
    assert not verify(SECRET, PATH, "0" + exp, sig, NOW)  # same number, different text
    assert not verify(SECRET, PATH, "+" + exp, sig, NOW)


def test_signature_for_one_path_never_opens_another():
    _, exp, sig = link_parts(signed_url("https://x", SECRET, PATH, NOW, 60))
    assert not verify(SECRET, "/media/photos/0001-2569/2.jpg", exp, sig, NOW)
    assert not verify(SECRET, PATH + "?", exp, sig, NOW)
    assert not verify(b"another secret", PATH, exp, sig, NOW)


@pytest.mark.parametrize("exp, sig", [
    ("", ""), ("abc", "xyz"), ("-5", "A"), ("1e9", "A"), ("٣٣٣٣", "A"), ("9" * 40, "A"),
    (None, None), ("1795000060", "ลายเซ็น"), ("1795000060", "%%%"), (b"1795000060", b"AAAA"),
])
def test_garbage_is_refused_without_raising(exp, sig):
    assert verify(SECRET, PATH, exp, sig, NOW) is False


def test_signatures_are_deterministic_and_depend_on_every_input():
    assert sign(SECRET, PATH, NOW) == sign(SECRET, PATH, NOW)
    assert len({sign(SECRET, PATH, NOW), sign(SECRET, PATH, NOW + 1), sign(SECRET, "/a", NOW),
                sign(b"other", PATH, NOW)}) == 4


def test_relative_path_or_non_positive_ttl_is_a_programming_error():
    with pytest.raises(ValueError):
        signed_url("https://x", SECRET, "media/1.jpg", NOW, 60)
    with pytest.raises(ValueError):
        signed_url("https://x", SECRET, PATH, NOW, 0)


def test_secret_file_is_created_private_and_reused(tmp_path):
    instance = tmp_path / "instance"
    first = load_or_create_secret(instance)
    key_file = instance / "secret_key"
    assert len(first) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first.hex()
    assert load_or_create_secret(instance) == first  # a restart keeps old links working
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]  # no draft left behind


def test_configured_secret_wins_and_writes_nothing(tmp_path):
    assert load_or_create_secret(tmp_path, configured="from-settings") == b"from-settings"
    assert not (tmp_path / "secret_key").exists()


def test_damaged_secret_file_is_reported_not_replaced(tmp_path):
    (tmp_path / "secret_key").write_text("not hex")
    with pytest.raises(ValueError, match="secret_key"):
        load_or_create_secret(tmp_path)
    assert (tmp_path / "secret_key").read_text() == "not hex"
