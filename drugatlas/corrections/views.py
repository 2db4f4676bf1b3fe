"""Report a problem (/corrections/new/) and the public changelog (/changes/)."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from drugatlas.atlas import form_origin
from drugatlas.corrections import changelog, ratelimit
from drugatlas.corrections.forms import CorrectionForm, clean_page_path
from drugatlas.corrections.models import Correction

RATE_SCOPE = "corrections"


def _initial_from_query(request) -> dict:
    """Prefill from the "Report a problem" link: ?page=/path/&what=description."""
    return {
        "page": clean_page_path(request.GET.get("page", "")),
        "subject": request.GET.get("what", "").strip()[:Correction.SUBJECT_MAX],
    }


@csrf_exempt  # origin checked below: the form needs no per-page cookie (atlas/form_origin.py)
@require_http_methods(["GET", "HEAD", "POST"])
def new_correction(request):
    if request.method != "POST":
        form = CorrectionForm(initial=_initial_from_query(request))
        return render(request, "corrections/new.html", {"form": form})
    if not form_origin.passes(request):
        return csrf_failure(request, "origin")

    form = CorrectionForm(request.POST)
    if ratelimit.over_limit(RATE_SCOPE, request):
        limit = ratelimit.rate_limit()
        minutes = max(1, ratelimit.window_seconds() // 60)
        rejection = _("This address has sent %(limit)d reports in the last %(minutes)d minutes, "
                      "which is our limit. Please try again later, or wait and send one report "
                      "listing several problems.") % {"limit": limit, "minutes": minutes}
        return render(request, "corrections/new.html",
                      {"form": form, "rejection": rejection}, status=429)
    if form.honeypot_filled():
        rejection = _("The report was not saved because the field “Leave this field empty” was "
                      "filled in; automated senders fill it. If you are a person, clear that field "
                      "and send again.")
        return render(request, "corrections/new.html",
                      {"form": form, "rejection": rejection}, status=400)
    if not form.is_valid():
        return render(request, "corrections/new.html", {"form": form}, status=400)

    correction = form.save(commit=False)
    correction.client_hash = ratelimit.client_hash(request)
    correction.save()
    request.session["last_correction_page"] = correction.page
    return redirect("corrections:thanks")


def thanks(request):
    page = request.session.pop("last_correction_page", "")
    return render(request, "corrections/thanks.html", {"page": page})


def changes(request):
    entries = changelog.build()
    if request.GET.get("format") == "json":
        return JsonResponse(changelog.as_json(entries), json_dumps_params={"indent": 1})
    return render(request, "corrections/changes.html", entries)


def csrf_failure(request, reason=""):
    """Shown instead of Django's bare 403 when a form's security token is missing or stale."""
    return render(request, "corrections/csrf_failure.html", {"reason": reason}, status=403)
