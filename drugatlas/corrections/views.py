"""Report a problem (/corrections/new/) and the public changelog (/changes/)."""
from __future__ import annotations

import hashlib

from django.conf import settings

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from drugatlas import clientip, ratelimit, twins
from drugatlas.atlas import form_origin
from drugatlas.corrections import changelog
from drugatlas.corrections.forms import CorrectionForm, clean_page_path
from drugatlas.corrections.models import Correction

RATE_BUCKET = "corrections"


def client_hash(address: str) -> str:
    """A salted hash of the sender's address: enough to spot abuse in the admin, no more."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


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
    if form.honeypot_filled():
        rejection = _("The report was not saved because the field “Leave this field empty” was "
                      "filled in; automated senders fill it. If you are a person, clear that field "
                      "and send again.")
        return render(request, "corrections/new.html",
                      {"form": form, "rejection": rejection}, status=400)
    if not form.is_valid():
        return render(request, "corrections/new.html", {"form": form}, status=400)
    # Counted only now: a post that CSRF or validation refused spends nobody's allowance.
    address = clientip.client_ip(request)
    verdict = ratelimit.hit(RATE_BUCKET, address)
    if not verdict.allowed:
        rejection = _("This address has sent %(limit)d reports in %(minutes)d minutes, which is "
                      "our limit. You can send this one %(when)s; what you typed is kept below. "
                      "Or send one report listing several problems.") % {
            "limit": verdict.limit, "minutes": max(1, verdict.window // 60),
            "when": ratelimit.wait_text(verdict)}
        return ratelimit.refused(render(request, "corrections/new.html",
                                        {"form": form, "rejection": rejection}), verdict)

    correction = form.save(commit=False)
    correction.client_hash = client_hash(address)
    correction.save()
    request.session["last_correction_page"] = correction.page
    return redirect("corrections:thanks")


def thanks(request):
    page = request.session.pop("last_correction_page", "")
    return render(request, "corrections/thanks.html", {"page": page})


@require_GET
def changes(request):
    # Not cached whole (http_cache.public_page): an accepted correction must show at once.
    entries = changelog.build()
    return twins.serve(request, lambda: render(request, "corrections/changes.html", entries),
                       lambda: changes_twin(entries))


CHANGE_COLUMNS = ("date", "kind", "item", "change", "url")


def changes_twin(entries: dict) -> twins.Twin:
    """The changelog whole as JSON; as CSV one row per correction, edit and release."""
    data = changelog.as_json(entries)
    rows = [(c["accepted"] or c["reported"], "correction", c["subject"] or c["page"],
             c["change"], c["page"]) for c in data["corrections"]]
    rows += [(e["date"], e["kind"], e["item"], " ".join(filter(None, (e["action"], e["reason"]))),
              e["url"]) for e in data["edits"]]
    rows += [(r["loaded_at"], "release", r["version"][:12], r["summary"], "")
             for r in data["releases"]]
    rows.sort(key=lambda row: row[0] or "", reverse=True)
    return twins.Twin(data, CHANGE_COLUMNS, rows, filename="changes")


def csrf_failure(request, reason=""):
    """Shown instead of Django's bare 403 when a form's security token is missing or stale."""
    return render(request, "corrections/csrf_failure.html", {"reason": reason}, status=403)
