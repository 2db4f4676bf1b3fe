"""The email services' tracking webhooks (django-anymail's views), for the services the
operator named in UPDATES_WEBHOOK_PROVIDERS and only once their authentication is set:
`/mail/webhooks/<service>/tracking/`. Any other service, or a service without its secret,
answers 404, so no unauthenticated request ever reaches the suppression list.

Authentication is anymail's: HTTP basic auth with ANYMAIL_WEBHOOK_SECRET ("user:password" in
the URL given to the service) for most services; Mailgun signs each event with
ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY (basic auth is checked too when set).
"""
from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

# service -> (anymail webhook module, view class, setting that authenticates it)
SERVICES = {
    "amazon_ses": ("amazon_ses", "AmazonSESTrackingWebhookView", "WEBHOOK_SECRET"),
    "brevo": ("brevo", "BrevoTrackingWebhookView", "WEBHOOK_SECRET"),
    "mailgun": ("mailgun", "MailgunTrackingWebhookView", "MAILGUN_WEBHOOK_SIGNING_KEY"),
    "mailjet": ("mailjet", "MailjetTrackingWebhookView", "WEBHOOK_SECRET"),
    "postmark": ("postmark", "PostmarkTrackingWebhookView", "WEBHOOK_SECRET"),
    "sendgrid": ("sendgrid", "SendGridTrackingWebhookView", "WEBHOOK_SECRET"),
    "sparkpost": ("sparkpost", "SparkPostTrackingWebhookView", "WEBHOOK_SECRET"),
}


def configured(service: str) -> bool:
    if service not in SERVICES or service not in getattr(settings, "UPDATES_WEBHOOK_PROVIDERS", []):
        return False
    secret_name = SERVICES[service][2]
    anymail = getattr(settings, "ANYMAIL", {}) or {}
    return bool(anymail.get(secret_name) or getattr(settings, f"ANYMAIL_{secret_name}", ""))


@csrf_exempt
def tracking(request, service: str):
    if not configured(service):
        raise Http404("no such webhook")
    module, view_name, _secret = SERVICES[service]
    view_class = getattr(import_module(f"anymail.webhooks.{module}"), view_name)
    return view_class.as_view()(request)
