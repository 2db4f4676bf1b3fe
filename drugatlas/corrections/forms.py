"""The public "Report a problem" form: plain Django form, CSRF-protected, with a honeypot."""
from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from drugatlas.corrections.models import Correction

HONEYPOT_FIELD = "website"


def clean_page_path(value: str) -> str:
    """A path of a page on this site ("/legislation/x/?a=b"), never another site's address.

    Browsers read a backslash as a slash (so "/\\evil.example/" is "//evil.example/") and drop
    tabs and newlines inside URLs; a path with either, or one no URL of this site matches, is
    refused rather than repaired."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value)
            or not _resolves(parts.path)):
        return ""
    return value[:Correction.PAGE_MAX]


def _resolves(path: str) -> bool:
    """A URL of this site in any of its languages (English at /..., Spanish at /es/...)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                resolve(path)
                return True
            except Resolver404:
                pass
    return False


class CorrectionForm(forms.ModelForm):
    # Bots fill every field; people never see this one (hidden by CSS, skipped by tab and
    # screen readers). Its label says to leave it empty in case a person does meet it.
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    source_url = forms.URLField(
        required=False, max_length=Correction.URL_MAX, assume_scheme="https",
        label=_("Source (web address)"),
        help_text=_("A page that supports the correction: a statute, a bill page, an official "
                    "data table."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"invalid": _("The source must be a web address starting with http:// "
                                     "or https://."),
                        "max_length": _("The source address is too long (over %(limit_value)d "
                                        "characters).")})

    class Meta:
        model = Correction
        fields = ["page", "subject", "problem", "suggestion", "source_url", "email"]
        labels = {
            "page": _("Page"),
            "subject": _("What it is about"),
            "problem": _("What is wrong"),
            "suggestion": _("Suggested correction"),
            "email": _("Your email (optional)"),
        }
        help_texts = {
            "page": _("The page of this site the problem is on."),
            "subject": _("The number, law or bill you are reporting."),
            "problem": _("Up to 2,000 characters."),
            "suggestion": _("What it should say, if you know."),
            "email": _("Only if you want us to be able to ask you a question. "
                       "Never shown on the site or shared."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5, "maxlength": Correction.TEXT_MAX}),
            "suggestion": forms.Textarea(attrs={"rows": 4, "maxlength": Correction.TEXT_MAX}),
        }
        error_messages = {
            "problem": {
                "required": _("Please say what is wrong."),
                "max_length": _("Please keep “What is wrong” under %(limit_value)d characters "
                                "(it has %(show_value)d)."),
            },
            "suggestion": {
                "max_length": _("Please keep the suggested correction under %(limit_value)d "
                                "characters (it has %(show_value)d)."),
            },
            "subject": {"max_length": _("Please keep “What it is about” under %(limit_value)d "
                                        "characters (it has %(show_value)d).")},
            "page": {"max_length": _("The page address is too long (over %(limit_value)d "
                                     "characters).")},
            "email": {"invalid": _("That email address does not look right; leave it empty if "
                                   "you prefer.")},
        }

    def clean_page(self):
        raw = self.cleaned_data.get("page", "")
        page = clean_page_path(raw)
        if raw.strip() and not page:
            raise forms.ValidationError(_("The page must be a path on this site, starting with /."))
        return page

    def clean_source_url(self):
        url = self.cleaned_data.get("source_url", "")
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except forms.ValidationError:
                raise forms.ValidationError(_("The source must be a web address starting with "
                                              "http:// or https://."))
        return url

    def clean_problem(self):
        problem = self.cleaned_data.get("problem", "").strip()
        if len(problem) < 5:
            raise forms.ValidationError(_("Please describe the problem in a few words."))
        return problem

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
