"""Email backends that fail on purpose, to show that a failed or crashed run loses nothing.

They deliver into Django's test outbox like the locmem backend, except where told to fail.
"""
from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class SimulatedCrash(BaseException):
    """Like the process being killed: not an Exception, so nothing on the way catches it."""


class CrashAfterBackend(EmailBackend):
    """Sends `allowed` messages, then the process "dies" before sending the next."""

    allowed = 1
    sent = 0

    def send_messages(self, messages):
        if CrashAfterBackend.sent >= CrashAfterBackend.allowed:
            raise SimulatedCrash()
        CrashAfterBackend.sent += len(messages)
        return super().send_messages(messages)


class RefuseAddressBackend(EmailBackend):
    """The mail server refuses one address (a transient error); others go through."""

    refused = "bob@example.org"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (451, b"try later")})
        return super().send_messages(messages)
