"""Subscribers, what they follow, the changes worth telling them about, and what was sent.

Personal data lives only in `Subscriber` and in rows that cascade from it (followed states,
outbox messages, sent-alert records), so erasing a subscriber is deleting one row. The
`Suppression` list holds no address: a keyed hash of it (see suppression.py), which is why it
can outlive an erasure.
Followed states are stored as USPS codes, not foreign keys, so a data load that rebuilds the
`Jurisdiction` table can never drop what people follow.
"""
from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("en", "English"), ("es", "Español")]
TOPICS = [("laws", _("Laws")), ("bills", _("Bills")), ("data", _("New data"))]
TOPIC_CODES = [code for code, _label in TOPICS]


def new_key() -> str:
    # Random and meaningless: tokens carry this, never the address or the row id.
    return secrets.token_hex(16)


def new_nonce() -> str:
    # Changes with every sign-up: a confirm link only confirms the sign-up that sent it.
    return secrets.token_hex(8)


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.CONFIRMED)


class Subscriber(models.Model):
    PENDING, CONFIRMED, UNSUBSCRIBED = "pending", "confirmed", "unsubscribed"
    SUPPRESSED = "suppressed"
    STATUSES = [(PENDING, _("Waiting for confirmation")), (CONFIRMED, _("Confirmed")),
                (UNSUBSCRIBED, _("Unsubscribed")),
                (SUPPRESSED, _("Stopped: the address bounced or reported our email as spam"))]

    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    email = models.EmailField(max_length=254, help_text="as given, with the domain lower-cased")
    email_key = models.CharField(max_length=254, unique=True, editable=False,
                                 help_text="the whole address lower-cased: one subscriber each")
    name = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField(max_length=5, blank=True)
    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    topic_laws = models.BooleanField(default=True)
    topic_bills = models.BooleanField(default=True)
    topic_data = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING, db_index=True)
    signup_nonce = models.CharField(max_length=16, default=new_nonce, editable=False)
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Changes that happened from this moment on are news to this person.
    following_since = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_subscribers", "Can export confirmed subscribers as CSV")]

    def __str__(self):
        # Never the address: this string ends up in the admin log, which outlives an erasure.
        return f"Subscriber #{self.pk}"

    @property
    def topics(self) -> list[str]:
        return [t for t in TOPIC_CODES if getattr(self, f"topic_{t}")]

    def set_topics(self, topics) -> None:
        for t in TOPIC_CODES:
            setattr(self, f"topic_{t}", t in topics)

    @property
    def state_codes(self) -> list[str]:
        return sorted(s.abbr for s in self.followed_states.all())

    def set_states(self, codes) -> None:
        """Replace the followed states (the subscriber must be saved)."""
        codes = sorted(set(codes))
        self.followed_states.exclude(abbr__in=codes).delete()
        have = set(self.followed_states.values_list("abbr", flat=True))
        FollowedState.objects.bulk_create(
            [FollowedState(subscriber=self, abbr=c) for c in codes if c not in have],
            ignore_conflicts=True)


class FollowedState(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE,
                                   related_name="followed_states")
    abbr = models.CharField(max_length=2, db_index=True, help_text="USPS code")
    # A state added later brings news from then on, not a backlog.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "abbr"],
                                               name="follow_a_state_once")]

    def __str__(self):
        return self.abbr


class Change(models.Model):
    """Something that changed and may be news: a law interval, a bill action, a data release.

    `key` is built from what the change *is* (state, topic, date, status), not from row ids,
    so a data load that deletes and re-creates identical rows finds its keys already here and
    tells nobody anything twice.
    """
    LAW, BILL_EVENT, RELEASE, FIGURES = "law", "bill_event", "release", "figures"
    KINDS = [(LAW, "Law status"), (BILL_EVENT, "Bill action"), (RELEASE, "Data release"),
             (FIGURES, "New figures for a state")]

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=KINDS)
    topic = models.CharField(max_length=5, choices=TOPICS, db_index=True)
    state = models.CharField(max_length=2, blank=True, db_index=True,
                             help_text='USPS code; empty = national, news for every state')
    state_name = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=500, help_text="the law topic, or the bill number and title")
    status = models.CharField(max_length=40, blank=True)
    date = models.DateField(null=True, blank=True, help_text="the date the change takes or took effect")
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="a path on this site")
    # What a release or a state's new figures say, kept as data so that each digest words it
    # in its reader's language (drugatlas/atlas/releases.py).
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True,
                                       help_text="when it first appeared in our data")
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "occurred_at", "id"]

    def __str__(self):
        return self.key


class OutboxMessage(models.Model):
    """The outbox: every email we send waits here until the relay accepts it.

    A digest is rendered when it is composed (with the alerts it records); a confirmation or
    an "already subscribed" note is rendered when it is sent, so its links are fresh. The
    Message-ID is random, made once and reused on every retry. Once sent, the body is cleared:
    we keep the record, not the email.
    """
    DIGEST, CONFIRM, ALREADY = "digest", "confirm", "already"
    KINDS = [(DIGEST, "Digest"), (CONFIRM, "Confirmation"), (ALREADY, "Already subscribed")]

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8, choices=KINDS, default=DIGEST)
    message_id = models.CharField(max_length=200, unique=True,
                                  help_text="random, on the From domain; reused on retries")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=300, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    cancelled = models.BooleanField(default=False,
                                    help_text="not sent: the subscriber left, or the address bounced")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True, help_text="error class and code only")
    # A sender holds a message until then; past it (a crashed sender) another may take it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True,
                                           help_text="the email service's id, for its webhooks")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Suppression(models.Model):
    """An address we must not mail: keyed by an HMAC of the address, never the address.

    Outlives erasure. Lifted only when the owner signs up and confirms afresh. Soft bounces
    are counted here too; the address is suppressed when they reach the limit.
    """
    HARD_BOUNCE, SOFT_BOUNCES, COMPLAINT, REJECTED, ERASED = (
        "hard_bounce", "soft_bounces", "complaint", "rejected", "erased")
    REASONS = [(HARD_BOUNCE, "Hard bounce"), (SOFT_BOUNCES, "Repeated soft bounces"),
               (COMPLAINT, "Spam complaint"), (REJECTED, "Rejected by the email service"),
               (ERASED, "Erased at the person's request")]

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=12, choices=REASONS, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                         help_text="empty while only soft bounces are counted")
    soft_bounces = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Suppression #{self.pk}"


class Lease(models.Model):
    """A named lock in the database (SQLite and PostgreSQL alike) that expires on its own,
    so a killed holder never blocks the next run for longer than the lease."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return self.name


class SentAlert(models.Model):
    """One change told to one subscriber: written in the same transaction as its digest."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="alerts")
    digest = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "change"],
                                               name="tell_each_change_once")]
