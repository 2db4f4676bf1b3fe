"""A real SMTP relay for the tests (aiosmtpd), on a port of its own, in three moods:

- `accept()`: takes every message and keeps it (`relay.messages`: envelope sender,
  recipients, the raw bytes as they arrived), except the addresses in `refuse` (answered
  `550 5.1.1 User unknown` at RCPT) and `defer` (`451 4.2.1 ...`);
- `hang()`: accepts the TCP connection and never says a word (no greeting), like a relay
  whose process is stuck;
- `stop()`: nothing listens (connection refused).
"""
from __future__ import annotations

import email
import socket
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    data: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.data)


class _Handler:
    def __init__(self, relay):
        self.relay = relay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.relay.refuse:
            return "550 5.1.1 User unknown"
        if address.lower() in self.relay.defer:
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.relay.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                            envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class Relay:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.messages: list[Received] = []
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        self._controller = None
        self._silent = None

    def accept(self) -> "Relay":
        self.stop()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=10)
        self._controller.start()
        return self

    def hang(self) -> "Relay":
        self.stop()
        self._silent = socket.socket()
        self._silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._silent.bind(("127.0.0.1", self.port))
        self._silent.listen(50)  # the kernel completes connections; nobody ever answers
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._silent is not None:
            self._silent.close()
            self._silent = None

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]
