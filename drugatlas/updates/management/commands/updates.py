"""`drugatlas updates send`, `drugatlas updates bounces` and `drugatlas updates prune`.

send     find new changes, compose one digest per confirmed subscriber, send the outbox
         (confirmations waiting for a relay included). Safe to run at any time (e.g. every
         few minutes from cron): it sends nothing twice, and a run that finds another one
         going stops at once.
bounces  read returned mail (bounces, complaints, unsubscribe requests to the mailto) from
         standard input (one message: an MTA alias `|drugatlas updates bounces`), a maildir
         (`--maildir DIR`: messages in new/ are moved to cur/ once read) or an mbox
         (`--mbox FILE`: emptied once read, unless --keep).
prune    delete sign-ups never confirmed after --days days (their addresses are not kept).
"""
import mailbox
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drugatlas import clock
from drugatlas.updates import bounces, digest, leases, mailfiles
from drugatlas.updates.models import Subscriber


class Command(BaseCommand):
    help = ("Subscriber alerts: `send` digests and waiting emails; `bounces` reads returned mail; "
            "`prune` stale unconfirmed sign-ups.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="collect changes, compose digests, send the outbox")
        send.add_argument("--no-deliver", action="store_true",
                          help="compose into the outbox but send nothing yet")
        returned = sub.add_parser("bounces", help="read bounces, complaints and unsubscribe "
                                                  "requests (standard input, --maildir or --mbox)")
        source = returned.add_mutually_exclusive_group()
        source.add_argument("--maildir", type=Path, help="a maildir; new/ messages are moved to cur/")
        source.add_argument("--mbox", type=Path, help="an mbox file; emptied once read")
        returned.add_argument("--keep", action="store_true", help="leave the mbox as it is")
        prune = sub.add_parser("prune", help="delete unconfirmed sign-ups older than --days")
        prune.add_argument("--days", type=int, default=30)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _send(self, no_deliver=False, **options):
        try:
            result = digest.run(deliver_now=not no_deliver)
        except leases.Held as held:
            self.stdout.write(f"another `updates send` is running ({held}); this run did nothing")
            return
        self.stdout.write(
            f"changes found: {result.collected}; digests composed: {result.composed}; "
            f"sent: {result.sent}; failed (kept for the next run): {result.failed}; "
            f"bounced (address suppressed): {result.bounced}; cancelled: {result.cancelled}; "
            f"not tried: {result.waiting}")
        if result.relay_error:
            self.stderr.write(self.style.WARNING(
                f"the relay could not be used ({result.relay_error}); "
                f"{result.waiting + 1} message(s) wait for the next run."))
        elif result.failed:
            self.stderr.write(self.style.WARNING(
                f"{result.failed} message(s) could not be sent; run again to retry."))

    def _bounces(self, maildir=None, mbox=None, keep=False, **options):
        outcomes = Counter()
        if maildir:
            if not (maildir / "new").is_dir():
                raise CommandError(f"--maildir {maildir}: not a maildir (no new/ folder)")
            box = mailbox.Maildir(maildir, factory=None, create=False)
            for key in list(box.iterkeys()):
                message = box[key]
                if message.get_subdir() != "new":
                    continue
                outcomes[bounces.process(message)] += 1
                message.set_subdir("cur")
                message.add_flag("S")
                box[key] = message
        elif mbox:
            if not mbox.is_file():
                raise CommandError(f"--mbox {mbox}: no such file")
            box = mailbox.mbox(mbox, create=False)
            box.lock()
            try:
                for key in list(box.iterkeys()):
                    outcomes[bounces.process(box[key])] += 1
                    if not keep:
                        box.remove(key)
                box.flush()
            finally:
                box.unlock()
                box.close()
        else:
            data = sys.stdin.buffer.read()
            if not data.strip():
                raise CommandError("no message on standard input (or give --maildir or --mbox)")
            outcomes[bounces.process(bounces.parse(data))] += 1
        summary = "; ".join(f"{name}: {outcomes[name]}" for name in bounces.OUTCOMES if outcomes[name])
        self.stdout.write(f"messages read: {sum(outcomes.values())}" + (f"; {summary}" if summary else ""))

    def _prune(self, days=30, **options):
        cutoff = clock.now() - timedelta(days=days)
        stale = Subscriber.objects.filter(status=Subscriber.PENDING, created_at__lt=cutoff)
        addresses = list(stale.values_list("email", flat=True))
        deleted, _ = stale.delete()
        for address in addresses:  # the confirmations the file backend kept (development)
            mailfiles.scrub(address)
        self.stdout.write(f"deleted unconfirmed sign-ups older than {days} days "
                          f"(rows incl. related: {deleted})")
