"""Helpers shared by the updates tests (a module of its own, so test files can import it)."""
from __future__ import annotations

import datetime as dt
import re

from django.core import mail

import sample_places

from drugatlas.atlas.models import Bill, BillEvent, Jurisdiction

SITE = "https://atlas.example.org"


def make_states():
    sample_places.real_states()


def signup_data(**overrides) -> dict:
    data = {"email": "ana@example.org", "name": "Ana", "zip_code": "78701",
            "states": ["TX", "OH"], "topics": ["laws", "bills", "data"], "language": "en",
            "consent": "on", "website": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def link_in(message, kind: str) -> str:
    """The site path of the first /updates/<kind>/<token>/ link in an email's text."""
    match = re.search(re.escape(SITE) + rf"(/updates/{kind}/[^/\s]+/)", message.body)
    assert match, f"no {kind} link in the email"
    return match.group(1)


def token_of(path: str) -> str:
    """The token in a /updates/<kind>/<token>/ path."""
    return path.rstrip("/").rsplit("/", 1)[1]


def press(client, kind: str, token: str, **fields):
    """Press a token page's button: POST the token in the body to /updates/<kind>/."""
    return client.post(f"/updates/{kind}/", {"token": token, **fields})


def confirm_from(client, message):
    """Open the confirm link of an email and press its button, as a person does."""
    return press(client, "confirm", token_of(link_in(message, "confirm")))


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def make_bill(abbr="TX", key="tx-hb-1", number="HB 1"):
    return Bill.objects.create(
        key=key, jurisdiction=Jurisdiction.objects.get(abbr=abbr, kind="state"), number=number,
        title="Drug possession & treatment act", status="introduced",
        citations="https://example.org/bill")


def add_event(bill, action="Referred to committee", status="introduced", day=dt.date(2025, 2, 3)):
    return BillEvent.objects.create(bill=bill, date=day, action=action, status=status)


def digests():
    from drugatlas.updates.models import OutboxMessage

    return OutboxMessage.objects.filter(kind=OutboxMessage.DIGEST)


def join(client, email, **choices):
    """Sign up and confirm through the site, as a person would; the outbox emptied."""
    from drugatlas.updates.models import Subscriber

    client.post("/updates/", signup_data(email=email, **choices))
    confirm_from(client, sent_to(email)[-1])
    mail.outbox.clear()
    return Subscriber.objects.get(email_key=email)
