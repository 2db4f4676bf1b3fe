"""The calculator page (/reinvest/) with its JSON and CSV twins (drugatlas/twins.py), and its
assumptions page, likewise.

The page, its twins and the API's /api/v1/reinvest (drugatlas/api/views.py) read the same query
string (state, dollars and every input of model.PARAMS) and run the same calculation
(evaluate.evaluate, answered by present.api_payload), so a permalink, an API call and the page
agree. Bad input is answered with a message and a 4xx status, never a server error.
"""
from __future__ import annotations

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drugatlas import twins
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas.models import Jurisdiction
from drugatlas.corrections.links import report_url
from drugatlas.params import names

from . import defaults, model, present
from .evaluate import QUERY, evaluate, form_errors
from .forms import ChooseForm


def _states():
    return Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("name")


@require_safe
@public_page(*names(QUERY), "format")
def calculator(request):
    ev = evaluate(request.GET)
    page = partial(_calculator_html, request, ev)
    if ev.error or (ev.form is not None and ev.result is None):
        return twins.error(request, error_message(ev), page, status=ev.status or 400)
    return twins.serve(request, page, lambda: calculator_twin(ev))


STEP_COLUMNS = ("key", "label", "text", "result", "value")


def calculator_twin(ev) -> twins.Twin:
    """The calculation as the API gives it, and its steps as the table; before a state is
    chosen, the states to choose from."""
    if ev.result is None:
        states = [{"abbr": s.abbr, "name": s.name,
                   "url": reverse("reinvest:calculator") + f"?state={s.abbr}"} for s in _states()]
        return twins.Twin({"states": states, "api": reverse("api:reinvest")},
                          ("abbr", "name", "url"), [list(s.values()) for s in states])
    steps = present.steps_view(ev.result)
    return twins.Twin(present.api_payload(ev), STEP_COLUMNS,
                      [[s[c] for c in STEP_COLUMNS] for s in steps])


def error_message(ev) -> str:
    if ev.error:
        return ev.error
    return " ".join(m for messages in form_errors(ev.form).values() for m in messages)


def _calculator_html(request, ev):
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
@public_page("format")
def assumptions(request):
    table = defaults.load()
    return twins.serve(request, partial(_assumptions_html, request, table),
                       partial(assumptions_twin, table))


ASSUMPTION_COLUMNS = ("key", "kind", "label", "value", "unit", "year", "geography", "source",
                      "url", "confidence", "used", "note")


def assumptions_twin(table) -> twins.Twin:
    """Every cited figure the calculator can use, each with its source, and the defaults made
    from them."""
    rows = [{**present.cited_json(r), "kind": r.kind, "used": r.key in table.used_keys}
            for r in table.rows]
    return twins.Twin({"dollars_year": table.dollars_year, "assumptions": rows,
                       "defaults": {name: present.default_json(d)
                                    for name, d in table.by_param.items()}},
                      ASSUMPTION_COLUMNS, [[r[c] for c in ASSUMPTION_COLUMNS] for r in rows],
                      filename="reinvest-assumptions")


def _assumptions_html(request, table):
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
