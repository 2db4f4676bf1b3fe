"""`drugatlas updates bounces`: returned mail (Postfix DSNs, an RFC 5965 complaint, an
unsubscribe request to the List-Unsubscribe mailto) from standard input, a maildir or an mbox."""
from __future__ import annotations

import io
import mailbox
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from updates_helpers import add_event, digests, join, make_bill

from drugatlas.updates import digest, emails, suppression, tokens
from drugatlas.updates.models import Subscriber, Suppression

RETURNED = Path(__file__).parent / "returned"


@pytest.fixture
def sent(client, states, settings):
    """Ana got one digest through a relay that returns bounces to bounces+<id>@…"""
    settings.UPDATES_ENVELOPE_SENDER = "bounces+{id}@atlas.example.org"
    settings.UPDATES_UNSUBSCRIBE_MAILTO = "leave@atlas.example.org"
    ana = join(client, "ana@example.org", states=["TX"])
    add_event(make_bill("TX"))
    assert digest.run().sent == 1
    return ana, digests().get()


def returned(name: str, row=None, address="ana@example.org", envelope=None, token="") -> bytes:
    text = (RETURNED / f"{name}.eml").read_text()
    message_id = row.message_id if row else "<0123456789abcdef0123456789abcdef@atlas.example.org>"
    if envelope is None:
        envelope = emails.envelope_sender(message_id) if row else "bounces@atlas.example.org"
    return text.format(address=address, envelope=envelope, message_id=message_id,
                       token=token).replace("\n", "\r\n").encode()


def feed(monkeypatch, capsys, data: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    call_command("updates", "bounces")
    return capsys.readouterr().out


def test_a_postfix_user_unknown_dsn_suppresses(sent, monkeypatch, capsys):
    ana, row = sent
    out = feed(monkeypatch, capsys, returned("postfix_user_unknown", row))
    assert "hard bounce: 1" in out and "example.org" not in out
    ana.refresh_from_db()
    assert ana.status == Subscriber.SUPPRESSED
    assert Suppression.objects.get().reason == Suppression.HARD_BOUNCE
    add_event(make_bill("TX", "tx-hb-2", "HB 2"))
    assert digest.run().composed == 0


def test_the_returned_message_id_is_enough_without_a_per_message_envelope(sent, monkeypatch, capsys):
    ana, row = sent
    data = returned("postfix_user_unknown", row, envelope="bounces@atlas.example.org")
    assert "hard bounce: 1" in feed(monkeypatch, capsys, data)
    assert suppression.is_suppressed(ana.email)


def test_a_forged_bounce_naming_none_of_our_messages_changes_nothing(sent, monkeypatch, capsys):
    ana, _row = sent
    out = feed(monkeypatch, capsys, returned("postfix_user_unknown"))  # unknown Message-ID
    assert "not one of ours: 1" in out
    ana.refresh_from_db()
    assert ana.status == Subscriber.CONFIRMED and not Suppression.objects.exists()


def test_a_delay_warning_waits_and_giving_up_counts_a_soft_bounce(sent, monkeypatch, capsys, settings):
    ana, row = sent
    settings.UPDATES_SOFT_BOUNCE_LIMIT = 2
    assert "delayed: 1" in feed(monkeypatch, capsys, returned("postfix_delayed", row))
    assert not Suppression.objects.exists()
    assert "soft bounce: 1" in feed(monkeypatch, capsys, returned("postfix_gave_up_mailbox_full", row))
    assert not suppression.is_suppressed(ana.email)
    feed(monkeypatch, capsys, returned("postfix_gave_up_mailbox_full", row))
    assert suppression.is_suppressed(ana.email)
    assert Suppression.objects.get().reason == Suppression.SOFT_BOUNCES


def test_a_feedback_loop_complaint_suppresses(sent, monkeypatch, capsys):
    ana, row = sent
    # the report redacts the recipient; our random Message-ID still names the message
    assert "complaint: 1" in feed(monkeypatch, capsys, returned("arf_complaint", row, envelope="x@y.org"))
    assert Suppression.objects.get().reason == Suppression.COMPLAINT


def test_the_list_unsubscribe_mailto_unsubscribes(sent, monkeypatch, capsys):
    ana, _row = sent
    header = digest_headers(ana)
    token = header.split("subject=unsubscribe%20")[1].split(">")[0]
    assert "unsubscribed: 1" in feed(monkeypatch, capsys, returned("unsubscribe_request", token=token))
    ana.refresh_from_db()
    assert ana.status == Subscriber.UNSUBSCRIBED
    bad = returned("unsubscribe_request", token=tokens.make_token(ana, tokens.CONFIRM))
    assert "not understood: 1" in feed(monkeypatch, capsys, bad)


def digest_headers(subscriber) -> str:
    return emails.list_headers(subscriber)["List-Unsubscribe"]


def test_a_maildir_is_read_once(sent, tmp_path, capsys):
    _ana, row = sent
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(returned("postfix_delayed", row))
    box.add(returned("postfix_user_unknown", row))
    call_command("updates", "bounces", "--maildir", str(tmp_path / "bounces"))
    out = capsys.readouterr().out
    assert "messages read: 2" in out and "hard bounce: 1" in out and "delayed: 1" in out
    assert len(list((tmp_path / "bounces" / "cur").iterdir())) == 2
    call_command("updates", "bounces", "--maildir", str(tmp_path / "bounces"))
    assert "messages read: 0" in capsys.readouterr().out


def test_an_mbox_is_emptied_once_read(sent, tmp_path, capsys):
    _ana, row = sent
    path = tmp_path / "bounces.mbox"
    box = mailbox.mbox(path)
    box.add(returned("arf_complaint", row))
    box.flush()
    box.close()
    call_command("updates", "bounces", "--mbox", str(path))
    assert "complaint: 1" in capsys.readouterr().out
    assert len(mailbox.mbox(path)) == 0


def test_bad_sources_are_named(tmp_path, db):
    with pytest.raises(CommandError, match="--maildir .*not a maildir"):
        call_command("updates", "bounces", "--maildir", str(tmp_path))
    with pytest.raises(CommandError, match="--mbox .*no such file"):
        call_command("updates", "bounces", "--mbox", str(tmp_path / "missing.mbox"))
