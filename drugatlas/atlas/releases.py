"""A data release in plain words, in the active language: the changelog's line per source and
the digest's line per state with new figures.

Both read a release record's `changes` (drugatlas.pipeline.diff.release_summary()):
- /changes/: "VSRR Provisional Drug Overdose Death Counts through 2025-04: 51 states updated;
  1 earlier month revised", one line per source that brought new periods or revisions;
- digests: "Ohio: overdose deaths in the 12 months to 2025-04: 3,210, down 18% on a year
  earlier", one line per state and source, for the source's headline measure (the first in
  drugatlas/measures.py among those with new figures for the state) in its newest period.
Numbers and dates go through drugatlas/formatting.py.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.utils.translation import ngettext

from drugatlas import formatting, measures

NATION = "00"
MEASURE_ORDER = {m.slug: i for i, m in enumerate(measures.MEASURES)}
# How a headline measure reads in a sentence, where its label does not read well there.
PHRASES = {
    "overdose_deaths_12mo_provisional": _noop("overdose deaths in the 12 months to %(period)s"),
    "overdose_deaths_12mo_predicted":
        _noop("overdose deaths in the 12 months to %(period)s (predicted)"),
}


def period_text(period: str) -> str:
    """"2025-04" or "2024", as formatting writes a month or a year."""
    return formatting.date_text(*formatting.parse_date_text(period))


def news_sources(changes: dict) -> list[dict]:
    """The sources of a release summary that brought news, with what source_text() reads."""
    return [{k: source[k] for k in ("id", "title", "url", "status", "summary")}
            for source in (changes or {}).get("sources", []) if source_text(source)]


def source_lines(sources: list[dict]) -> list[dict]:
    """The lines of news_sources(): each source's id, title, link and text."""
    return [{"id": s["id"], "title": s["title"] or s["id"], "url": s["url"],
             "text": source_text(s)} for s in sources]


def source_text(source: dict) -> str:
    """One source's news in a release, or "" when it brought none (only its details changed)."""
    s = source["summary"]
    title = source["title"] or source["id"]
    parts = []
    if s["states_updated"]:
        parts.append(ngettext("%(count)d state updated", "%(count)d states updated",
                              s["states_updated"]) % {"count": s["states_updated"]})
    elif s["places_updated"]:
        parts.append(ngettext("%(count)d place updated", "%(count)d places updated",
                              s["places_updated"]) % {"count": s["places_updated"]})
    # A calendar year revised with its December (the 12 months to December) is one revision.
    revised = s["revised_periods"]
    months = [p for p in revised if "-" in p]
    years = [p for p in revised if "-" not in p and f"{p}-12" not in revised]
    if months:
        parts.append(ngettext("%(count)d earlier month revised",
                              "%(count)d earlier months revised", len(months))
                     % {"count": len(months)})
    if years:
        parts.append(ngettext("%(count)d earlier year revised", "%(count)d earlier years revised",
                              len(years)) % {"count": len(years)})
    if s["new_periods"] and s["newest_period"]["new"]:
        head = _("%(source)s through %(period)s") % {
            "source": title, "period": period_text(s["newest_period"]["new"])}
    elif parts:
        head = title
    elif source["status"] == "new":
        return _("%(source)s: new source") % {"source": title}
    elif source["status"] == "removed":
        return _("%(source)s: no longer used") % {"source": title}
    else:
        return ""
    return f"{head}: {'; '.join(parts)}" if parts else head


def state_figures(changes: dict) -> list[dict]:
    """Per state and source, the headline new figure: place (FIPS), source, measure, period,
    value, year_earlier."""
    best: dict[tuple[str, str], dict] = {}
    for source in (changes or {}).get("sources", []):
        for m in source["measures"]:
            rank = MEASURE_ORDER.get(m["measure"], len(MEASURE_ORDER))
            for row in m["new_figures"]:
                place = row["place"]
                if len(place) != 2 or place == NATION:
                    continue  # states only: counties are told in their state's line
                key = (place, source["id"])
                candidate = {"place": place, "source": source["id"], "measure": m["measure"],
                             "period": row["period"], "value": row["value"],
                             "year_earlier": row["year_earlier"], "rank": rank}
                held = best.get(key)
                if held is None or (rank, _newest_first(row["period"])) < \
                        (held["rank"], _newest_first(held["period"])):
                    best[key] = candidate
    return [{k: v for k, v in fig.items() if k != "rank"}
            for _key, fig in sorted(best.items())]


def _newest_first(period: str) -> tuple:
    return tuple(-int(part) for part in period.split("-"))


def figure_text(place_name: str, figure: dict) -> str:
    slug, period = figure["measure"], period_text(figure["period"])
    if slug in PHRASES:
        what = _(PHRASES[slug]) % {"period": period}
    else:
        info = measures.BY_SLUG.get(slug)
        what = _("%(measure)s, %(period)s") % {"measure": _(info.label) if info else slug,
                                               "period": period}
    text = _("%(place)s: %(what)s: %(value)s") % {
        "place": place_name, "what": what, "value": formatting.figure(figure["value"], slug)}
    change = formatting.change_percent(figure.get("year_earlier"), figure["value"])
    if change is None:
        return text
    if change > 0:
        trend = _("up %(percent)s on a year earlier") % {"percent": formatting.percent(change)}
    elif change < 0:
        trend = _("down %(percent)s on a year earlier") % {"percent": formatting.percent(-change)}
    else:
        trend = _("the same as a year earlier")
    return f"{text}, {trend}"
