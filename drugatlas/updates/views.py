"""Sign up, confirm, manage preferences, unsubscribe, erase.

Privacy rules kept here: a sign-up answers the same whatever the address's history; POSTed
personal fields are hidden from Django's error reports; logs name subscribers by row id only;
token pages are never cached; redirects only go to fixed URLs of this app.

Tokens stay out of request lines where we can choose: an email's link opens a GET page with
a button, and every button posts its token in the form body to a URL without one
(`/updates/confirm/`, `/updates/preferences/`, ...). The one exception is RFC 8058's
one-click POST, which must go to the URL in the List-Unsubscribe header; logredact.py keeps
that one (and the links' GETs) out of the logs. Token pages send no Referer.
"""
from __future__ import annotations

from functools import wraps

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from drugatlas import clientip, ratelimit
from drugatlas.atlas import form_origin

from . import outbox, subscriptions, tokens
from .forms import CONSENT_VERSION, PreferencesForm, SignupForm, state_codes_from_query
from .models import Subscriber

PERSONAL_FIELDS = ("email", "name", "zip_code")


def _csrf_passes(request) -> bool:
    # Origin checked, so the footer form needs no per-page token (drugatlas/atlas/form_origin.py).
    return form_origin.passes(request)


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

    form = SignupForm(request.POST)
    if not _csrf_passes(request):
        # E.g. a page kept in a cache with someone else's token. Nothing is stored; the
        # visitor gets the form back, filled in, with a fresh token.
        return _signup_page(request, form, status=403, csrf_retry=True)
    if form.is_bot():
        return HttpResponseRedirect(reverse("updates:thanks"), status=303)
    if not form.is_valid():
        return _signup_page(request, form, status=400)
    # Counted only now, so cross-site or malformed posts cannot lock anyone out.
    verdict = ratelimit.hit("signup_ip", clientip.client_ip(request))
    if not verdict.allowed:
        return ratelimit.refused(render(request, "updates/rate_limited.html",
                                        {"when": ratelimit.wait_text(verdict)}), verdict)

    subscriber, which = subscriptions.subscribe(form.cleaned_data)
    message = subscriptions.queue_signup_email(subscriber, which)
    # The same answer for a new, pending, confirmed or unsubscribed address; the email is
    # tried once the answer has gone, so a slow relay never holds the visitor up.
    return outbox.SendAfterResponse(reverse("updates:thanks"), message.pk if message else None,
                                    status=303)


def thanks(request):
    return render(request, "updates/thanks.html")


def _private(view):
    """Token pages: never cached, never indexed, and no Referer that could carry the token.

    `strict-origin`, not `no-referrer`: browsers then send the page's origin (not "null") in
    the Origin header of its form posts, which Django's CSRF check needs."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response
    return never_cache(wrapped)


def _token_error(request, exc: Exception | None, problem: str = ""):
    if isinstance(exc, tokens.ExpiredToken):
        status, problem = 410, "expired"
    elif isinstance(exc, Subscriber.DoesNotExist):
        status, problem = 404, "gone"
    elif problem == "replaced":
        status = 410
    else:
        status, problem = 400, "invalid"
    return render(request, "updates/token_error.html", {"problem": problem}, status=status)


def _token_view(purpose):
    """Resolve the token (from the URL, or the posted form) into `subscriber`, or answer
    with a clear 4xx page."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, token=None):
            if token is None:
                token = request.POST.get("token", "")
            try:
                key, nonce = tokens.read(token, purpose)
                subscriber = Subscriber.objects.get(key=key)
            except (tokens.BadToken, Subscriber.DoesNotExist) as exc:
                return _token_error(request, exc)
            request.token_nonce = nonce
            return view(request, subscriber, token)
        return wrapped
    return decorator


def _manage_token(subscriber: Subscriber) -> str:
    return tokens.make_token(subscriber, tokens.MANAGE)


def _confirmed_page(request, subscriber, newly: bool):
    return render(request, "updates/confirmed.html",
                  {"newly": newly, "manage_token": _manage_token(subscriber)})


@_private
@require_http_methods(["GET", "HEAD"])
@_token_view(tokens.CONFIRM)
def confirm(request, subscriber, token):
    """The link in the email shows a button; only its POST (confirm_post) confirms, so mail
    scanners that fetch every URL in an email cannot confirm an address for someone."""
    if subscriber.status == Subscriber.CONFIRMED:
        return _confirmed_page(request, subscriber, newly=False)
    if subscriber.status != Subscriber.PENDING or request.token_nonce != subscriber.signup_nonce:
        return _token_error(request, None, "replaced")
    return render(request, "updates/confirm.html", {"subscriber": subscriber, "token": token})


@_private
@require_http_methods(["POST"])
@_token_view(tokens.CONFIRM)
def confirm_post(request, subscriber, token):
    outcome = subscriptions.confirm(subscriber, request.token_nonce)
    if outcome == subscriptions.SIGNUP_REPLACED:
        return _token_error(request, None, "replaced")
    return _confirmed_page(request, subscriber, newly=outcome == subscriptions.CONFIRMED_NOW)


def _unsubscribe(request, subscriber, token):
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "updates/unsubscribed.html", {"manage_token": token})
    return render(request, "updates/unsubscribe.html", {
        "token": token, "already": subscriber.status == Subscriber.UNSUBSCRIBED})


# RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to the header's URL with no CSRF
# token; the signed token is the authority. The page's own button posts the token instead.
unsubscribe = _private(csrf_exempt(require_http_methods(["GET", "HEAD", "POST"])(
    _token_view(tokens.MANAGE)(_unsubscribe))))
unsubscribe_post = _private(csrf_exempt(require_http_methods(["POST"])(
    _token_view(tokens.MANAGE)(_unsubscribe))))


def _preferences_page(request, subscriber, token, form=None, saved=False, status=200):
    if form is None:
        form = PreferencesForm(initial={
            "name": subscriber.name, "zip_code": subscriber.zip_code,
            "states": subscriber.state_codes, "topics": subscriber.topics,
            "language": subscriber.language})
    return render(request, "updates/preferences.html", {
        "form": form, "subscriber": subscriber, "saved": saved, "token": token,
        "can_resubscribe": subscriber.status in (Subscriber.UNSUBSCRIBED, Subscriber.SUPPRESSED),
    }, status=status)


@_private
@require_http_methods(["GET", "HEAD"])
@_token_view(tokens.MANAGE)
def preferences(request, subscriber, token):
    return _preferences_page(request, subscriber, token)


@_private
@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["POST"])
@_token_view(tokens.MANAGE)
def preferences_post(request, subscriber, token):
    action = request.POST.get("action", "")
    if action == "resubscribe":
        # Holding a link from our email proves the mailbox, as a confirmation does.
        subscriptions.confirm(subscriber)
        subscriber.refresh_from_db()
        return _preferences_page(request, subscriber, token, saved=True)
    if action == "save":
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return _preferences_page(request, subscriber, token, form=form, status=400)
        subscriptions.update_preferences(subscriber, form.cleaned_data)
        return _preferences_page(request, subscriber, token, saved=True)
    return _preferences_page(request, subscriber, token)


def _ask_erase(request, token):
    return render(request, "updates/erase.html", {"token": token})


@_private
@require_http_methods(["GET", "HEAD"])
@_token_view(tokens.MANAGE)
def erase(request, subscriber, token):
    """Asks first; erase_post with erase=yes deletes everything we hold about the person."""
    return _ask_erase(request, token)


@_private
@require_http_methods(["POST"])
@_token_view(tokens.MANAGE)
def erase_post(request, subscriber, token):
    if request.POST.get("erase") != "yes":
        return _ask_erase(request, token)
    subscriptions.erase(subscriber)
    return render(request, "updates/erased.html")
