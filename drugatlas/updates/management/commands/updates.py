"""`drugatlas updates send` and `drugatlas updates prune`.

send   find new changes, compose one digest per confirmed subscriber, send the outbox.
       Safe to run again at any time (e.g. hourly from cron): it sends nothing twice.
prune  delete sign-ups never confirmed after --days days (their addresses are not kept).
"""
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from drugatlas.updates import digest
from drugatlas.updates.models import Subscriber


class Command(BaseCommand):
    help = "Subscriber alerts: `send` digests of what changed; `prune` stale unconfirmed sign-ups."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="collect changes, compose digests, send the outbox")
        send.add_argument("--no-deliver", action="store_true",
                          help="compose into the outbox but send nothing yet")
        prune = sub.add_parser("prune", help="delete unconfirmed sign-ups older than --days")
        prune.add_argument("--days", type=int, default=30)

    def handle(self, *args, action, **options):
        if action == "send":
            result = digest.run(deliver_now=not options["no_deliver"])
            self.stdout.write(
                f"changes found: {result.collected}; digests composed: {result.composed}; "
                f"sent: {result.sent}; failed (kept for the next run): {result.failed}; "
                f"cancelled: {result.cancelled}")
            if result.failed:
                self.stderr.write(self.style.WARNING(
                    f"{result.failed} digest(s) could not be sent; run again to retry."))
        elif action == "prune":
            cutoff = timezone.now() - timedelta(days=options["days"])
            deleted, _ = Subscriber.objects.filter(status=Subscriber.PENDING,
                                                   created_at__lt=cutoff).delete()
            self.stdout.write(f"deleted unconfirmed sign-ups older than {options['days']} days "
                              f"(rows incl. related: {deleted})")
