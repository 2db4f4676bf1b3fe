"""Editors triage public reports: read what was sent, set a status, keep notes."""
from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from drugatlas.corrections.models import Correction


@admin.register(Correction)
class CorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["id", "created_at", "status", "subject", "page", "resolved_at"]
    list_display_links = ["id", "subject"]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "page", "problem", "suggestion", "editor_notes"]
    date_hierarchy = "created_at"
    # What the reader sent is evidence: editors decide on it but do not rewrite it.
    readonly_fields = ["page_link", "subject", "problem", "suggestion", "source_link", "email",
                       "created_at", "resolved_at"]
    fieldsets = [
        ("Report (as sent)", {"fields": ["page_link", "subject", "problem", "suggestion",
                                         "source_link", "email", "created_at"]}),
        ("Decision", {"fields": ["status", "public_note", "editor_notes", "resolved_at"],
                      "description": "Accepted corrections appear on /changes/ with their date, "
                                     "the reported problem, the source and the public note. "
                                     "The email and the editor notes are never published."}),
    ]
    actions = ["mark_accepted", "mark_rejected", "mark_needs_information"]

    def has_add_permission(self, request):
        return False  # reports come from the public form only

    @admin.display(description="page")
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page, obj.page) if obj.page else "—"

    @admin.display(description="source")
    def source_link(self, obj):
        if not obj.source_url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.source_url,
                           obj.source_url)

    def _set_status(self, request, queryset, status):
        # Saved one by one so each decision is dated and kept in the history.
        for correction in queryset:
            correction.status = status
            correction.save()
        self.message_user(request, f"{queryset.count()} report(s) marked "
                                   f"{dict(Correction.STATUSES)[status].lower()}.")

    @admin.action(description="Mark accepted (publish on /changes/)", permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._set_status(request, queryset, Correction.ACCEPTED)

    @admin.action(description="Mark rejected", permissions=["change"])
    def mark_rejected(self, request, queryset):
        self._set_status(request, queryset, Correction.REJECTED)

    @admin.action(description="Mark as needing information", permissions=["change"])
    def mark_needs_information(self, request, queryset):
        self._set_status(request, queryset, Correction.NEEDS_INFORMATION)
