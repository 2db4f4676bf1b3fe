"""`updates send`: one digest of what changed, to confirmed subscribers only, never twice."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from flaky_backend import CrashAfterBackend, SimulatedCrash
from updates_helpers import add_event, confirm_from, digests, join, make_bill, sent_to, signup_data

from drugatlas.atlas.models import Bill, BillEvent, DataRelease, Jurisdiction, LawStatus
from drugatlas import clock
from drugatlas.updates import digest, outbox
from drugatlas.updates.models import Change, SentAlert, Subscriber


def send() -> digest.RunResult:
    return digest.run()


def test_follow_two_states_confirm_one_digest_for_a_bill_event_and_leave_with_one_click(states):
    client = Client()
    bill = make_bill()
    add_event(bill, "Introduced", day=dt.date(2025, 1, 10))  # old news before she signs up

    client.post("/updates/", signup_data(states=["TX", "OH"]))
    assert len(mail.outbox) == 1 and send().sent == 0  # unconfirmed: nothing else
    confirm_from(client, mail.outbox[0])
    mail.outbox.clear()
    assert send().sent == 0  # nothing new since she started following

    add_event(bill, "Passed the House Committee on Criminal Jurisprudence", status="advanced")
    result = send()
    assert (result.composed, result.sent) == (1, 1)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Texas" in message.subject
    assert "HB 1: Drug possession & treatment act" in message.body  # not HTML-escaped in text
    assert "Passed the House Committee" in message.body and "Introduced" not in message.body
    assert "https://atlas.example.org/legislation/tx-hb-1/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"] == digests().get().message_id

    assert send().sent == 0 and len(mail.outbox) == 1  # running again sends nothing new

    # one click from the mail provider, straight from the header
    header_url = message.extra_headers["List-Unsubscribe"].strip("<>").split(">")[0]
    path = header_url.replace("https://atlas.example.org", "")
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    add_event(bill, "Placed on the calendar", status="advanced", day=dt.date(2025, 3, 1))
    assert send().sent == 0 and len(mail.outbox) == 1


def test_only_followed_states_and_topics(client, states):
    ana = join(client, "ana@example.org", states=["TX"], topics=["bills"])
    ben = join(client, "ben@example.org", states=["CA"], topics=["laws", "bills", "data"])
    cy = join(client, "cy@example.org", states=["TX"], topics=["laws"])
    add_event(make_bill("CA", "ca-ab-1", "AB 1"))
    add_event(make_bill("TX"))
    send()
    assert [m.to for m in mail.outbox if "AB 1" in m.body] == [[ben.email]]
    assert [m.to for m in mail.outbox if "HB 1" in m.body] == [[ana.email]]
    assert not sent_to(cy.email)


def test_national_changes_reach_everyone_following_the_topic(client, states):
    join(client, "ana@example.org", states=["TX"], topics=["data"])
    join(client, "ben@example.org", states=[], topics=["data", "bills"])
    join(client, "cy@example.org", states=["OH"], topics=["laws"])
    DataRelease.objects.create(version="abc123def4567890", summary="Overdose deaths through 2025-02")
    us = Jurisdiction.objects.get(fips="00")
    add_event(Bill.objects.create(key="us-hr-1", jurisdiction=us, number="H.R. 1", title="Federal",
                                  status="introduced", citations="https://example.org"))
    send()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    [ana] = sent_to("ana@example.org")
    assert "abc123def456" in ana.body and "H.R. 1" not in ana.body
    [ben] = sent_to("ben@example.org")
    assert "United States" in ben.body and "H.R. 1" in ben.body and "Overdose deaths" in ben.body


def test_one_digest_gathers_all_changes_of_a_run(client, subscriber):
    add_event(make_bill("TX"))
    add_event(make_bill("OH", "oh-sb-2", "SB 2"))
    LawStatus.objects.create(jurisdiction=Jurisdiction.objects.get(abbr="OH", kind="state"),
                             topic="possession", status="misdemeanor",
                             valid_from=dt.date(2025, 7, 1), citations="https://example.org/law")
    result = send()
    assert (result.composed, result.sent) == (1, 1)
    [message] = mail.outbox
    assert "3 updates" in message.subject
    assert "Drug possession: misdemeanor from July 1, 2025" in message.body
    assert SentAlert.objects.filter(subscriber=subscriber).count() == 3


def test_a_reloaded_or_retouched_law_is_not_news_but_a_new_class_is(client, subscriber):
    texas = Jurisdiction.objects.get(abbr="TX", kind="state")
    law = LawStatus.objects.create(jurisdiction=texas, topic="possession", status="felony",
                                   valid_from=dt.date(2025, 9, 1), citations="https://example.org/a")
    assert send().sent == 1
    law.note = "citation reworded"
    law.citations = "https://example.org/b"
    law.save()
    law.delete()  # a data load that drops and re-creates the same interval
    law = LawStatus.objects.create(jurisdiction=texas, topic="possession", status="felony",
                                   valid_from=dt.date(2025, 9, 1), citations="https://example.org/b")
    assert send().sent == 0
    law.status = "misdemeanor"
    law.save()
    assert send().sent == 1
    assert "misdemeanor" in mail.outbox[-1].body


def test_digest_in_the_subscribers_language(client, states):
    join(client, "ana@example.org", states=["TX"], language="es")
    add_event(make_bill("TX"))
    send()
    [message] = mail.outbox
    assert "actualización" in message.subject and "Texas" in message.subject
    assert "Cancelar la suscripción" in message.body


@pytest.mark.parametrize("language, year_only, month_only, bill_day", [
    ("en", "from 2031 ", "from July 2031 ", "February 3, 2025: Referred to committee"),
    ("es", "desde 2031 ", "desde julio de 2031 ", "3 de febrero de 2025: Referred to committee"),
])
def test_law_dates_are_written_as_precisely_as_they_are_known(client, states, language,
                                                              year_only, month_only, bill_day):
    """A change known only to the year is "2031" in the digest, never "2031-01-01"; to the
    month, "July 2031"; in the subscriber's language, in the text and the HTML part. (Years
    to come, so that no law of the loaded data has the same key.)"""
    join(client, "reader@example.org", states=["RI", "OH", "TX"], language=language,
         topics=["laws", "bills"])
    for abbr, day, precision, statute in (("RI", dt.date(2031, 1, 1), "year", "R.I. 21-28-4.01"),
                                          ("OH", dt.date(2031, 7, 1), "month", "ORC 2925.11")):
        LawStatus.objects.create(jurisdiction=Jurisdiction.objects.get(abbr=abbr, kind="state"),
                                 topic="possession", status="misdemeanor", valid_from=day,
                                 valid_from_precision=precision, statute=statute,
                                 citations="https://example.org/law")
    add_event(make_bill("TX"))
    send()
    [message] = mail.outbox
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert year_only in part and month_only in part and bill_day in part
        assert "2031-01-01" not in part and "2031-07-01" not in part and "2031-07" not in part


def test_a_change_recorded_without_its_precision_takes_the_laws(states):
    """Changes recorded before precisions were kept: the law interval says how precise."""
    from drugatlas.updates import changes

    rhode_island = Jurisdiction.objects.get(abbr="RI", kind="state")
    LawStatus.objects.create(jurisdiction=rhode_island, topic="possession", status="misdemeanor",
                             valid_from=dt.date(2031, 1, 1), valid_from_precision="year",
                             citations="https://example.org/law")
    changes.collect()
    change = Change.objects.get(kind=Change.LAW, state="RI", date=dt.date(2031, 1, 1))
    assert change.data == {"date_precision": "year"}
    change.data = {}
    change.save()
    assert changes.date_text(change, "en") == "2031"
    assert changes.date_text(change, "es") == "2031"


def test_pending_and_unsubscribed_get_no_digest(client, states, subscriber):
    client.post("/updates/", signup_data(email="pending@example.org"))
    Subscriber.objects.filter(email_key="pending@example.org").update(
        following_since=subscriber.following_since)  # even if it somehow had a start date
    mail.outbox.clear()
    add_event(make_bill("TX"))
    send()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_compose_then_crash_before_sending_loses_nothing(client, subscriber):
    add_event(make_bill("TX"))
    call_command("updates", "send", "--no-deliver")
    assert not mail.outbox and digests().filter(sent_at__isnull=True).count() == 1
    call_command("updates", "send")  # the next run finds it in the outbox
    assert len(mail.outbox) == 1
    call_command("updates", "send")
    assert len(mail.outbox) == 1
    digest_row = digests().get()
    assert digest_row.sent_at and digest_row.text_body == ""  # the personal copy is not kept


def test_a_crash_halfway_through_sending_neither_loses_nor_repeats(client, states, settings):
    people = [join(client, f"p{i}@example.org", states=["TX"]) for i in range(4)]
    add_event(make_bill("TX"))
    settings.EMAIL_BACKEND = "flaky_backend.CrashAfterBackend"
    CrashAfterBackend.allowed, CrashAfterBackend.sent = 2, 0
    with pytest.raises(SimulatedCrash):
        send()
    assert len(mail.outbox) == 2
    assert digests().filter(sent_at__isnull=False).count() == 2
    assert digests().filter(sent_at__isnull=True, cancelled=False).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = send()
    # the one never tried goes now; the one the dead sender held waits for its claim to lapse
    assert (result.composed, result.sent) == (0, 1)
    with clock.frozen(clock.now() + dt.timedelta(seconds=outbox.CLAIM_SECONDS + 1)):
        assert send().sent == 1
        assert send().sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_a_refused_message_waits_for_the_next_run(client, states, settings):
    join(client, "ana@example.org", states=["TX"])
    join(client, "bob@example.org", states=["TX"])
    add_event(make_bill("TX"))
    settings.EMAIL_BACKEND = "flaky_backend.RefuseAddressBackend"
    result = send()
    assert (result.sent, result.failed) == (1, 1)
    assert digests().get(subscriber__email_key="bob@example.org").last_error == \
        "SMTPRecipientsRefused 451"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send().sent == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bob@example.org"]


def test_give_up_after_max_attempts(client, states, settings):
    join(client, "bob@example.org", states=["TX"])
    add_event(make_bill("TX"))
    settings.EMAIL_BACKEND = "flaky_backend.RefuseAddressBackend"
    settings.UPDATES_MAX_ATTEMPTS = 2
    assert send().failed == 1 and send().failed == 1
    assert send().cancelled == 1
    assert digests().get().cancelled


def test_changes_are_recorded_once_by_what_they_are(states):
    digest.changes.collect()  # whatever the loaded bundle holds
    bill = make_bill("TX")
    add_event(bill)
    assert digest.changes.collect() == 1
    assert digest.changes.collect() == 0
    BillEvent.objects.all().delete()
    add_event(bill)  # re-created by a data load: the same action
    assert digest.changes.collect() == 0
    assert Change.objects.filter(key__contains="tx-hb-1").count() == 1


def test_command_output(client, subscriber, capsys):
    add_event(make_bill("TX"))
    call_command("updates", "send")
    out = capsys.readouterr().out
    assert "digests composed: 1" in out and "sent: 1" in out


def test_a_state_added_later_brings_news_from_then_on(client, subscriber):
    from drugatlas.updates import tokens

    california = make_bill("CA", "ca-ab-5", "AB 5")
    add_event(california, "Introduced")  # before she follows California
    client.post("/updates/preferences/", {
        "token": tokens.make_token(subscriber, tokens.MANAGE), "action": "save",
        "states": ["TX", "OH", "CA"], "topics": ["bills"], "language": "en"})
    assert send().sent == 0
    add_event(california, "Passed the Assembly", status="advanced", day=dt.date(2025, 5, 1))
    assert send().sent == 1
    assert "Passed the Assembly" in mail.outbox[-1].body and "Introduced" not in mail.outbox[-1].body
