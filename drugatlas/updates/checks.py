"""Deployment checks for mail (`manage.py check --deploy`): errors, not warnings, because
each of these mails people broken or unsafe links, or mails nobody at all.

- With HTTPS=1, SITE_URL must be https (RFC 8058's one-click URL must be) and not loopback.
- SITE_URL must not be a loopback address at all in production.
- DEFAULT_FROM_EMAIL must not be on localhost (or another name no mailbox provider accepts).
- EMAIL_BACKEND must send: not the file, console, locmem or dummy backend.
- EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive.
- A webhook service named in UPDATES_WEBHOOK_PROVIDERS must have its secret.
A warning: without UPDATES_SUPPRESSION_KEY the suppression list is keyed by SECRET_KEY and
forgets every address if that key changes.
"""
from __future__ import annotations

import ipaddress
import os
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from .webhooks import SERVICES, configured

NOT_SENDING = ("django.core.mail.backends.filebased.", "django.core.mail.backends.console.",
               "django.core.mail.backends.locmem.", "django.core.mail.backends.dummy.")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "")


def _https_required() -> bool:
    return os.environ.get("HTTPS", "").lower() in ("1", "true", "yes", "on")


def _loopback(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register("mail", deploy=True)
def mail_deploy_checks(app_configs=None, **kwargs):
    problems = []
    site = urlsplit(getattr(settings, "SITE_URL", ""))
    if _https_required() and site.scheme != "https":
        problems.append(Error(
            f"SITE_URL is {settings.SITE_URL!r}, but HTTPS=1: emailed links and the one-click "
            "unsubscribe URL (RFC 8058) must be https.",
            hint="Set SITE_URL to the public https origin, e.g. https://atlas.example.org",
            id="updates.E001"))
    if _loopback(site.hostname or ""):
        problems.append(Error(
            f"SITE_URL is {settings.SITE_URL!r}: a loopback address, so every emailed link "
            "points at the reader's own computer.",
            hint="Set SITE_URL to the public origin of the site.", id="updates.E002"))
    sender = parseaddr(getattr(settings, "DEFAULT_FROM_EMAIL", ""))[1]
    if _loopback(sender.rpartition("@")[2]):
        problems.append(Error(
            f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mailbox providers refuse "
            "mail from localhost.",
            hint="Set DEFAULT_FROM_EMAIL to an address on your domain (with SPF, DKIM and DMARC; "
                 "docs/operations.md).", id="updates.E003"))
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend.startswith(NOT_SENDING):
        problems.append(Error(
            f"EMAIL_BACKEND is {backend!r}: it sends nothing (and the file backend keeps "
            "people's addresses on disk).",
            hint="Use django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, or an "
                 "anymail backend (docs/configuration.md).", id="updates.E004"))
    if getattr(settings, "EMAIL_USE_TLS", False) and getattr(settings, "EMAIL_USE_SSL", False):
        problems.append(Error("EMAIL_USE_TLS and EMAIL_USE_SSL are both set; choose one.",
                              hint="STARTTLS on port 587: EMAIL_USE_TLS=1. TLS on port 465: "
                                   "EMAIL_USE_SSL=1.", id="updates.E005"))
    for service in getattr(settings, "UPDATES_WEBHOOK_PROVIDERS", []):
        if service not in SERVICES:
            problems.append(Error(f"UPDATES_WEBHOOK_PROVIDERS names {service!r}, which is not "
                                  f"one of {', '.join(sorted(SERVICES))}.", id="updates.E006"))
        elif not configured(service):
            problems.append(Error(
                f"The {service} webhook has no secret, so it is switched off.",
                hint=f"Set ANYMAIL_{SERVICES[service][2]} (docs/operations.md).", id="updates.E007"))
    if not getattr(settings, "UPDATES_SUPPRESSION_KEY", ""):
        problems.append(Warning(
            "UPDATES_SUPPRESSION_KEY is not set: the suppression list is keyed by SECRET_KEY "
            "and forgets every bounced or erased address if SECRET_KEY changes.",
            hint="Set UPDATES_SUPPRESSION_KEY to a long random string and keep it.",
            id="updates.W001"))
    return problems
