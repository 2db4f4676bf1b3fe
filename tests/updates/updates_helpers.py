"""Helpers shared by the updates tests (a module of its own, so test files can import it)."""
from __future__ import annotations

import re

from django.core import mail

from drugatlas.atlas.models import Jurisdiction
from drugatlas.sources.common import STATES

SITE = "https://atlas.example.org"


def make_states():
    for fips, (abbr, name) in STATES.items():
        Jurisdiction.objects.update_or_create(
            fips=fips, defaults={"abbr": abbr, "name": name, "kind": Jurisdiction.STATE})
    Jurisdiction.objects.update_or_create(
        fips="00", defaults={"abbr": "US", "name": "United States", "kind": Jurisdiction.NATION})


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


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
