"""Request log lines without the secrets some URLs carry: link signatures and expiries, tokens, codes.

Werkzeug (`python app.py`) and gunicorn (when its access log is turned on) write each request's
URL; a signed memo or photo link copied from such a line would open the case's documents.
"""
from __future__ import annotations

import logging
import re

SECRET_PARAMETERS = ("sig", "exp", "token", "code", "access_token", "signature", "key")
_SECRET_VALUE = re.compile(r"((?:^|[?&;\s\"'])(?:%s)=)[^&;\s\"']*" % "|".join(SECRET_PARAMETERS), re.IGNORECASE)
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """The text with the values of secret query parameters replaced by [redacted]."""
    return _SECRET_VALUE.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """Rewrites a log record's message when it carries a secret query value."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Redact the request loggers of this process (once, however many apps are created)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
