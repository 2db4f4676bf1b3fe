"""Words and formatted numbers for a calculation: what the page and the API show.

Headline figures are rounded to two significant figures ("about $57 million") because the
inputs are rough; the step-by-step arithmetic keeps whole dollars so a reader can check it.
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from drugatlas import formatting
from drugatlas.atlas.profile import flag_words
from drugatlas.corrections.links import report_url
from drugatlas.maps.charts import Table

from . import model
from .chart import category_bars
from .defaults import Defaults
from .evaluate import Evaluation
from .model import Cited, Default


# --- Numbers --------------------------------------------------------------------------------

def money(value: float) -> str:
    """Whole dollars, or cents under $100: "$2,839", "$39.21"."""
    if abs(value) < 100 and formatting.rounded(value, 2) != formatting.rounded(value):
        return "$" + formatting.number(value, 2)
    return "$" + formatting.number(value)


def _two_figures(value: float) -> float:
    if value == 0:
        return 0.0
    power = math.floor(math.log10(abs(value)))
    return float(formatting.rounded(value, 1 - power))


def rough(value: float) -> str:
    """Two significant figures, in words above a million: "16,000", "1.2 million"."""
    if value < 1:
        return _("fewer than 1") if value > 0 else "0"
    v = _two_figures(value)
    if v >= 1e9:
        return _("%(n)s billion") % {"n": formatting.number_up_to(v / 1e9, 2)}
    if v >= 1e6:
        return _("%(n)s million") % {"n": formatting.number_up_to(v / 1e6, 2)}
    return formatting.number(v)


def rough_money(value: float) -> str:
    return "$" + rough(value) if value >= 1 else money(value)


def number(value: float) -> str:
    return formatting.number_up_to(value, 2)


def percent(value: float) -> str:
    return formatting.number_up_to(value, 1) + "%"


def exact_money(value: float) -> str:
    """Dollars and cents, as a field holds them: "$373.72", "$2,823"."""
    text = "$" + formatting.number(value, 2)
    return text[:-3] if text.endswith(".00") else text


def quantity(q: model.Quantity) -> str:
    if q.kind == model.MONEY:
        return money(q.value)
    if q.kind == model.PERCENT:
        return percent(q.value)
    if q.kind == model.COUNT:
        return formatting.number(q.value)
    return number(q.value)


def param_value(param: str, value: float | None) -> str:
    """An input's value exactly as its field holds it (defaults and ranges beside the form)."""
    if value is None:
        return _("none")
    p = model.PARAM_BY_NAME[param]
    if p.kind == model.MONEY:
        return exact_money(value)
    return quantity(model.Quantity(value, p.kind))


# --- Sources --------------------------------------------------------------------------------

def source_line(row: Cited) -> str:
    """Publisher, title and year, from the note the costs reader writes ("Source: ...")."""
    note = row.note or ""
    if note.startswith("Source: "):
        return note[len("Source: "):].split(" Quote: ")[0].rstrip(".")
    return row.label


def cited_json(row: Cited) -> dict:
    return {"key": row.key, "label": row.label, "value": row.value, "unit": row.unit,
            "year": row.year, "geography": row.abbr or "US", "source": source_line(row),
            "url": row.citation, "confidence": row.confidence, "note": row.note}


def default_json(d: Default) -> dict:
    return {"value": d.value, "low": d.low, "high": d.high, "method": _(d.method),
            "range_method": _(d.range_method) if d.range_method else "",
            "cited": d.cited, "confidence": d.confidence or None,
            "notes": [_(n) for n in d.notes], "sources": [cited_json(s) for s in d.sources]}


def default_view(d: Default | None, param: str) -> dict:
    """A default as the form shows it beside its input."""
    if d is None:
        return {}
    return {
        "text": param_value(param, d.value), "value": d.value, "cited": d.cited,
        "method": _(d.method), "confidence": d.confidence,
        "range": (_("%(low)s to %(high)s") % {
            "low": param_value(param, d.low if d.low is not None else d.value),
            "high": param_value(param, d.high if d.high is not None else d.value)})
        if (d.low is not None or d.high is not None) else "",
        "range_method": _(d.range_method) if d.range_method else "",
        "notes": [_(n) for n in d.notes],
        "sources": [{"line": source_line(s), "url": s.citation, "year": s.year,
                     "confidence": s.confidence, "label": s.label,
                     "printed": f"{number(s.value)} {s.unit}",
                     "geography": s.abbr or "US"} for s in d.sources],
        "report": report_url(reverse("reinvest:assumptions"), f"Reinvestment default: {d.param}"),
    }


# --- The arrest figure ----------------------------------------------------------------------

def baseline_view(ev: Evaluation) -> dict:
    """Where the arrest count comes from, in sentences, with its year, source and caveats."""
    if ev.arrests is None:
        return {"method": "user", "sentences": [_(
            "Arrests: your own figure. No state was chosen, so no arrest data were used.")]}
    b, place = ev.arrests.baseline, ev.place
    sources = ev.arrests.sources
    out = {"method": b.method, "year": b.year, "arrests": b.arrests, "sentences": [],
           "notes": [], "sources": []}

    def source_of(figure):
        s = sources.get(figure.source)
        if s is not None:
            out["sources"].append({"title": s.title, "publisher": s.publisher, "url": s.url,
                                   "id": s.id})
        return s.title if s else figure.source

    if b.method == "count":
        p = b.possession
        out["sentences"].append(_(
            "%(n)s arrests for drug possession in %(state)s in %(year)s (%(source)s).") % {
            "n": formatting.number(p.value), "state": place.name, "year": p.year,
            "source": source_of(p)})
        out["notes"] += flag_words(list(p.flags))
    elif b.method == "estimate":
        d, share = b.drug_arrests, b.share
        out["sentences"].append(_(
            "Estimate: %(drug)s drug arrests in %(state)s in %(year)s (%(source)s) × "
            "%(share)s, the national share of drug arrests that were for possession in "
            "%(share_year)s (%(share_source)s) = about %(n)s possession arrests.") % {
            "drug": formatting.number(d.value), "state": place.name, "year": d.year,
            "source": source_of(d), "share": percent(share.value * 100),
            "share_year": share.year, "share_source": source_line(share),
            "n": formatting.number(b.arrests)})
        out["share"] = cited_json(share)
        out["notes"] += flag_words(list(d.flags))
        for start, end in ev.arrests.decriminalized:
            out["notes"].append(_(
                "Possession was not a crime in %(state)s from %(start)s to %(end)s, so the "
                "national share probably overstates its possession arrests in %(year)s.") % {
                "state": place.name, "start": formatting.date_text(start) if start else "…",
                "end": formatting.date_text(end) if end else _("now"), "year": d.year})
        if ev.arrests.coverage is not None:
            out["notes"].append(_(
                "Agencies that reported arrests cover %(coverage)s of residents in %(year)s; "
                "arrests elsewhere are not counted.") % {
                "coverage": percent(ev.arrests.coverage), "year": d.year})
        if b.possession is not None:
            p = b.possession
            out["notes"].append(_(
                "The latest possession count for %(state)s is %(n)s in %(year)s (%(source)s), "
                "older than the drug arrest figure, so the newer figure is used.") % {
                "state": place.name, "n": formatting.number(p.value), "year": p.year,
                "source": source_of(p)})
        else:
            out["notes"].append(_("No possession count for %(state)s is in our data.") % {
                "state": place.name})
    else:
        out["sentences"].append(_(
            "There is no drug arrest figure for %(state)s in our data: enter your own.") % {
            "state": place.name})
    if ev.arrests.state_possession_share is not None:
        share, year = ev.arrests.state_possession_share
        out["notes"].append(_(
            "In %(year)s, possession made up %(share)s of %(state)s's drug arrests with a known "
            "type.") % {"year": year, "share": percent(share * 100), "state": place.name})
    if ev.result is not None and b.arrests is not None and ev.result.inputs.arrests != b.arrests:
        out["notes"].insert(0, _("You changed the arrest count: the calculation uses %(n)s.")
                            % {"n": formatting.number(ev.result.inputs.arrests)})
    seen = set()
    out["sources"] = [s for s in out["sources"] if not (s["id"] in seen or seen.add(s["id"]))]
    return out


# --- The result -----------------------------------------------------------------------------

def steps_view(result: model.Result) -> list[dict]:
    rows = []
    service_units = {s.key: s.unit for s in model.SERVICES}
    for step in result.steps:
        args = {name: quantity(q) for name, q in step.args.items()}
        if step.key.startswith("fund_"):
            args["unit"] = _(service_units[step.key[len("fund_"):]])
        rows.append({"key": step.key, "label": _(step.label), "text": _(step.text).format(**args),
                     "result": quantity(step.result) if step.result.kind != model.COUNT
                     else formatting.number_up_to(step.result.value, 1),
                     "value": step.result.value})
    return rows


def chart_for(ev: Evaluation):
    result = ev.result
    where = ev.place.name if ev.place else _("your figures")
    title = _("Annual cost of possession arrests by stage, %(where)s (%(year)s dollars)") % {
        "where": where, "year": ev.dollars_year}
    rows = [(_(s.label), s.annual) for s in result.stages]
    biggest = max(result.stages, key=lambda s: s.annual)
    desc = _("%(n)s stages; the largest is %(stage)s at %(cost)s a year. Total %(total)s.") % {
        "n": len(rows), "stage": _(biggest.label), "cost": rough_money(biggest.annual),
        "total": rough_money(result.annual_cost)}
    table = Table(title, (_("Stage"), _("Per arrest"), _("A year")), tuple(
        (_(s.label), money(s.per_arrest), money(s.annual)) for s in result.stages) + (
        (_("Total"), money(result.per_arrest), money(result.annual_cost)),))
    return category_bars("reinvest-chart", title, desc, rows, rough_money, table)


def funded_view(result: model.Result, table: Defaults) -> list[dict]:
    out = []
    for f in result.funded:
        d = table.by_param.get(f.key)
        row = {"key": f.key, "label": _(f.label), "unit": _(f.unit),
               "unit_cost": money(f.unit_cost), "count": rough(f.count), "value": f.count,
               "default": default_view(d, f.key) if d else {}}
        if result.has_range:
            row["range"] = _("%(low)s to %(high)s") % {"low": rough(f.count_low),
                                                       "high": rough(f.count_high)}
        out.append(row)
    return out


def summary_view(ev: Evaluation) -> dict:
    r = ev.result
    out = {"per_arrest": money(r.per_arrest), "annual_cost": rough_money(r.annual_cost),
           "savings": rough_money(r.savings), "arrests": formatting.number(r.inputs.arrests),
           "reduction": percent(r.inputs.reduction), "dollars_year": ev.dollars_year,
           "has_range": r.has_range}
    if r.has_range:
        out["savings_range"] = _("%(low)s to %(high)s") % {
            "low": rough_money(r.savings_low), "high": rough_money(r.savings_high)}
        out["annual_range"] = _("%(low)s to %(high)s") % {
            "low": rough_money(r.annual_cost_low), "high": rough_money(r.annual_cost_high)}
    return out


CAVEATS = (
    gettext_noop("These are rough, order-of-magnitude estimates built from a few cited figures, "
                 "most of them from one county or city. Change any assumption that you know "
                 "better for your state."),
    gettext_noop("Savings are gross costs avoided, not cash in a budget. The figures are average "
                 "costs: a small cut in arrests frees officer time and jail beds before it frees "
                 "money, because staff and buildings are fixed costs."),
    gettext_noop("Several figures are for marijuana possession; other drugs may cost more to "
                 "process (more lab work, more felony charges, longer detention)."),
    gettext_noop("Each “could fund” line is an alternative: the same money cannot buy all of "
                 "them at once."),
    gettext_noop("Stages with no cited figure (courts, probation) count as $0 unless you enter "
                 "one, so the default total is an undercount."),
)


def caveats() -> list[str]:
    return [_(c) for c in CAVEATS]


def form_groups(ev: Evaluation) -> list[dict]:
    groups = {"arrests": _("Arrests"), "stage": _("Cost of each stage, per arrest"),
              "service": _("What one unit of each service costs")}
    out = []
    for group, title in groups.items():
        fields = []
        for p in model.PARAMS:
            if p.group != group:
                continue
            d = ev.defaults.by_param.get(p.name)
            view = default_view(d, p.name) if d else {}
            if p.name == "arrests":
                b = ev.arrests.baseline if ev.arrests else None
                view = {"text": formatting.number(b.arrests) if b and b.arrests is not None else "",
                        "method": "", "sources": [], "cited": True}
            fields.append({"field": ev.form[p.name], "param": p, "unit": _(p.unit),
                           "help": _(p.help) if p.help else "", "default": view})
        out.append({"key": group, "title": title, "fields": fields})
    return out


def reset_url(ev: Evaluation) -> str:
    query = [("state", ev.place.abbr)] if ev.place else []
    if ev.dollars_year:
        query.append(("dollars", str(ev.dollars_year)))
    return reverse("reinvest:calculator") + "?" + urlencode(query)


def api_payload(ev: Evaluation) -> dict:
    r = ev.result
    return {
        "state": {"abbr": ev.place.abbr, "name": ev.place.name} if ev.place else None,
        "dollars_year": ev.dollars_year,
        "inputs": r.inputs.values(),
        "arrests": baseline_view(ev),
        "results": {
            "cost_per_arrest": r.per_arrest, "annual_cost": r.annual_cost, "savings": r.savings,
            "annual_cost_low": r.annual_cost_low, "annual_cost_high": r.annual_cost_high,
            "savings_low": r.savings_low, "savings_high": r.savings_high,
            "stages": [{"key": s.key, "label": _(s.label), "per_arrest": s.per_arrest,
                        "annual": s.annual} for s in r.stages],
            "could_fund": [{"key": f.key, "label": _(f.label), "unit": _(f.unit),
                            "unit_cost": f.unit_cost, "count": f.count,
                            "count_low": f.count_low, "count_high": f.count_high}
                           for f in r.funded],
        },
        "steps": [{k: v for k, v in s.items()} for s in steps_view(r)],
        "defaults": {name: default_json(d) for name, d in ev.defaults.by_param.items()},
        "cpi": {"series": "CPI-U annual average, U.S. city average (BLS CUUR0000SA0)",
                "values": {str(y): v for y, v in sorted(ev.defaults.cpi.items())}},
        "caveats": caveats(),
        "permalink": ev.permalink,
        "assumptions": reverse("reinvest:assumptions"),
    }
