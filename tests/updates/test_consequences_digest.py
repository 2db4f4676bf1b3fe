"""A later change to a consequence record reaches the subscribers who follow the state, in
their digest, in words (like every legal change)."""
from __future__ import annotations

import datetime as dt

from django.core import mail

from drugatlas.atlas.models import Jurisdiction, LawStatus
from drugatlas.updates import digest


def test_a_new_consequence_record_is_in_the_digest(client, subscriber):
    ohio = Jurisdiction.objects.get(abbr="OH", kind="state")
    LawStatus.objects.create(jurisdiction=ohio, topic="felony_voting",
                             status="restored_after_parole_probation",
                             valid_from=dt.date(2027, 1, 1), confidence="high",
                             citations="https://example.org/ohio-voting")
    result = digest.run()
    assert (result.composed, result.sent) == (1, 1)
    [message] = mail.outbox
    assert ("Voting after a felony conviction: restored after parole and probation from "
            "January 1, 2027") in message.body


def test_the_digest_in_spanish(client, subscriber):
    subscriber.language = "es"
    subscriber.save()
    texas = Jurisdiction.objects.get(abbr="TX", kind="state")
    LawStatus.objects.create(jurisdiction=texas, topic="license_suspension_drug", status="no",
                             valid_from=dt.date(2027, 1, 1), confidence="high",
                             citations="https://example.org/texas-license")
    digest.run()
    [message] = mail.outbox
    assert "Licencia de conducir suspendida por un delito de drogas: sin suspensión obligatoria" \
        in message.body


def test_no_source_found_is_not_news(client, subscriber):
    ohio = Jurisdiction.objects.get(abbr="OH", kind="state")
    LawStatus.objects.create(jurisdiction=ohio, topic="tanf_drug_felony_ban", status="unknown",
                             valid_from=dt.date(2027, 1, 1), confidence="unknown",
                             citations="https://example.org/ohio-tanf")
    assert digest.run().composed == 0
    assert not mail.outbox
