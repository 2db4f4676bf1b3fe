"""The sign-up and preferences forms, and the consent text people agree to."""
from __future__ import annotations

import re
import time

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from drugatlas.atlas.models import Jurisdiction
from drugatlas.sources.common import STATES

from .addresses import MAX_LENGTH, normalize_email
from .models import LANGUAGES, TOPIC_CODES, TOPICS

# Change the version whenever the text changes: each sign-up stores the version it agreed to.
CONSENT_VERSION = "2025-01"
CONSENT_TEXT = _(
    "Email me about the states and topics I chose. I can unsubscribe with one click in any "
    "email. My address is used for nothing else and is never shared or published.")

HONEYPOT_FIELD = "website"


_STATE_CHOICES: dict = {"at": 0.0, "choices": []}
STATE_CHOICES_SECONDS = 300


def state_choices() -> list[tuple[str, str]]:
    """The 50 states and DC, from the Jurisdiction rows.

    The footer of every page lists them, so the list is kept in the process for a few
    minutes rather than read on every request (only a complete list is kept).
    """
    now = time.monotonic()
    if _STATE_CHOICES["choices"] and now - _STATE_CHOICES["at"] < STATE_CHOICES_SECONDS:
        return _STATE_CHOICES["choices"]
    choices = list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).exclude(abbr="")
                   .order_by("name").values_list("abbr", "name"))
    if len(choices) == len(STATES):
        _STATE_CHOICES.update(at=now, choices=choices)
    return choices


def state_codes_from_query(values) -> list[str]:
    """`?states=TX`, `?states=TX,CA` or `?states=TX&states=CA`: the known codes, others dropped."""
    wanted = {code.strip().upper() for v in values for code in v.split(",") if code.strip()}
    return sorted(code for code, _name in state_choices() if code in wanted)


def language_default() -> str:
    lang = (get_language() or "en")[:2]
    return lang if lang in dict(LANGUAGES) else "en"


def _no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Remove the special characters."), code="control")


# A link, an address or a domain: a name field is no way to put words into our emails.
LINK_LIKE = re.compile(r"(://|www\.|@|[a-z0-9-]{2,}\.[a-z]{2,}\b|<|>)", re.IGNORECASE)


def _no_links(value: str) -> None:
    if LINK_LIKE.search(value):
        raise forms.ValidationError(_("Enter just your name, without web or email addresses."),
                                    code="link")


class FollowFields(forms.Form):
    """What a person follows and how we address them: shared by sign-up and preferences."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False,
                           validators=[_no_control_characters, _no_links])
    zip_code = forms.CharField(
        label=_("ZIP code (optional)"), max_length=5, min_length=5, required=False,
        validators=[RegexValidator(r"^[0-9]{5}$", _("A ZIP code is five digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{5}",
                                      "autocomplete": "postal-code"}))
    states = forms.MultipleChoiceField(
        label=_("States to follow"), choices=state_choices, required=False,
        help_text=_("None chosen: national news only."),
        widget=forms.CheckboxSelectMultiple)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TOPICS, initial=TOPIC_CODES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")})
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial=language_default)


class SignupForm(FollowFields):
    field_order = ["email", "name", "zip_code", "states", "topics", "language", "consent"]

    email = forms.CharField(label=_("Email"), max_length=MAX_LENGTH,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True,
                                 error_messages={"required": _("Please tick the box to agree.")})
    # Hidden from people; bots that fill every field give themselves away.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    def clean_email(self):
        address, key = normalize_email(self.cleaned_data["email"])
        self.cleaned_data["email_key"] = key
        return address

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class PreferencesForm(FollowFields):
    pass
