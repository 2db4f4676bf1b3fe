"""Editors: subscribers (erase on request), counts by state and topic, CSV export, the outbox,
and how many addresses are suppressed and why (counts only: the list holds no address)."""
from __future__ import annotations

import csv
import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from drugatlas import clock
from drugatlas.sources.common import STATES

from . import subscriptions, suppression
from .models import TOPICS, Change, FollowedState, OutboxMessage, Subscriber, Suppression

log = logging.getLogger(__name__)

STATE_NAMES = dict(STATES.values())


class FollowedStateInline(admin.TabularInline):
    model = FollowedState
    extra = 0


@admin.action(description="Erase selected subscribers (delete all their personal data)",
              permissions=["delete"])
def erase_subscribers(modeladmin, request, queryset):
    count = 0
    for subscriber in queryset:
        subscriptions.erase(subscriber)
        count += 1
    log.info("updates: user %s erased %d subscriber(s)", request.user.pk, count)
    modeladmin.message_user(request, f"Erased {count} subscriber(s) and everything about them.",
                            messages.SUCCESS)


def _csv_safe(value) -> str:
    # Spreadsheets run cells that start like a formula; a leading quote keeps them text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "language", "followed", "topic_list", "created_at",
                    "confirmed_at", "last_digest_at"]
    list_filter = ["status", "language", "topic_laws", "topic_bills", "topic_data"]
    search_fields = ["email_key"]
    readonly_fields = ["email", "consent_version", "consented_at", "created_at", "confirmed_at",
                       "unsubscribed_at", "following_since", "last_digest_at"]
    fields = ["email", "name", "zip_code", "language", "status", "topic_laws", "topic_bills",
              "topic_data"] + readonly_fields[1:]
    inlines = [FollowedStateInline]
    actions = [erase_subscribers]
    change_list_template = "admin/updates/subscriber/change_list.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "erase" says what deleting means here
        return actions

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("followed_states")

    @admin.display(description="states")
    def followed(self, obj):
        return " ".join(s.abbr for s in obj.followed_states.all())

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(obj.topics)

    def get_urls(self):
        return [
            path("counts/", self.admin_site.admin_view(self.counts_view), name="updates_counts"),
            path("export.csv", self.admin_site.admin_view(self.export_view), name="updates_export"),
        ] + super().get_urls()

    def counts_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        by_status = dict(Subscriber.objects.values_list("status").annotate(n=Count("id")))
        confirmed = Subscriber.objects.confirmed()
        states = {row["abbr"]: row for row in FollowedState.objects.values("abbr").annotate(
            confirmed=Count("id", filter=Q(subscriber__status=Subscriber.CONFIRMED)),
            pending=Count("id", filter=Q(subscriber__status=Subscriber.PENDING)))}
        state_rows = [{"abbr": abbr, "name": name,
                       "confirmed": states.get(abbr, {}).get("confirmed", 0),
                       "pending": states.get(abbr, {}).get("pending", 0)}
                      for abbr, name in sorted(STATE_NAMES.items(), key=lambda kv: kv[1])]
        topic_rows = [{"code": code, "label": label,
                       "confirmed": confirmed.filter(**{f"topic_{code}": True}).count()}
                      for code, label in TOPICS]
        suppressed = suppression.counts()
        language_rows = list(confirmed.values("language").annotate(n=Count("id")).order_by("language"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Subscriber counts",
            "opts": self.model._meta,
            "by_status": by_status,
            "confirmed_total": by_status.get(Subscriber.CONFIRMED, 0),
            "no_state": confirmed.filter(followed_states__isnull=True).count(),
            "state_rows": state_rows,
            "topic_rows": topic_rows,
            "language_rows": language_rows,
            "suppression_rows": [(label, suppressed.get(code, 0))
                                 for code, label in Suppression.REASONS],
            "can_export": request.user.has_perm("updates.export_subscribers"),
        }
        return TemplateResponse(request, "admin/updates/subscriber/counts.html", context)

    def export_view(self, request):
        """Confirmed subscribers only: unconfirmed addresses never leave this database."""
        if not (request.user.is_staff and request.user.has_perm("updates.export_subscribers")):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = clock.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(["email", "name", "zip_code", "language", "states", "topics",
                         "consent_version", "consented_at", "confirmed_at"])
        rows = 0
        for s in Subscriber.objects.confirmed().prefetch_related("followed_states").order_by("pk"):
            writer.writerow([_csv_safe(v) for v in (
                s.email, s.name, s.zip_code, s.language, " ".join(s.state_codes),
                " ".join(s.topics), s.consent_version, s.consented_at.isoformat(),
                s.confirmed_at.isoformat() if s.confirmed_at else "")])
            rows += 1
        log.info("updates: user %s exported %d confirmed subscriber(s)", request.user.pk, rows)
        return response


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "topic", "state", "date", "occurred_at"]
    list_filter = ["kind", "topic", "state"]
    search_fields = ["key", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox: what is waiting, what went out, what failed (bodies are not shown)."""

    list_display = ["__str__", "kind", "subscriber", "created_at", "sent_at", "cancelled",
                    "attempts", "last_error"]
    list_filter = ["kind", "cancelled", ("sent_at", admin.EmptyFieldListFilter)]
    fields = ["subscriber", "kind", "subject", "message_id", "created_at", "sent_at", "cancelled",
              "attempts", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
