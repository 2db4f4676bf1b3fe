"""The combined "Consequences of a first possession conviction" layer (see drugatlas.atlas.consequences).

One row per state: how many of the four consequences a first possession conviction carries,
beside the possession class; the parts counted, the ones that do not apply and the ones with no
source found are listed in the notes. A state with a part unknown is hatched and its count
reads "at least".
"""
from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from drugatlas import formatting
from drugatlas.atlas import consequences

from . import classify
from .mapdata import Layer, MapData, Row, SourceLink, _link_label, status_label

# Blue for none, then darker orange to red as a conviction costs more.
COUNT_COLOURS = {"0": "#2166ac", "1": "#fdd49e", "2": "#fc8d59", "3": "#d7301f", "4": "#7f0000"}


def count_bins() -> list[classify.Bin]:
    n = len(consequences.PARTS)
    labels = [(str(k), _("none of the %(n)s") % {"n": n} if k == 0
               else _("%(k)s of %(n)s") % {"k": k, "n": n}) for k in range(n + 1)]
    return classify.categorical_bins(labels, colours=COUNT_COLOURS)


def consequences_layer(layer: Layer, as_of: dt.date) -> MapData:
    bins = count_bins()
    n = len(consequences.PARTS)
    rows = []
    for state in consequences.for_states(as_of):
        place = state.place
        if not state.has_data:
            rows.append(Row(place.fips, place.abbr, place.name, classify.NO_DATA, _("No data")))
            continue
        unknown = state.unknown
        words = {"k": state.count, "n": n}
        text = (_("at least %(k)s of %(n)s") if unknown else _("%(k)s of %(n)s")) % words
        klass = state.possession.status if state.possession else "unknown"
        notes = [_("possession: %(class)s") % {"class": status_label("possession", klass)}]
        notes += [p.words() for p in state.parts]
        sources = []
        for part in state.parts:
            if part.law and part.state in (consequences.IMPOSED, consequences.NOT_IMPOSED):
                sources += [SourceLink(u, _link_label(u)) for u in part.law.citation_list()[:1]]
        rows.append(Row(place.fips, place.abbr, place.name, str(state.count), text,
                        rank=state.count, period=_("as of %(date)s") % {"date": formatting.date_text(as_of)},
                        notes=notes, sources=sources, hatched=bool(unknown)))
    title = f"{layer.title}, {_('as of %(date)s') % {'date': formatting.date_text(as_of)}}"
    legend = classify.legend(title, bins, [r.key for r in rows],
                             low_coverage=sum(r.hatched for r in rows))
    return MapData(layer, rows, legend, as_of=as_of,
                   hatch_label=_("Hatched: at least this many; a part has no source found"))
