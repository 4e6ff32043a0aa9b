"""Links to stored photos and documents that only work for a while, for the file they name.

LINE fetches image URLs lazily, maybe days after the message was sent, and anyone holding a
URL can open it; so a URL carries its expiry, whom it was issued to (`to`, see core.access) and
an HMAC over all three. The holder's access is checked again when the link is opened.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"
_MAX_EXPIRES_DIGITS = 12  # far beyond year 9999 in Unix seconds; refuses absurd input cheaply


_HOLDER = re.compile(r"^[a-z0-9]{1,40}$")


def sign(secret: bytes, path: str, expires_at: int, holder: str = "") -> str:
    """The signature that lets `holder` fetch `path` until `expires_at` (Unix seconds)."""
    # The expiry is digits only and a holder has no ":" while a path starts with "/", so the
    # fields split one way only; links without a holder keep their old form.
    message = (f"{int(expires_at)}:{holder}:{path}" if holder else f"{int(expires_at)}:{path}").encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(secret: bytes, path: str, expires: str, signature: str, now: int, holder: str = "") -> bool:
    """Whether a link's `exp`, `sig` (and `to`) query values allow fetching `path` at time `now`."""
    return check(secret, path, expires, signature, now, holder) == "ok"


def check(secret: bytes, path: str, expires: str, signature: str, now: int, holder: str = "") -> str:
    """The state of a link: "ok", "expired" (genuine but too old) or "invalid"; signatures compare in constant time."""
    try:
        if not _is_canonical_expiry(expires) or not _is_ascii_text(signature) or not _is_holder(holder):
            return "invalid"
        expected = sign(secret, path, int(expires), holder)
        if not hmac.compare_digest(expected, signature):
            return "invalid"
        return "ok" if now < int(expires) else "expired"
    except (TypeError, ValueError, UnicodeError):
        return "invalid"


def signed_url(base_url: str, secret: bytes, path: str, now: int, ttl_seconds: int, holder: str = "") -> str:
    """An absolute URL for `path` (starting with "/") that works for `ttl_seconds` from `now`, for `holder`."""
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/': {path!r}")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    if not _is_holder(holder):
        raise ValueError(f"a link's holder is letters and digits: {holder!r}")
    expires_at = int(now) + int(ttl_seconds)
    to = f"to={holder}&" if holder else ""
    return f"{base_url.rstrip('/')}{path}?{to}exp={expires_at}&sig={sign(secret, path, expires_at, holder)}"


def load_or_create_secret(instance_dir: Path, configured: str = "") -> bytes:
    """The signing key: the configured one, else one kept in the instance folder across restarts."""
    if configured:
        return configured.encode("utf-8")
    path = Path(instance_dir) / SECRET_FILE
    if not path.exists():
        _create_secret_file(path)
    return _read_secret_file(path)


def _is_canonical_expiry(expires: object) -> bool:
    # Only the exact digits that were signed: "0123" or "+123" must not pass for "123".
    return (isinstance(expires, str) and 0 < len(expires) <= _MAX_EXPIRES_DIGITS
            and expires.isascii() and expires.isdigit() and str(int(expires)) == expires)


def _is_holder(value: object) -> bool:
    return value == "" or (isinstance(value, str) and bool(_HOLDER.match(value)))


def _is_ascii_text(value: object) -> bool:
    return isinstance(value, str) and value.isascii()


def _create_secret_file(path: Path) -> None:
    """Write a new key privately and publish it atomically; if another worker won, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path)  # fails if the file exists: no worker ever overwrites a key in use
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


def _read_secret_file(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ValueError(f"{path} does not hold a hex signing key; fix or delete it (old links stop working)")
    return key
