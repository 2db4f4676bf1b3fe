"""Absolute links for emails, and paths to the pages a change is about."""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from . import tokens


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(subscriber) -> str:
    return absolute(reverse("updates:confirm", args=[tokens.make_token(subscriber, tokens.CONFIRM)]))


def unsubscribe_url(subscriber) -> str:
    return absolute(reverse("updates:unsubscribe", args=[tokens.make_token(subscriber, tokens.MANAGE)]))


def preferences_url(subscriber) -> str:
    return absolute(reverse("updates:preferences", args=[tokens.make_token(subscriber, tokens.MANAGE)]))


def _first_reverse(names, args) -> str | None:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def state_path(abbr: str) -> str:
    """The state's page, wherever the atlas app routes it; the map otherwise."""
    if not abbr:
        return reverse("atlas:home")
    return _first_reverse(["atlas:state"], [abbr]) or reverse("atlas:home")


def bill_path(bill) -> str:
    """The bill's page in the legislation tracker; its state's bill list otherwise."""
    try:
        return bill.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        pass
    code = bill.jurisdiction.abbr or bill.jurisdiction_id
    return reverse("legislation:list") + "?" + urlencode({"jurisdiction": code})


def changes_path() -> str:
    return reverse("corrections:changes")
