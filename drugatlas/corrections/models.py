"""Public reports of a wrong number, law or bill, and what editors decided about them."""
from __future__ import annotations

from django.db import models
from django.utils import timezone

from drugatlas import clock
from simple_history.models import HistoricalRecords


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Accepted corrections, as the public changelog shows them (newest first)."""
        return self.filter(status=Correction.ACCEPTED).order_by("-resolved_at", "-id")


class Correction(models.Model):
    NEW, ACCEPTED, REJECTED, NEEDS_INFORMATION = "new", "accepted", "rejected", "needs_information"
    STATUSES = [
        (NEW, "New"),
        (ACCEPTED, "Accepted"),
        (REJECTED, "Rejected"),
        (NEEDS_INFORMATION, "Needs information"),
    ]
    # Limits shared by the public form and the database.
    PAGE_MAX, SUBJECT_MAX, TEXT_MAX, URL_MAX = 300, 300, 2000, 500

    page = models.CharField(max_length=PAGE_MAX, blank=True,
                            help_text="the site path the report refers to, e.g. /legislation/or-…/")
    subject = models.CharField(max_length=SUBJECT_MAX, blank=True,
                               help_text="what the report is about, as the page described it")
    problem = models.TextField(max_length=TEXT_MAX, help_text="what is wrong, in the reporter's words")
    suggestion = models.TextField(max_length=TEXT_MAX, blank=True,
                                  help_text="the correction the reporter suggests")
    source_url = models.URLField(max_length=URL_MAX, blank=True,
                                 help_text="a source the reporter cites")
    email = models.EmailField(blank=True, help_text="private: never shown on the site")
    status = models.CharField(max_length=20, choices=STATUSES, default=NEW, db_index=True)
    editor_notes = models.TextField(blank=True, help_text="private notes for editors")
    public_note = models.TextField(blank=True, help_text="shown on /changes/ when accepted: "
                                                         "what was changed")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True,
                                       help_text="when it was last accepted or rejected")
    client_hash = models.CharField(max_length=64, blank=True,
                                   help_text="salted hash of the sender's IP, to spot abuse")
    history = HistoricalRecords(excluded_fields=["client_hash"])

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.subject or self.page or self.problem[:40]}"

    def save(self, *args, **kwargs):
        # The changelog dates an accepted correction by when it was decided, not when it was sent.
        if self.status in (self.ACCEPTED, self.REJECTED):
            previous = (Correction.objects.filter(pk=self.pk).values_list("status", flat=True).first()
                        if self.pk else None)
            if previous != self.status or self.resolved_at is None:
                self.resolved_at = clock.now()
        else:
            self.resolved_at = None
        super().save(*args, **kwargs)
