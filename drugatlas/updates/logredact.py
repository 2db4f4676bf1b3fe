"""Keep the updates' signed tokens out of logs.

An email's links carry a token in their path, and RFC 8058's one-click POST must go to that
URL, so those requests name a token however the pages are built. This filter replaces any
token in a log line with "[token]": in the access log of gunicorn ("gunicorn.access", whose
lines also carry the Referer), in Django's "django.request" warnings (400/404/410 on a token
page) and in the development server's log. apps.py attaches it when the app loads.
nginx's access log needs the same (docs/operations.md, "Mail").
"""
from __future__ import annotations

import logging
import re

# django.core.signing of a JSON object: base64url('{"...') always starts "eyJ", then the
# timestamp and the signature, ":"-separated (or %3A-escaped).
TOKEN = re.compile(r"eyJ[A-Za-z0-9_\-]{8,}(?::|%3A)[A-Za-z0-9]+(?::|%3A)[A-Za-z0-9_\-]+", re.IGNORECASE)
LOGGERS = ("gunicorn.access", "gunicorn.error", "django.request", "django.server")


def redact(text: str) -> str:
    return TOKEN.sub("[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logged as it is
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
