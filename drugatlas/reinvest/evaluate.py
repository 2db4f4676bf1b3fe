"""One query string in, one calculation out: shared by the page and the API.

`evaluate(query)` reads `state`, `dollars` and every input of `model.PARAMS` from a mapping of
strings (request.GET), fills what is missing from the defaults, validates, and runs the model.
Problems come back as an `error` (whole query) or form errors (one input), with a 4xx status.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from drugatlas import params
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.places import find_state

from . import arrests, defaults, model
from .forms import CalculatorForm, number_text


# The query parameters, declared for the unknown-parameter check and the OpenAPI document; the
# calculator's form (forms.py) parses the inputs from model.PARAMS, so page and API agree.
QUERY = (
    params.text("state", "USPS code; or leave it out and give arrests", example="OR"),
    params.year("dollars", "Dollar year (a year with CPI-U figures); default the latest"),
    *[params.Param(p.name, f"{p.label} (default: the cited figure)",
                   {"type": "number", "minimum": p.minimum, "maximum": p.maximum})
      for p in model.PARAMS],
)


@dataclass
class Evaluation:
    defaults: defaults.Defaults | None
    place: Jurisdiction | None = None
    arrests: arrests.StateArrests | None = None
    form: CalculatorForm | None = None
    result: model.Result | None = None
    error: str = ""
    status: int = 200

    @property
    def dollars_year(self) -> int | None:
        return self.defaults.dollars_year if self.defaults else None

    def query(self) -> list[tuple[str, str]]:
        """Every input, in order: the query string that reproduces this calculation."""
        pairs = []
        if self.place is not None:
            pairs.append(("state", self.place.abbr))
        if self.dollars_year is not None:
            pairs.append(("dollars", str(self.dollars_year)))
        if self.result is not None:
            values = self.result.inputs.values()
            pairs += [(p.name, number_text(values[p.name])) for p in model.PARAMS]
        return pairs

    @property
    def permalink(self) -> str:
        return reverse("reinvest:calculator") + "?" + urlencode(self.query())

    @property
    def api_url(self) -> str:
        return reverse("api:reinvest") + "?" + urlencode(self.query())


def _dollar_year(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit()):
        raise ValueError(text)
    return int(text)


def evaluate(query: Mapping[str, str], *, chooser_ok: bool = True) -> Evaluation:
    """The calculation a query asks for. With neither state nor arrests, there is nothing to
    calculate: fine for the page (it shows the chooser, `chooser_ok`), a 400 for the API."""
    try:
        year = _dollar_year(query.get("dollars"))
        table = defaults.load(year)
    except ValueError:
        latest = defaults.load()
        span = (f"{min(latest.cpi)}-{max(latest.cpi)}" if latest.cpi else "")
        return Evaluation(latest, error=_(
            "dollars must be a year with a CPI figure (%(span)s), got “%(value)s”.")
            % {"span": span, "value": str(query.get("dollars"))[:20]}, status=400)
    if not table.available:
        return Evaluation(table, error=_(
            "The cost figures are not loaded yet, so nothing can be calculated. (Operators: "
            "run `manage.py data load`.)"), status=503)

    code = (query.get("state") or "").strip()
    place = None
    if code:
        place = find_state(code)
        if place is None:
            return Evaluation(table, error=_(
                "Unknown state “%(code)s”. Use a two-letter postal code, such as OR for Oregon "
                "or DC for the District of Columbia.") % {"code": code[:20]}, status=400)
    elif "arrests" not in query:
        if not chooser_ok:
            return Evaluation(table, error=_(
                "Give a state (state=OR) or your own arrest count (arrests=20000)."), status=400)
        return Evaluation(table)  # nothing asked yet: the page shows the state chooser

    state_arrests = arrests.for_state(place, table) if place else None
    baseline = state_arrests.baseline if state_arrests else None
    reason = ""
    if place is not None and (baseline is None or baseline.arrests is None):
        reason = _("There is no drug arrest figure for %(state)s in our data: enter the number "
                   "of possession arrests a year.") % {"state": place.name}
    form = CalculatorForm(query, defaults=table,
                          arrests_default=baseline.arrests if baseline else None,
                          no_arrests_reason=reason)
    ev = Evaluation(table, place, state_arrests, form)
    if not form.is_valid():
        ev.status = 400
        return ev
    inputs = form.inputs(table.dollars_year)
    low, high = model.range_inputs(inputs, table.ranges())
    ev.result = model.calculate(inputs, low, high)
    return ev


def form_errors(form) -> dict[str, list[str]]:
    """The calculator form's errors by field, as the API and the twins report them."""
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}
