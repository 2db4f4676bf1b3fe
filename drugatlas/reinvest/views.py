"""The calculator page (/reinvest/), its assumptions page, and its JSON twin (/api/v1/reinvest).

All three read the same query string (state, dollars and every input of model.PARAMS) and run
the same calculation (evaluate.evaluate), so a permalink, an API call and the page agree.
Bad input is answered with a message and a 4xx status, never a server error.
"""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drugatlas.api.views import api_view
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.views.states import report_url
from drugatlas.params import names

from . import defaults, model, present
from .evaluate import QUERY, evaluate
from .forms import ChooseForm


def _states():
    return Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("name")


@require_safe
@public_page(*names(QUERY))
def calculator(request):
    ev = evaluate(request.GET)
    years = ev.defaults.cpi_years if ev.defaults else []
    chooser = ChooseForm(initial={"state": ev.place.abbr if ev.place else "",
                                  "dollars": ev.dollars_year},
                         states=_states(), years=years)
    context = {"ev": ev, "place": ev.place, "chooser": chooser, "error": ev.error,
               "dollars_year": ev.dollars_year, "caveats": present.caveats()}
    if ev.form is not None:
        context.update(groups=present.form_groups(ev), reset_url=present.reset_url(ev),
                       baseline=present.baseline_view(ev))
    if ev.result is not None:
        context.update(summary=present.summary_view(ev), chart=present.chart_for(ev),
                       steps=present.steps_view(ev.result),
                       funded=present.funded_view(ev.result, ev.defaults),
                       checks=_checks(ev), permalink=ev.permalink, api_url=ev.api_url,
                       report_url=report_url(ev.permalink, "Reinvestment calculator, " + (
                           ev.place.name if ev.place else "own figures")))
    return render(request, "reinvest/calculator.html", context, status=ev.status)


def _checks(ev) -> list[dict]:
    return [{"label": _(c.label), "value": present.money(c.value), "method": _(c.method),
             "sources": [present.cited_json(s) for s in c.sources]}
            for c in ev.defaults.checks if c.value is not None]


@require_safe
def assumptions(request):
    table = defaults.load()
    rows = []
    for p in model.PARAMS:
        if p.name == "arrests":
            continue
        d = table.by_param.get(p.name)
        rows.append({"param": p, "label": _(p.label), "unit": _(p.unit),
                     "default": present.default_view(d, p.name) if d else {}})
    kinds = {"enforcement": _("Enforcement and corrections"), "service": _("Services"),
             "share": _("Possession share of drug arrests"), "cpi": _("Consumer Price Index")}
    catalogue = []
    for kind, title in kinds.items():
        items = [{"row": r, "source": present.source_line(r), "used": r.key in table.used_keys,
                  "usable": r.confidence in defaults.USABLE_CONFIDENCE}
                 for r in table.rows if r.kind == kind]
        items.sort(key=lambda i: (i["row"].label, i["row"].year or 0))
        catalogue.append({"kind": kind, "title": title, "items": items})
    status = 200 if table.available else 503
    return render(request, "reinvest/assumptions.html", {
        "table": table, "rows": rows, "catalogue": catalogue, "caveats": present.caveats(),
        "shares": [{"row": table.shares[y], "percent": present.percent(table.shares[y].value * 100),
                    "source": present.source_line(table.shares[y])} for y in sorted(table.shares)],
        "cpi": sorted(table.cpi.items())}, status=status)


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@api_view(params=names(QUERY))
def reinvest_api(request):
    """GET /api/v1/reinvest?state=OR&... : the page's calculation as JSON."""
    ev = evaluate(request.GET, chooser_ok=False)
    if ev.error:
        return JsonResponse({"error": ev.error}, status=ev.status)
    if ev.result is None:
        errors = _form_errors(ev.form)
        message = " ".join(m for messages in errors.values() for m in messages)
        return JsonResponse({"error": message, "errors": errors}, status=ev.status or 400)
    return JsonResponse(present.api_payload(ev), json_dumps_params={"ensure_ascii": False})
