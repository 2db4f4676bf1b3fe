"""Sign up, confirm, manage preferences, unsubscribe, erase.

Privacy rules kept here: a sign-up answers the same whatever the address's history; POSTed
personal fields are hidden from Django's error reports; logs name subscribers by row id only;
token pages are never cached; redirects only go to fixed URLs of this app.
"""
from __future__ import annotations

from functools import wraps

from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import emails, ratelimit, subscriptions, tokens
from .forms import CONSENT_VERSION, PreferencesForm, SignupForm, state_codes_from_query
from .models import Subscriber

PERSONAL_FIELDS = ("email", "name", "zip_code")


def _csrf_passes(request) -> bool:
    def protected_view(request):  # a stand-in without the csrf_exempt mark
        return None

    return CsrfViewMiddleware(lambda r: None).process_view(request, protected_view, (), {}) is None


def _signup_page(request, form, status=200, **extra):
    return render(request, "updates/signup.html",
                  {"form": form, "consent_version": CONSENT_VERSION, **extra}, status=status)


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@csrf_exempt  # checked below, so that a stale token gets the form back rather than a bare 403
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method != "POST":
        states = request.GET.getlist("states") + request.GET.getlist("state")
        return _signup_page(request, SignupForm(initial={"states": state_codes_from_query(states)}))

    if not ratelimit.hit("signup_ip", ratelimit.client_ip(request)):
        return render(request, "updates/rate_limited.html", status=429)
    form = SignupForm(request.POST)
    if not _csrf_passes(request):
        # E.g. a page kept in a cache with someone else's token. Nothing is stored; the
        # visitor gets the form back, filled in, with a fresh token.
        return _signup_page(request, form, status=403, csrf_retry=True)
    if form.is_bot():
        return HttpResponseRedirect(reverse("updates:thanks"), status=303)
    if not form.is_valid():
        return _signup_page(request, form, status=400)

    subscriber, which = subscriptions.subscribe(form.cleaned_data)
    emails.send_signup_email(subscriber, which)
    # The same answer for a new, pending, confirmed or unsubscribed address.
    return HttpResponseRedirect(reverse("updates:thanks"), status=303)


def thanks(request):
    return render(request, "updates/thanks.html")


def _token_error(request, exc: Exception):
    if isinstance(exc, tokens.ExpiredToken):
        status, problem = 410, "expired"
    elif isinstance(exc, Subscriber.DoesNotExist):
        status, problem = 404, "gone"
    else:
        status, problem = 400, "invalid"
    return render(request, "updates/token_error.html", {"problem": problem}, status=status)


def _subscriber(token: str, purpose: str) -> Subscriber:
    return Subscriber.objects.get(key=tokens.read_token(token, purpose))


def _token_view(purpose):
    """Resolve the token into `subscriber`, or answer with a clear 4xx page."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, token):
            try:
                subscriber = _subscriber(token, purpose)
            except (tokens.BadToken, Subscriber.DoesNotExist) as exc:
                return _token_error(request, exc)
            return view(request, subscriber, token)
        return wrapped
    return decorator


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_token_view(tokens.CONFIRM)
def confirm(request, subscriber, token):
    """GET shows a button; POST confirms. Link scanners that fetch every URL in an email
    therefore cannot confirm an address on someone's behalf."""
    if request.method == "POST":
        newly = subscriptions.confirm(subscriber)
        return render(request, "updates/confirmed.html", {
            "newly": newly, "preferences_url": _manage_path("updates:preferences", subscriber)})
    if subscriber.status == Subscriber.CONFIRMED:
        return render(request, "updates/confirmed.html", {
            "newly": False, "preferences_url": _manage_path("updates:preferences", subscriber)})
    return render(request, "updates/confirm.html", {"subscriber": subscriber})


def _manage_path(name: str, subscriber: Subscriber) -> str:
    return reverse(name, args=[tokens.make_token(subscriber, tokens.MANAGE)])


@never_cache
@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
@_token_view(tokens.MANAGE)
def unsubscribe(request, subscriber, token):
    """GET shows a button; any POST to this signed URL unsubscribes (one click)."""
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "updates/unsubscribed.html", {
            "preferences_url": reverse("updates:preferences", args=[token])})
    return render(request, "updates/unsubscribe.html", {
        "subscriber": subscriber, "already": subscriber.status == Subscriber.UNSUBSCRIBED})


@never_cache
@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["GET", "HEAD", "POST"])
@_token_view(tokens.MANAGE)
def preferences(request, subscriber, token):
    here = reverse("updates:preferences", args=[token])
    if request.method == "POST" and request.POST.get("action") == "resubscribe":
        # Holding a link from our email proves the mailbox, as a confirmation does.
        subscriptions.confirm(subscriber)
        return HttpResponseRedirect(here + "?saved=1", status=303)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriptions.update_preferences(subscriber, form.cleaned_data)
            return HttpResponseRedirect(here + "?saved=1", status=303)
        status = 400
    else:
        form = PreferencesForm(initial={
            "name": subscriber.name, "zip_code": subscriber.zip_code,
            "states": subscriber.state_codes, "topics": subscriber.topics,
            "language": subscriber.language})
        status = 200
    return render(request, "updates/preferences.html", {
        "form": form, "subscriber": subscriber, "saved": request.GET.get("saved") == "1",
        "unsubscribe_url": reverse("updates:unsubscribe", args=[token]),
        "erase_url": reverse("updates:erase", args=[token]),
    }, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_token_view(tokens.MANAGE)
def erase(request, subscriber, token):
    """Delete everything we hold about this person (GET asks first)."""
    if request.method == "POST":
        subscriptions.erase(subscriber)
        return render(request, "updates/erased.html")
    return render(request, "updates/erase.html", {
        "preferences_url": reverse("updates:preferences", args=[token])})
