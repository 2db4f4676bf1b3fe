"""The editors' admin: laws, bills with their events, sources, measures; full history kept.

Every save of a law or bill must carry a citation (LawStatus.clean / Bill.clean), marks the row
origin="editor" so that data loads leave it alone (drugatlas/pipeline/editors.py),
and bumps the data version so cached pages change at once (drugatlas/atlas/signals.py).
"""
from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from drugatlas.atlas.models import (Bill, BillEvent, CostAssumption, DataRelease, Jurisdiction,
                                    LawStatus, Measure, Source, citation_errors)

admin.site.site_header = "Drug Policy Atlas: editors"
admin.site.site_title = "Drug Policy Atlas editors"
admin.site.index_title = "Laws, bills, sources and corrections"

# Web addresses without a scheme are taken as https (Django 6's default, and the safe guess).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
CITATIONS_HELP = ("One web address per line (http:// or https://). At least one is required: "
                  "a statute, a bill page, or a reliable report.")


def law_status_help() -> str:
    """Which statuses each topic takes, from the vocabulary the maps use."""
    from drugatlas import laws_vocabulary

    by_values: dict[tuple[str, ...], list[str]] = {}
    for slug, topic in laws_vocabulary.LAW_TOPICS.items():
        by_values.setdefault(topic.values(), []).append(slug)
    return "; ".join(f"{', '.join(slugs)}: {' / '.join(values)}" for values, slugs in by_values.items())


class EditorRecordForm(forms.ModelForm):
    """A law or bill form with an optional reason that is kept in the history."""

    change_reason = forms.CharField(
        required=False, max_length=100, label="Reason for this change",
        help_text="Optional, up to 100 characters. Kept in the history and shown publicly on "
                  "/changes/, e.g. “Corrected class per 2024 amendment”.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "citations" in self.fields:
            self.fields["citations"].help_text = CITATIONS_HELP
            self.fields["citations"].error_messages["required"] = citation_errors("")[0]
        if self._meta.model is LawStatus and "status" in self.fields:
            self.fields["status"].help_text = law_status_help()


class EditorOwnedAdmin(SimpleHistoryAdmin):
    """Saves from here belong to editors: origin="editor", with the reason in the history."""

    form = EditorRecordForm
    readonly_fields = ["origin", "updated_at"]
    actions = ["hand_back_to_bundle"]
    formfield_overrides = URL_FIELDS

    def save_model(self, request, obj, form, change):
        obj.origin = LawStatus.EDITOR
        reason = form.cleaned_data.get("change_reason", "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    @admin.action(description="Let the next data load replace these (hand back to the research data)",
                  permissions=["change"])
    def hand_back_to_bundle(self, request, queryset):
        # Saved one by one so the hand-back is in each record's history.
        count = 0
        for obj in queryset.filter(origin=LawStatus.EDITOR):
            obj.origin = LawStatus.BUNDLE
            obj._change_reason = "handed back to the research data"
            obj.save()
            count += 1
        self.message_user(request, f"{count} record(s) will be replaced by the next data load.")


@admin.register(LawStatus)
class LawStatusAdmin(EditorOwnedAdmin):
    list_display = ["jurisdiction", "topic", "status", "valid_from", "valid_to", "confidence",
                    "origin", "updated_at"]
    list_filter = ["topic", "status", "confidence", "origin"]
    search_fields = ["jurisdiction__name", "jurisdiction__abbr", "statute", "grade", "note",
                     "citations"]
    autocomplete_fields = ["jurisdiction", "source"]
    list_select_related = ["jurisdiction"]
    fieldsets = [
        (None, {"fields": ["jurisdiction", "topic", "status", "valid_from",
                           "valid_from_precision", "date_basis", "valid_to",
                           "valid_to_precision"]}),
        ("Statute (the primary citation; docs/codebook.md)",
         {"fields": ["statute", "grade", "max_penalty", "statute_url"]}),
        ("Evidence", {"fields": ["citations", "confidence", "note", "research_note", "source"]}),
        ("Change", {"fields": ["change_reason", "origin", "updated_at"]}),
    ]


class BillEventInline(admin.TabularInline):
    model = BillEvent
    extra = 1
    fields = ["date", "precision", "action", "status", "url"]
    formfield_overrides = {
        **URL_FIELDS,
        # A short action box keeps the timeline readable as a table.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})},
    }


@admin.register(Bill)
class BillAdmin(EditorOwnedAdmin):
    list_display = ["number", "jurisdiction", "session", "status", "status_date", "confidence",
                    "origin", "updated_at"]
    list_filter = ["status", "jurisdiction", "confidence", "origin"]
    search_fields = ["key", "number", "title", "summary", "sponsors", "jurisdiction__name"]
    autocomplete_fields = ["jurisdiction", "source"]
    list_select_related = ["jurisdiction"]
    inlines = [BillEventInline]
    fieldsets = [
        (None, {"fields": ["key", "jurisdiction", "number", "session", "title", "bill_type",
                           "sponsors", "summary", "status", "status_date",
                           "status_date_precision"]}),
        ("What it would do (leave blank when not known: it is left off the page)",
         {"fields": ["possession_change", "threshold", "penalty", "diversion", "funding",
                     "other"]}),
        ("Evidence", {"fields": ["official_url", "citations", "confidence", "note",
                                 "research_note", "source", "replaces"]}),
        ("Change", {"fields": ["change_reason", "origin", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The key is the bill's permalink and its identity across data loads.
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["key"] if obj else fields


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["id", "publisher", "title", "retrieved"]
    search_fields = ["id", "publisher", "title", "url"]

    def get_readonly_fields(self, request, obj=None):
        # id, file and checksum identify what was read; only the describing text is editable.
        return ["id", "file", "sha256"] if obj else []


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "label", "unit", "topic"]
    search_fields = ["slug", "label", "description"]
    autocomplete_fields = ["default_source"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "unit"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a measure would delete every observation of it


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only a data load writes: visible to editors, never changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ["fips", "abbr", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["fips", "abbr", "name"]


@admin.register(DataRelease)
class DataReleaseAdmin(ReadOnlyAdmin):
    list_display = ["version", "loaded_at", "summary"]


@admin.register(CostAssumption)
class CostAssumptionAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "value", "unit", "year", "abbr", "confidence"]
    list_filter = ["kind", "confidence"]
    search_fields = ["key", "label", "citation"]
